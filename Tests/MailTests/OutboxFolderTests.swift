import Foundation
import Testing

@testable import Mail

@Suite struct OutboxFolderTests {
  static func temporaryPath() -> String {
    FileManager.default.temporaryDirectory
      .appendingPathComponent("flowc-outbox-\(UUID().uuidString)").path
  }

  @Test func createsFolderWithParents() throws {
    let root = Self.temporaryPath()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let outbox = try OutboxFolder(path: root + "/a/b/outbox")
    var isDirectory: ObjCBool = false
    #expect(FileManager.default.fileExists(atPath: outbox.path, isDirectory: &isDirectory))
    #expect(isDirectory.boolValue)
    _ = try OutboxFolder(path: root + "/a/b/outbox")  // opening again is fine
  }

  @Test(arguments: [false, true])
  func rewritingLeavesOneFileWithLatestBytes(durable: Bool) throws {
    let root = Self.temporaryPath()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let outbox = try OutboxFolder(path: root, durable: durable)
    #expect(!outbox.contains(fileName: "m1.eml"))
    try outbox.write(fileName: "m1.eml", contents: Array("first, and longer".utf8))
    try outbox.write(fileName: "m1.eml", contents: Array("second".utf8))
    #expect(outbox.contains(fileName: "m1.eml"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["m1.eml"])
    #expect(try Data(contentsOf: URL(fileURLWithPath: root + "/m1.eml")) == Data("second".utf8))
  }

  @Test func writesRenderedMessages() throws {
    let root = Self.temporaryPath()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let outbox = try OutboxFolder(path: root)
    let bytes = MIMEWriter.render(Samples.chinese, boundary: "b")
    try outbox.write(fileName: "zh.eml", contents: bytes)
    try outbox.write(fileName: "empty.eml", contents: [])
    #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: root + "/zh.eml"))) == bytes)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: root).sorted() == ["empty.eml", "zh.eml"])
  }

  @Test(arguments: ["", ".", "..", ".hidden", "a/b", "../escape", "nul\u{0}"])
  func refusesUnsafeNames(name: String) throws {
    let root = Self.temporaryPath()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let outbox = try OutboxFolder(path: root)
    #expect(throws: OutboxFolderError.invalidFileName(name)) {
      try outbox.write(fileName: name, contents: [1])
    }
    #expect(!outbox.contains(fileName: name))
    #expect(try FileManager.default.contentsOfDirectory(atPath: root).isEmpty)
  }

  @Test func refusesAFileInPlaceOfTheFolder() throws {
    let root = Self.temporaryPath()
    defer { try? FileManager.default.removeItem(atPath: root) }
    try Data().write(to: URL(fileURLWithPath: root))
    #expect(throws: OutboxFolderError.self) { try OutboxFolder(path: root) }
  }

  @Test func concurrentWritersLeaveNoTemporaryFiles() async throws {
    let root = Self.temporaryPath()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let outbox = try OutboxFolder(path: root)
    try await withThrowingTaskGroup(of: Void.self) { group in
      for index in 0..<40 {
        group.addTask {
          try outbox.write(
            fileName: "m\(index % 4).eml", contents: Array(repeating: UInt8(index), count: 4096))
        }
      }
      try await group.waitForAll()
    }
    let names = try FileManager.default.contentsOfDirectory(atPath: root).sorted()
    #expect(names == ["m0.eml", "m1.eml", "m2.eml", "m3.eml"])
    for name in names {
      let data = try Data(contentsOf: URL(fileURLWithPath: root + "/" + name))
      #expect(data.count == 4096 && Set(data).count == 1, "never a mix of two writes")
    }
  }
}
