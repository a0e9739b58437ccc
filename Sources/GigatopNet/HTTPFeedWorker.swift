import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// The background half of an HTTP feed: requests, follows redirects, streams bodies into the mailbox,
/// and retries with backoff. Runs as a task on its own, never on the run loop's thread.
struct HTTPFeedWorker: Sendable {
  let url: String
  let options: HTTPFeedOptions
  let client: HTTPClient
  let mailbox: HTTPFeedMailbox

  /// The most bytes left waiting for the run loop before the worker stops reading.
  static let backlogLimit = 8 << 20

  /// How one attempt ended.
  enum Outcome {
    /// A status document was read (or had not changed): ask again after the poll interval.
    case polled
    /// A stream ended, cleanly or for `reason`; `delivered` says whether it brought anything
    /// (then the backoff starts again from the first delay).
    case ended(delivered: Bool, reason: String)
    /// The attempt failed, for this reason.
    case failed(String)
  }

  /// The validators of the last status document, for conditional requests.
  struct Validators {
    var etag: String?
    var lastModified: String?
  }

  /// Requests until cancelled: documents every poll interval, streams again when they end or fail.
  func run() async {
    var failures = 0
    var validators = Validators()
    while !Task.isCancelled {
      let outcome = await attempt(&validators)
      if Task.isCancelled { return }
      let delay: Double
      switch outcome {
      case .polled:
        failures = 0
        delay = options.pollInterval
      case .ended(let delivered, let reason):
        if delivered { failures = 0 }
        failures += 1
        delay = options.backoff(attempt: failures)
        mailbox.set(.retrying(reason: reason, at: Self.now() + delay), delay: delay)
      case .failed(let reason):
        failures += 1
        delay = options.backoff(attempt: failures)
        mailbox.set(.retrying(reason: reason, at: Self.now() + delay), delay: delay)
      }
      do {
        try await Task.sleep(nanoseconds: UInt64(max(0, delay) * 1e9))
      } catch {
        return
      }
    }
  }

  /// One request, following redirects, and its whole body.
  func attempt(_ validators: inout Validators) async -> Outcome {
    var target = url
    var redirects = 0
    while true {
      var request = HTTPClientRequest(url: target)
      request.headers.add(name: "User-Agent", value: "gigatop")
      request.headers.add(
        name: "Accept", value: "application/x-ndjson, text/event-stream, application/json;q=0.9, */*;q=0.5")
      if let token = options.token, Self.sameOrigin(target, url) {
        request.headers.add(name: "Authorization", value: "Bearer " + token)
      }
      if let etag = validators.etag { request.headers.add(name: "If-None-Match", value: etag) }
      if let modified = validators.lastModified {
        request.headers.add(name: "If-Modified-Since", value: modified)
      }
      if let id = mailbox.inbox.withLock({ $0.lastEventID }) {
        request.headers.add(name: "Last-Event-ID", value: id)
      }
      mailbox.inbox.withLock { $0.requests += 1 }
      let response: HTTPClientResponse
      do {
        response = try await client.execute(request, deadline: .distantFuture)
      } catch {
        return .failed(Self.describe(error))
      }
      let code = Int(response.status.code)
      switch code {
      case 301, 302, 303, 307, 308:
        redirects += 1
        guard let location = response.headers.first(name: "Location") else {
          return .failed("HTTP \(code) without a Location")
        }
        guard redirects <= options.maxRedirects else {
          return .failed("too many redirects (over \(options.maxRedirects))")
        }
        guard let next = Self.resolve(location, against: target) else {
          return .failed("HTTP \(code) to an unusable Location")
        }
        target = next
        continue
      case 304:
        mailbox.set(.connected)
        return .polled
      case 200..<300:
        mailbox.set(.connected)
        let kind = Self.kind(of: response.headers.first(name: "Content-Type"))
        if kind == .document {
          return await readDocument(response, validators: &validators)
        }
        return await readStream(response, kind: kind)
      default:
        return .failed("HTTP \(code)")
      }
    }
  }

  private func readDocument(_ response: HTTPClientResponse, validators: inout Validators) async -> Outcome {
    var bytes: [UInt8] = []
    do {
      for try await buffer in response.body {
        bytes.append(contentsOf: buffer.readableBytesView)
        if bytes.count > options.maxDocument {
          return .failed("document over \(options.maxDocument) bytes")
        }
      }
    } catch {
      return .failed(Self.describe(error))
    }
    validators.etag = response.headers.first(name: "ETag")
    validators.lastModified = response.headers.first(name: "Last-Modified")
    mailbox.post(.begin(.document))
    mailbox.post(.document(bytes))
    return .polled
  }

  private func readStream(_ response: HTTPClientResponse, kind: HTTPFeedMailbox.Kind) async -> Outcome {
    mailbox.post(.begin(kind))
    var delivered = false
    do {
      for try await buffer in response.body {
        delivered = true
        mailbox.post(.bytes(Array(buffer.readableBytesView)))
        // Backpressure: a run loop that cannot keep up is not buried in memory.
        while mailbox.queuedBytes > Self.backlogLimit, !Task.isCancelled {
          try await Task.sleep(nanoseconds: 10_000_000)
        }
      }
    } catch {
      mailbox.post(.abort)
      return .ended(delivered: delivered, reason: Self.describe(error))
    }
    mailbox.post(.end)
    return .ended(delivered: delivered, reason: "stream ended")
  }

  /// The layout a content type names: SSE, NDJSON lines, or a JSON status document.
  static func kind(of contentType: String?) -> HTTPFeedMailbox.Kind {
    let media =
      (contentType ?? "").split(separator: ";").first.map {
        $0.trimmingCharacters(in: .whitespaces).lowercased()
      } ?? ""
    if media == "text/event-stream" { return .events }
    if media.contains("ndjson") || media.contains("jsonl") || media.contains("json-seq")
      || media.contains("jsonlines")
    {
      return .lines
    }
    if media == "application/json" || media == "text/json" || media.hasSuffix("+json") { return .document }
    return .lines
  }

  /// A redirect's target made absolute; nil unless it is http or https.
  static func resolve(_ location: String, against base: String) -> String? {
    guard let baseURL = URL(string: base), let next = URL(string: location, relativeTo: baseURL)?.absoluteURL,
      let scheme = next.scheme?.lowercased(), scheme == "http" || scheme == "https", next.host != nil
    else { return nil }
    return next.absoluteString
  }

  /// Whether two URLs share scheme, host and port (the token goes only to the feed's own origin).
  static func sameOrigin(_ a: String, _ b: String) -> Bool {
    guard let x = URL(string: a), let y = URL(string: b) else { return false }
    func port(_ url: URL) -> Int? { url.port ?? (url.scheme?.lowercased() == "https" ? 443 : 80) }
    return x.scheme?.lowercased() == y.scheme?.lowercased() && x.host?.lowercased() == y.host?.lowercased()
      && port(x) == port(y)
  }

  /// A short reason for the status bar.
  static func describe(_ error: any Error) -> String {
    if let error = error as? HTTPClientError {
      switch error {
      case .readTimeout, .deadlineExceeded: return "timed out"
      case .connectTimeout: return "connect timed out"
      case .tlsHandshakeTimeout: return "TLS handshake timed out"
      case .remoteConnectionClosed: return "connection closed"
      default: break
      }
    }
    let text = String(describing: error)
    if error is NIOSSLError || error is BoringSSLError || text.contains("SSL") {
      if text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("certificate verify failed") {
        return "TLS error: certificate verify failed"
      }
      return "TLS error: " + String(text.prefix(80))
    }
    if let error = error as? IOError {
      if error.errnoCode == ECONNRESET { return "connection reset" }
      if error.errnoCode == ECONNREFUSED { return "connection refused" }
      return String(cString: strerror(error.errnoCode)).lowercased()
    }
    let lower = text.lowercased()
    if lower.contains("refused") { return "connection refused" }
    if lower.contains("reset") { return "connection reset" }
    return String(text.prefix(80))
  }

  static func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
  }
}
