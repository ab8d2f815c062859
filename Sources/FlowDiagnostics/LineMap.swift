/// Maps byte offsets of one file to 1-based line and column numbers.
///
/// Built once per file by a renderer; lookups are a binary search. Columns
/// count Unicode scalars (a byte that is not a UTF-8 lead byte counts as one
/// column by itself, so invalid input still gets sane positions).
struct LineMap {
  /// Offsets where each line starts.
  private(set) var lineStarts: [Int] = [0]
  let bytes: [UInt8]

  init(_ file: SourceFile) {
    bytes = file.bytes
    for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
      lineStarts.append(index + 1)
    }
  }

  /// The 0-based line index containing `offset`.
  func lineIndex(of offset: Int) -> Int {
    var low = 0
    var high = lineStarts.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
    }
    return low
  }

  /// 1-based line and column of `offset`.
  func position(of offset: Int) -> (line: Int, column: Int) {
    let clamped = min(max(0, offset), bytes.count)
    let line = lineIndex(of: clamped)
    return (line + 1, Self.columns(bytes[lineStarts[line]..<clamped]) + 1)
  }

  /// The bytes of line `index` (0-based) without its newline.
  func line(_ index: Int) -> ArraySlice<UInt8> {
    let start = lineStarts[index]
    var end = index + 1 < lineStarts.count ? lineStarts[index + 1] - 1 : bytes.count
    if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
    return bytes[start..<max(start, end)]
  }

  /// Number of columns taken by `slice`: UTF-8 continuation bytes are free.
  /// Whether `slice` is wider than `limit` columns; stops counting there, so
  /// a diagnostic on a megabyte-long line does not scan all of it.
  static func hasMoreColumns(_ slice: ArraySlice<UInt8>, than limit: Int) -> Bool {
    guard slice.count > limit else { return false }
    var count = 0
    for byte in slice where byte & 0xC0 != 0x80 {
      count += 1
      if count > limit { return true }
    }
    return false
  }

  static func columns(_ slice: ArraySlice<UInt8>) -> Int {
    var count = 0
    for byte in slice where byte & 0xC0 != 0x80 { count += 1 }
    return count
  }
}
