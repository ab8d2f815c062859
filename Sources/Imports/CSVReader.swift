#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One CSV record: its fields and the physical line it starts on.
public struct CSVRecord: Sendable, Hashable {
  public var line: Int
  public var fields: [String]
}

/// A row that is not valid CSV, or a file that cannot be read.
public struct CSVError: Error, Sendable, Hashable {
  public var line: Int
  public var reason: String
}

/// Reads RFC 4180 CSV from a file in fixed-size chunks, so memory stays
/// constant however long the file is. Accepts a UTF-8 byte order mark, `\r\n`
/// or `\n` line ends, and quoted fields holding commas, `""` and line breaks.
/// Blank lines are skipped.
public final class CSVReader {
  private let descriptor: Int32
  private var buffer: [UInt8]
  /// Bytes `position..<end` of `buffer` are read but not yet consumed.
  private var position = 0
  private var end = 0
  private var atEndOfFile = false
  private var nextLine = 1
  /// Where the last record (or refused row) lies in `buffer`, for `lastRawRecord`.
  private var lastRecord = 0..<0

  public init(path: String, chunkSize: Int = 1 << 20) throws(CSVError) {
    descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else {
      throw CSVError(line: 0, reason: "cannot read: \(String(cString: strerror(errno)))")
    }
    buffer = [UInt8](repeating: 0, count: chunkSize)
    try fill()
    if end - position >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF {
      position = 3
    }
  }

  deinit { close(descriptor) }

  /// The bytes of the record (or refused row) last returned, line end
  /// included, exactly as in the file; valid until the next call to `next()`.
  public var lastRawRecord: ArraySlice<UInt8> { buffer[lastRecord] }

  /// The next record, or nil at the end of the file. A malformed row throws;
  /// reading can go on after a stray quote (from the next line), but not
  /// after an unterminated quote, which runs to the end of the file.
  public func next() throws(CSVError) -> CSVRecord? {
    while true {
      switch scanRecord() {
      case .record(let fields, let length, let lines):
        let line = nextLine
        finish(length: length, lines: lines)
        if fields.count == 1, fields[0].isEmpty, length <= 2 { continue }
        return CSVRecord(line: line, fields: fields)
      case .needMore:
        if atEndOfFile {
          if position == end { return nil }
          // Only an open quote leaves bytes unconsumed at the end of the file.
          let line = nextLine
          lastRecord = position..<end
          position = end
          throw CSVError(line: line, reason: "unterminated quoted field (the quote opens here)")
        }
        try fill()
      case .stray(let offset, let reason):
        let line = nextLine
        let length = skipLine(from: offset)
        finish(length: length, lines: countLineEnds(length))
        throw CSVError(line: line, reason: reason)
      }
    }
  }

  private enum Scan {
    /// A complete record of `length` bytes spanning `lines` line ends.
    case record([String], length: Int, lines: Int)
    case needMore
    /// A quote where none may be, at `offset` from the record's start.
    case stray(offset: Int, reason: String)
  }

  private func finish(length: Int, lines: Int) {
    lastRecord = position..<(position + length)
    position += length
    nextLine += lines
  }

  /// Parses one record starting at `position` without consuming it.
  private func scanRecord() -> Scan {
    buffer.withUnsafeBufferPointer { bytes -> Scan in
      var fields: [String] = []
      var index = position
      var lines = 0
      var unescaped: [UInt8] = []
      while true {
        // A record ends at a line end or at the end of the file, both handled below.
        guard index < end else { return .needMore }
        if bytes[index] == UInt8(ascii: "\"") {
          // Quoted field: runs to a quote not followed by another quote.
          var cursor = index + 1
          unescaped.removeAll(keepingCapacity: true)
          var chunkStart = cursor
          while true {
            guard cursor < end else { return .needMore }
            let byte = bytes[cursor]
            if byte == UInt8(ascii: "\"") {
              guard cursor + 1 < end else {
                if atEndOfFile { break }
                return .needMore
              }
              if bytes[cursor + 1] == UInt8(ascii: "\"") {
                unescaped.append(contentsOf: bytes[chunkStart...cursor])
                cursor += 2
                chunkStart = cursor
                continue
              }
              break
            }
            if byte == UInt8(ascii: "\n") { lines += 1 }
            cursor += 1
          }
          unescaped.append(contentsOf: bytes[chunkStart..<cursor])
          fields.append(String(decoding: unescaped, as: UTF8.self))
          index = cursor + 1
          guard index < end else {
            if atEndOfFile { return .record(fields, length: index - position, lines: lines) }
            return .needMore
          }
          switch bytes[index] {
          case UInt8(ascii: ","): index += 1
          case UInt8(ascii: "\n"):
            return .record(fields, length: index + 1 - position, lines: lines + 1)
          case UInt8(ascii: "\r"):
            guard index + 1 < end || atEndOfFile else { return .needMore }
            let length = index + (index + 1 < end && bytes[index + 1] == UInt8(ascii: "\n") ? 2 : 1)
            return .record(fields, length: length - position, lines: lines + 1)
          default:
            return .stray(
              offset: index - position, reason: "unexpected text after a closing quote")
          }
          if index == end, atEndOfFile {
            fields.append("")
            return .record(fields, length: index - position, lines: lines)
          }
          continue
        }
        // Unquoted field: runs to a comma or a line end.
        let start = index
        while index < end {
          let byte = bytes[index]
          if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
            break
          }
          if byte == UInt8(ascii: "\"") {
            return .stray(offset: index - position, reason: "stray quote inside an unquoted field")
          }
          index += 1
        }
        guard index < end else {
          if !atEndOfFile { return .needMore }
          fields.append(String(decoding: bytes[start..<index], as: UTF8.self))
          return .record(fields, length: index - position, lines: lines)
        }
        fields.append(String(decoding: bytes[start..<index], as: UTF8.self))
        switch bytes[index] {
        case UInt8(ascii: ","):
          index += 1
          if index == end, atEndOfFile {
            fields.append("")
            return .record(fields, length: index - position, lines: lines)
          }
        case UInt8(ascii: "\n"):
          return .record(fields, length: index + 1 - position, lines: lines + 1)
        default:  // "\r"
          guard index + 1 < end || atEndOfFile else { return .needMore }
          let length = index + (index + 1 < end && bytes[index + 1] == UInt8(ascii: "\n") ? 2 : 1)
          return .record(fields, length: length - position, lines: lines + 1)
        }
      }
    }
  }

  /// The length from `position` to just past the line end after `offset`,
  /// reading more as needed (a refused row is skipped to its physical line end).
  private func skipLine(from offset: Int) -> Int {
    var index = position + offset
    while true {
      while index < end, buffer[index] != UInt8(ascii: "\n") { index += 1 }
      if index < end { return index + 1 - position }
      if atEndOfFile { return end - position }
      let consumed = index - position
      do { try fill() } catch { return end - position }
      index = position + consumed
    }
  }

  private func countLineEnds(_ length: Int) -> Int {
    buffer[position..<(position + length)].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
  }

  /// Moves unconsumed bytes to the front (growing the buffer when one record
  /// fills it) and reads more.
  private func fill() throws(CSVError) {
    if position > 0 {
      let pending = end - position
      if pending > 0 {
        buffer.withUnsafeMutableBufferPointer { bytes in
          _ = memmove(bytes.baseAddress!, bytes.baseAddress! + position, pending)
        }
      }
      end = pending
      lastRecord = 0..<0
      position = 0
    }
    if end == buffer.count { buffer += [UInt8](repeating: 0, count: buffer.count) }
    let count = buffer.withUnsafeMutableBufferPointer { bytes in
      read(descriptor, bytes.baseAddress! + end, bytes.count - end)
    }
    guard count >= 0 else {
      throw CSVError(line: nextLine, reason: "read failed: \(String(cString: strerror(errno)))")
    }
    if count == 0 { atEndOfFile = true }
    end += count
  }
}
