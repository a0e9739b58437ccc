import AsyncHTTPClient
import GigatopModel
import NIOCore
import NIOSSL

#if canImport(Glibc)
import Glibc
#endif

/// A feed at an `http://` or `https://` URL: a status document polled, an NDJSON stream, or
/// Server-Sent Events, chosen by the response's content type.
///
/// A background task does the networking (timeouts, redirects, verified TLS, backoff with
/// jitter) and hands bytes over through a pipe, so the run loop waits on `pollableDescriptor`
/// with its other descriptors and `poll()` never blocks. Lines and messages are decoded here,
/// on the caller's thread, with the URL as the feed name, exactly as a file's would be.
public final class HTTPFeedSource: FollowedFeed {
  /// The feed's name: the URL as given.
  public let name: String
  public let url: String
  /// `.lines` while a stream (NDJSON or SSE) is read, `.document` for a status document.
  public private(set) var layout: FeedSource.Layout?
  /// The connection's state for the status bar: connecting, connected, or why and when it retries.
  public private(set) var condition: String? = "connecting"
  public var lineTap: ((UnsafeRawBufferPointer) -> Void)?
  /// Always false: an HTTP feed is retried, never given up.
  public let closed = false

  private let mailbox: HTTPFeedMailbox
  private let client: HTTPClient
  private var task: Task<Void, Never>?
  private var kind: HTTPFeedMailbox.Kind?
  private var splitter: LineSplitter
  private var events: HTTPEventStreamParser

  /// Whether a feed argument names an HTTP(S) URL rather than a path.
  public static func isURL(_ text: String) -> Bool {
    let lower = text.lowercased()
    return lower.hasPrefix("http://") || lower.hasPrefix("https://")
  }

  /// A problem with the options, found before any request (an unreadable CA file, say).
  public struct SetupError: Error, CustomStringConvertible {
    public var description: String
  }

  /// Creates the source and starts fetching in the background.
  ///
  /// - Throws: `SetupError` when the CA file cannot be loaded.
  public init(url: String, options: HTTPFeedOptions) throws {
    self.url = url
    name = url
    splitter = LineSplitter(maxLine: options.maxLine)
    events = HTTPEventStreamParser(maxLine: options.maxLine)
    var tls = TLSConfiguration.makeClientConfiguration()
    if let caFile = options.caFile {
      do {
        tls.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMFile(caFile))]
      } catch {
        throw SetupError(description: "--ca-file \(caFile): cannot load certificates: \(error)")
      }
    }
    var configuration = HTTPClient.Configuration(
      tlsConfiguration: tls, redirectConfiguration: .disallow,
      timeout: .init(
        connect: .milliseconds(Int64(options.timeout * 1000)),
        read: .milliseconds(Int64(options.timeout * 1000))))
    configuration.decompression = .disabled
    client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    mailbox = HTTPFeedMailbox()
    let worker = HTTPFeedWorker(url: url, options: options, client: client, mailbox: mailbox)
    task = Task.detached { await worker.run() }
  }

  deinit {
    stop()
  }

  /// Stops fetching and closes connections; the source reads nothing more.
  public func stop() {
    guard let task else { return }
    task.cancel()
    self.task = nil
    client.shutdown(queue: .global()) { _ in }
  }

  /// The pipe that turns readable when the background task has news.
  public var pollableDescriptor: Int32? { mailbox.wakeRead >= 0 ? mailbox.wakeRead : nil }

  /// How many requests have been sent, redirects included (for tests and diagnostics).
  public var requestCount: Int { mailbox.inbox.withLock { $0.requests } }

  /// The delays chosen before each retry so far, most recent last (at most 64).
  public var retryDelays: [Double] { mailbox.inbox.withLock { $0.retryDelays } }

  /// Decodes what has arrived since the last poll, at most about `budget` bytes; never blocks.
  public func poll(budget: Int) -> [FeedEvent] {
    let (items, phase) = mailbox.take(budget: budget)
    var out: [FeedEvent] = []
    for item in items {
      switch item {
      case .begin(let newKind):
        kind = newKind
        layout = newKind == .document ? .document : .lines
        splitter.reset()
        events.reset()
      case .bytes(let bytes):
        bytes.withUnsafeBytes { raw in
          splitter.push(raw) { line, content in take(content, line: line) { out.append($0) } }
        }
      case .end:
        splitter.finish { line, content in take(content, line: line) { out.append($0) } }
        events.reset()
      case .abort:
        splitter.reset()
        events.reset()
      case .document(let bytes):
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { continue }
        let name = self.name
        out += bytes.withUnsafeBytes { FeedEvent.decodeDocument($0, feed: name) }
      }
    }
    if kind == .events, let id = events.lastEventID {
      mailbox.inbox.withLock { $0.lastEventID = id }
    }
    condition = Self.describe(phase, now: HTTPFeedWorker.now())
    return out
  }

  /// A line of a stream: an NDJSON line as it is, an SSE line through the event parser.
  private func take(_ content: LineSplitter.Content, line: Int, _ body: (FeedEvent) -> Void) {
    if kind == .events {
      events.take(content) { number, message in deliver(message, line: number, body) }
    } else {
      deliver(content, line: line, body)
    }
  }

  /// Shows a line to `lineTap`, then decodes it and hands the event on (blank lines give none).
  private func deliver(_ content: LineSplitter.Content, line: Int, _ body: (FeedEvent) -> Void) {
    if let lineTap, case .bytes(let bytes) = content { lineTap(bytes) }
    if let event = FeedEvent.decode(content, feed: name, line: line) { body(event) }
  }

  /// The status bar's words for a phase: `connected`, `HTTP 500; retrying in 4 s`.
  static func describe(_ phase: HTTPFeedMailbox.Phase, now: Double) -> String {
    switch phase {
    case .connecting: return "connecting"
    case .connected: return "connected"
    case .retrying(let reason, let at):
      let seconds = Int(max(0, at - now).rounded(.up))
      return seconds > 0 ? "\(reason); retrying in \(seconds) s" : "\(reason); retrying"
    }
  }
}
