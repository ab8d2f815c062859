/// The rows of an import file, read one at a time.
public protocol ImportSource: AnyObject {
  /// The next record and the line it starts on; nil at the end. A bad row
  /// throws, and reading goes on with the next one where the file allows.
  func next() throws(LineError) -> (line: Int, record: ImportRecord)?
  /// The row last returned exactly as read (with a line end), for a reject file.
  var lastRaw: [UInt8] { get }
  /// What a reject file starts with: the CSV header line; empty for JSON.
  var rejectPreamble: [UInt8] { get }
}

/// A CSV file read through one layout's `CSVMemberFormat`.
public final class CSVSource: ImportSource {
  private let reader: CSVReader
  private let format: any CSVMemberFormat
  private let columnCount: Int
  public let rejectPreamble: [UInt8]

  /// Reads the header row and builds the format from it.
  public init(
    path: String, format makeFormat: (CSVHeader) throws(FormatError) -> any CSVMemberFormat
  ) throws(FormatError) {
    let header: CSVRecord?
    do {
      reader = try CSVReader(path: path)
      header = try reader.next()
    } catch {
      throw FormatError("\(path):\(error.line): \(error.reason)")
    }
    guard let header else { throw FormatError("\(path): the file is empty") }
    rejectPreamble = Self.terminated(reader.lastRawRecord)
    columnCount = header.fields.count
    do {
      format = try makeFormat(CSVHeader(header.fields))
    } catch {
      throw FormatError("\(path):\(header.line): \(error.description)")
    }
  }

  public var lastRaw: [UInt8] { Self.terminated(reader.lastRawRecord) }

  public func next() throws(LineError) -> (line: Int, record: ImportRecord)? {
    let record: CSVRecord
    do {
      guard let read = try reader.next() else { return nil }
      record = read
    } catch {
      throw LineError(line: error.line, reason: error.reason, raw: lastRaw)
    }
    guard record.fields.count == columnCount else {
      throw LineError(
        line: record.line,
        reason: "expected \(columnCount) fields like the header, found \(record.fields.count)",
        raw: lastRaw)
    }
    do {
      return (record.line, .member(try format.member(record.fields)))
    } catch {
      throw LineError(line: record.line, reason: error.reason, raw: lastRaw)
    }
  }

  /// A record's bytes with a line end, so rejects stay one record per row.
  static func terminated(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
    bytes.last == UInt8(ascii: "\n") ? Array(bytes) : Array(bytes) + [UInt8(ascii: "\n")]
  }
}

/// A JSON file (object, array or JSON Lines) read through a `JSONRecordFormat`.
public final class JSONSource: ImportSource {
  private var objects: IndexingIterator<[Result<JSONObject, LineError>]>
  private let format: any JSONRecordFormat
  public private(set) var lastRaw: [UInt8] = []
  public let rejectPreamble: [UInt8] = []

  public init(path: String, format: any JSONRecordFormat) throws(FormatError) {
    objects = try JSONObjects.read(path: path).makeIterator()
    self.format = format
  }

  public func next() throws(LineError) -> (line: Int, record: ImportRecord)? {
    guard let next = objects.next() else { return nil }
    switch next {
    case .failure(var error):
      error.raw.append(UInt8(ascii: "\n"))
      lastRaw = error.raw
      throw error
    case .success(let object):
      lastRaw = object.jsonLine + [UInt8(ascii: "\n")]
      do {
        return (object.line, try format.record(object.value))
      } catch {
        let reason = object.item.map { "array item \($0): \(error.reason)" } ?? error.reason
        throw LineError(line: object.line, reason: reason, raw: lastRaw)
      }
    }
  }
}
