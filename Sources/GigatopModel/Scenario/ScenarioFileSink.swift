#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffers feed lines and writes them to a file descriptor in large chunks.
///
/// The only platform code of the scenario. After the first failed write, lines are
/// dropped and `finish()` throws the error.
struct ScenarioFileSink {
  /// A failed `write(2)`.
  struct WriteError: Error, CustomStringConvertible {
    var fd: Int32
    var code: Int32

    var description: String {
      var text = "cannot write the scenario feed to file descriptor \(fd): error \(code)"
      if let message = strerror(code) { text += " (" + String(cString: message) + ")" }
      return text
    }
  }

  static let chunk = 1 << 20

  private let fd: Int32
  private var buffer: [UInt8] = []
  private var failure: WriteError?

  init(fd: Int32) {
    self.fd = fd
    buffer.reserveCapacity(Self.chunk + 64 * 1024)
  }

  /// Appends a line and its newline, writing out a chunk when the buffer is full.
  mutating func append(line: UnsafeRawBufferPointer) {
    guard failure == nil else { return }
    buffer.append(contentsOf: line)
    buffer.append(0x0A)
    if buffer.count >= Self.chunk { flush() }
  }

  /// Writes what is left and throws the first write error, if any.
  mutating func finish() throws {
    flush()
    if let failure {
      // Callers may look at errno (EPIPE from `| head` is a normal end), so leave it set.
      errno = failure.code
      throw failure
    }
  }

  private mutating func flush() {
    guard failure == nil, !buffer.isEmpty else { return }
    let fd = self.fd
    let error: WriteError? = buffer.withUnsafeBytes { bytes in
      guard let base = bytes.baseAddress else { return nil }
      var offset = 0
      while offset < bytes.count {
        let written = write(fd, base + offset, bytes.count - offset)
        if written > 0 {
          offset += written
        } else if written < 0, errno == EINTR {
          continue
        } else {
          return WriteError(fd: fd, code: written < 0 ? errno : EIO)
        }
      }
      return nil
    }
    failure = error
    buffer.removeAll(keepingCapacity: true)
  }
}
