#if canImport(Glibc)
import Glibc
#endif

/// How HTTP(S) feeds are fetched: polling, timeouts, retries, TLS trust and the bearer token.
public struct HTTPFeedOptions: Sendable {
  /// The environment variable a bearer token is read from.
  public static let tokenVariable = "GIGATOP_TOKEN"

  /// Seconds between two requests for a status document.
  public var pollInterval: Double
  /// Seconds to wait for a connection, and for the next bytes of a response, before giving up.
  public var timeout: Double
  /// A PEM file of extra certificate authorities to trust (a private CA), besides the system's.
  public var caFile: String?
  /// Sent as `Authorization: Bearer TOKEN` to the feed's own origin (never after a redirect elsewhere).
  public var token: String?
  /// The most redirects followed for one request.
  public var maxRedirects: Int
  /// The first retry's delay in seconds; each failure in a row doubles it, up to `backoffCap`.
  public var backoffBase: Double
  /// The longest delay between retries, in seconds.
  public var backoffCap: Double
  /// The longest line (or SSE message) accepted, in bytes.
  public var maxLine: Int
  /// The largest status document accepted, in bytes.
  public var maxDocument: Int

  /// Creates options; every value has a default suited to a real deployment.
  public init(
    pollInterval: Double = 5, timeout: Double = 30, caFile: String? = nil, token: String? = nil,
    maxRedirects: Int = 5, backoffBase: Double = 1, backoffCap: Double = 60, maxLine: Int = 1 << 20,
    maxDocument: Int = 64 << 20
  ) {
    self.pollInterval = pollInterval
    self.timeout = timeout
    self.caFile = caFile
    self.token = token
    self.maxRedirects = maxRedirects
    self.backoffBase = backoffBase
    self.backoffCap = backoffCap
    self.maxLine = maxLine
    self.maxDocument = maxDocument
  }

  /// A problem reading the token file.
  public struct TokenError: Error, CustomStringConvertible {
    public var description: String
  }

  /// The bearer token: the first line of `file` when given, else `GIGATOP_TOKEN` from `environment`.
  ///
  /// Surrounding whitespace is dropped; an empty token counts as none.
  /// - Throws: `TokenError` when the file cannot be read.
  public static func resolveToken(environment: [String: String], file: String?) throws -> String? {
    if let file {
      guard let text = readSmallFile(file) else {
        throw TokenError(description: "--token-file \(file): cannot read: \(describeErrno())")
      }
      let line = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).first.map(String.init) ?? ""
      let token = trimmed(line)
      return token.isEmpty ? nil : token
    }
    guard let value = environment[tokenVariable] else { return nil }
    let token = trimmed(value)
    return token.isEmpty ? nil : token
  }

  /// The delay before retry number `attempt` (1 for the first): doubling from `backoffBase`, at most
  /// `backoffCap`, with jitter that keeps it between half and all of that.
  public func backoff(attempt: Int, random: Double = Double.random(in: 0...1)) -> Double {
    let exponent = Double(max(0, min(attempt - 1, 30)))
    let full = min(backoffCap, backoffBase * pow(2, exponent))
    return full * (0.5 + 0.5 * random)
  }

  private static func trimmed(_ text: String) -> String {
    String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
  }

  private static func readSmallFile(_ path: String) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while bytes.count < 1 << 16 {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      if n < 0 { return nil }
      if n == 0 { break }
      bytes.append(contentsOf: chunk[0..<n])
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  static func describeErrno() -> String {
    guard let text = strerror(errno) else { return "error \(errno)" }
    return String(cString: text).lowercased()
  }
}
