import Foundation
import Testing

@testable import Imports

@Suite("CSV reader")
struct CSVReaderTests {
  @Test("BOM, CRLF, quoted commas, quotes and line breaks; records keep their first line")
  func variants() throws {
    let path = try temporaryFile(
      "\u{FEFF}a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\r\n2,\"two\r\nlines\",\r\n\r\n3,,last")
    for chunk in [4, 1 << 20] {
      let records = try readAll(CSVReader(path: path, chunkSize: chunk))
      #expect(records.map(\.line) == [1, 2, 3, 6])
      #expect(records[0].fields == ["a", "b", "c"])
      #expect(records[1].fields == ["1", "x, y", "say \"hi\""])
      #expect(records[2].fields == ["2", "two\r\nlines", ""])
      #expect(records[3].fields == ["3", "", "last"])
    }
  }

  @Test("the raw bytes of a record are kept exactly, for reject files")
  func rawRecord() throws {
    let path = try temporaryFile("a,b\n\"q\"\"1\",\"x\ny\"\n")
    let reader = try CSVReader(path: path, chunkSize: 3)
    _ = try reader.next()
    _ = try reader.next()
    #expect(String(decoding: reader.lastRawRecord, as: UTF8.self) == "\"q\"\"1\",\"x\ny\"\n")
  }

  @Test("an unterminated quote is an error at the line where it opens")
  func unterminatedQuote() throws {
    let path = try temporaryFile("a,b\n1,2\n3,\"open\n4,5\n6,7\n")
    let reader = try CSVReader(path: path)
    #expect(try reader.next()?.line == 1)
    #expect(try reader.next()?.line == 2)
    #expect(throws: CSVError(line: 3, reason: "unterminated quoted field (the quote opens here)")) {
      try reader.next()
    }
    #expect(try reader.next() == nil)
  }

  @Test("a stray quote fails its row only; reading goes on at the next line")
  func strayQuote() throws {
    let path = try temporaryFile("a,b\n1,5\"screen\n\"x\"y,2\n3,4\n")
    let reader = try CSVReader(path: path)
    _ = try reader.next()
    #expect(throws: CSVError(line: 2, reason: "stray quote inside an unquoted field")) {
      try reader.next()
    }
    #expect(String(decoding: reader.lastRawRecord, as: UTF8.self) == "1,5\"screen\n")
    #expect(throws: CSVError(line: 3, reason: "unexpected text after a closing quote")) {
      try reader.next()
    }
    #expect(try reader.next() == CSVRecord(line: 4, fields: ["3", "4"]))
  }

  @Test("timestamps in the formats' styles")
  func timestamps() {
    #expect(Timestamp.parse("2025-03-02T10:20:11-05:00") == 1_740_928_811)
    #expect(Timestamp.parse("2025-03-02T15:20:11.000Z") == 1_740_928_811)
    #expect(Timestamp.parse("2025-03-02T16:20:11") == 1_740_932_411)
    #expect(Timestamp.parse("2024-03-14 09:14:02") == 1_710_407_642)
    #expect(Timestamp.parse("2025-03-02T20:50:11+0530") == 1_740_928_811)
    #expect(Timestamp.parse("2025-03-02") == 1_740_873_600)
    #expect(Timestamp.parse("2025-02-30") == nil)
    #expect(Timestamp.parse("03/02/2025") == nil)
    #expect(Timestamp.parse("2025-03-02T10:20:11 EST") == nil)
  }
}
