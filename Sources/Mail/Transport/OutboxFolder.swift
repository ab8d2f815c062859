// The outbox-folder transport: each rendered message becomes one file that
// a relay (or a test) picks up. Files appear atomically via rename(2).

import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Why an outbox operation failed. `errno` is the C error number.
public enum OutboxFolderError: Error, Equatable, Sendable {
  /// The path exists but is not a directory, or could not be created.
  case cannotCreateFolder(path: String, errno: Int32)
  /// The name is empty, `.`/`..`, starts with `.`, or contains `/` or NUL.
  case invalidFileName(String)
  /// Creating, writing, syncing or renaming the file failed.
  case writeFailed(path: String, errno: Int32)
}

extension OutboxFolderError: CustomStringConvertible {
  public var description: String {
    switch self {
    case .cannotCreateFolder(let path, let code):
      return "cannot use '\(path)' as the outbox folder: \(String(cString: strerror(code)))"
    case .invalidFileName(let name):
      return "'\(name)' is not a valid outbox file name"
    case .writeFailed(let path, let code):
      return "cannot write '\(path)': \(String(cString: strerror(code)))"
    }
  }
}

/// A folder of finished messages.
///
/// Each write goes to a hidden temporary file (`.name.tmp-…`) in the same
/// folder and is renamed over the final name, so a reader never sees half a
/// file and rewriting a name leaves one file with the latest bytes. Readers
/// should ignore names starting with `.`; for that reason such names are
/// refused as message names.
public struct OutboxFolder: Sendable {
  /// The folder's path.
  public let path: String
  /// Whether writes call fsync(2) on the file and the folder before returning.
  public let durable: Bool

  /// Opens the folder, creating it (with parents) if missing.
  public init(path: String) throws {
    try self.init(path: path, durable: false)
  }

  /// Opens the folder; `durable` makes every write survive a power cut
  /// (fsync of the file and the folder), at the cost of speed.
  public init(path: String, durable: Bool) throws {
    do {
      try FileManager.default.createDirectory(
        atPath: path, withIntermediateDirectories: true)
    } catch {
      throw OutboxFolderError.cannotCreateFolder(path: path, errno: errno)
    }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
      isDirectory.boolValue
    else {
      throw OutboxFolderError.cannotCreateFolder(path: path, errno: ENOTDIR)
    }
    self.path = path
    self.durable = durable
  }

  /// Writes atomically (temp file in the same folder + fsync optional + rename), so a reader
  /// never sees half a file and writing the same name twice leaves one file with the latest
  /// bytes.
  public func write(fileName: String, contents: [UInt8]) throws {
    try Self.validate(fileName)
    let finalPath = path + "/" + fileName
    let tempPath =
      path + "/." + fileName + ".tmp-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)

    let fd = open(tempPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw OutboxFolderError.writeFailed(path: tempPath, errno: errno) }
    var failure: Int32 = 0
    contents.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        let written = systemWrite(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          failure = errno
          return
        }
        offset += written
      }
    }
    if failure == 0 && durable && fsync(fd) != 0 { failure = errno }
    if close(fd) != 0 && failure == 0 { failure = errno }
    if failure == 0 && rename(tempPath, finalPath) != 0 { failure = errno }
    if failure != 0 {
      unlink(tempPath)
      throw OutboxFolderError.writeFailed(path: finalPath, errno: failure)
    }
    if durable {
      // The rename itself is only durable once the directory is synced.
      let dir = open(path, O_RDONLY | O_CLOEXEC)
      if dir >= 0 {
        _ = fsync(dir)
        close(dir)
      }
    }
  }

  /// True when a message file with this name exists.
  public func contains(fileName: String) -> Bool {
    guard (try? Self.validate(fileName)) != nil else { return false }
    var info = stat()
    return stat(path + "/" + fileName, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
  }

  private static func validate(_ name: String) throws {
    if name.isEmpty || name.hasPrefix(".") || name.utf8.contains(UInt8(ascii: "/"))
      || name.utf8.contains(0)
    {
      throw OutboxFolderError.invalidFileName(name)
    }
  }
}

/// write(2), named apart from `OutboxFolder.write`.
@inline(__always)
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
  #if canImport(Darwin)
    return Darwin.write(fd, buffer, count)
  #elseif canImport(Musl)
    return Musl.write(fd, buffer, count)
  #else
    return Glibc.write(fd, buffer, count)
  #endif
}
