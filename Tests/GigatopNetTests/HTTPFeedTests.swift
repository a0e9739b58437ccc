import Foundation
import GigatopModel
import Testing

@testable import GigatopNet

/// HTTP(S) feeds against the fixture server on 127.0.0.1: each kind of feed, and each way one fails.
@Suite(.enabled(if: HTTPTestServer.isAvailable, "python3 is not installed"), .timeLimit(.minutes(1)))
struct HTTPFeedTests {
  /// Options with short timeouts and backoff so failures show quickly.
  static func quick(_ change: (inout HTTPFeedOptions) -> Void = { _ in }) -> HTTPFeedOptions {
    // A generous read timeout: on a loaded machine a short one reconnects and reads a stream twice.
    var options = HTTPFeedOptions(pollInterval: 0.2, timeout: 20, backoffBase: 0.1, backoffCap: 2)
    change(&options)
    return options
  }

  /// What reading the fixture file gives: the count of messages and of rejected lines.
  static let fixtureCounts: (messages: Int, rejected: Int) = {
    var messages = 0
    var rejected = 0
    FeedSource(path: HTTPTestServer.fixture).readAll { event in
      if case .message = event { messages += 1 } else { rejected += 1 }
    }
    return (messages, rejected)
  }()

  @Test func statusDocumentIsPolledWithConditionalRequests() async throws {
    let server = try HTTPTestServer()
    let source = try HTTPFeedSource(url: server.url("/doc"), options: Self.quick())
    defer { source.stop() }
    var driver = HTTPDriver()
    #expect(await driver.run(source) { $0.messages.count >= 5 })
    #expect(source.layout == .document)
    // Wait for two more polls: both conditional, both 304, and nothing new decoded.
    #expect(await driver.run(source) { _ in server.requests().count >= 3 })
    _ = await driver.run(source, timeout: 0.3) { _ in false }
    #expect(driver.messages == [1, 2, 3, 4, 5])
    #expect(driver.rejected.isEmpty)
    let requests = server.requests()
    #expect(requests.first?["if_none_match"] == nil)
    #expect(requests.dropFirst().allSatisfy { $0["if_none_match"] == #""v1""# })
    #expect(requests.dropFirst().allSatisfy { $0["if_modified_since"] == "Mon, 01 Jul 2024 00:00:00 GMT" })
    #expect(source.condition == "connected")
  }

  @Test func chunkedNDJSONStreamIsReadLineByLine() async throws {
    let server = try HTTPTestServer()
    let source = try HTTPFeedSource(url: server.url("/stream?hold=30"), options: Self.quick())
    defer { source.stop() }
    var tapped = 0
    source.lineTap = { _ in tapped += 1 }
    var driver = HTTPDriver()
    let expected = Self.fixtureCounts
    #expect(await driver.run(source) { $0.events.count >= expected.messages + expected.rejected })
    #expect(driver.messages.count == expected.messages)
    #expect(driver.rejected.count == expected.rejected)
    #expect(tapped == expected.messages + expected.rejected)
    #expect(source.layout == .lines)
    #expect(source.condition == "connected")
    #expect(driver.rejected.allSatisfy { $0.feed == server.url("/stream?hold=30") })
  }

  @Test func serverSentEventsGiveOneMessagePerEvent() async throws {
    let server = try HTTPTestServer()
    let source = try HTTPFeedSource(url: server.url("/sse"), options: Self.quick())
    defer { source.stop() }
    var recorded: [String] = []
    source.lineTap = { recorded.append(String(decoding: $0, as: UTF8.self)) }
    var driver = HTTPDriver()
    #expect(await driver.run(source) { $0.events.count >= 4 })
    #expect(Array(driver.messages.prefix(3)) == [1, 2, 4])
    #expect(driver.rejected.first?.line == 3)
    #expect(driver.rejected.first?.reason.isEmpty == false)
    // The two data: lines of event 2 are one message, joined by a newline.
    #expect(recorded.count >= 4 && recorded[1].contains("\n"))
    // The stream ends; the reconnection says which event it saw last.
    #expect(await driver.run(source) { _ in server.requests().count >= 2 })
    #expect(server.requests().last?["last_event_id"] == "3")
  }

  @Test func aStalledServerTimesOutAndIsRetried() async throws {
    let server = try HTTPTestServer()
    let source = try HTTPFeedSource(url: server.url("/stall"), options: Self.quick { $0.timeout = 0.5 })
    defer { source.stop() }
    var driver = HTTPDriver()
    #expect(await driver.run(source) { _ in source.condition?.hasPrefix("timed out; retrying") == true })
    #expect(await driver.run(source) { _ in server.requests().count >= 2 })
  }

  @Test func aStreamThatStallsMidwayKeepsWhatCameAndTimesOut() async throws {
    let server = try HTTPTestServer()
    let source = try HTTPFeedSource(url: server.url("/stall-body"), options: Self.quick { $0.timeout = 0.5 })
    defer { source.stop() }
    var driver = HTTPDriver()
    #expect(await driver.run(source) { _ in source.condition?.hasPrefix("timed out; retrying") == true })
    #expect(driver.messages.first == 1)
  }

  @Test func aResetConnectionIsReportedAndRetried() async throws {
    let server = try HTTPTestServer()
    let source = try HTTPFeedSource(url: server.url("/reset"), options: Self.quick())
    defer { source.stop() }
    var driver = HTTPDriver()
    #expect(
      await driver.run(source) { _ in
        let text = source.condition ?? ""
        return (text.hasPrefix("connection reset") || text.hasPrefix("connection closed"))
          && text.contains("retrying")
      }, "\(driver.conditions)")
    #expect(await driver.run(source) { _ in server.requests().count >= 2 })
  }

  @Test func serverErrorsShowTheStatusAndBackOff() async throws {
    let server = try HTTPTestServer()
    let source = try HTTPFeedSource(url: server.url("/500"), options: Self.quick { $0.backoffCap = 10 })
    defer { source.stop() }
    var driver = HTTPDriver()
    #expect(await driver.run(source) { _ in source.condition?.hasPrefix("HTTP 500; retrying") == true })
    #expect(await driver.run(source) { _ in source.retryDelays.count >= 4 })
    let delays = source.retryDelays
    for (a, b) in zip(delays, delays.dropFirst()) { #expect(b >= a, "\(delays)") }
    #expect(delays.count >= 4 && delays[3] >= 4 * delays[0] * 0.99, "\(delays)")
    #expect(driver.events.isEmpty)
  }

  @Test func garbageLinesAreRejectedWithReasonsAndReadingGoesOn() async throws {
    let server = try HTTPTestServer()
    let source = try HTTPFeedSource(url: server.url("/garbage?hold=30"), options: Self.quick())
    defer { source.stop() }
    var driver = HTTPDriver()
    #expect(await driver.run(source) { $0.events.count >= 5 })
    #expect(driver.messages == [1, 5])
    #expect(driver.rejected.map(\.line) == [2, 3, 4])
    #expect(driver.rejected.allSatisfy { !$0.reason.isEmpty && $0.feed == server.url("/garbage?hold=30") })
  }

  @Test func redirectsAreFollowedUpToTheLimit() async throws {
    let server = try HTTPTestServer()
    let near = try HTTPFeedSource(url: server.url("/redirect/3"), options: Self.quick())
    defer { near.stop() }
    var driver = HTTPDriver()
    #expect(await driver.run(near) { $0.messages.count >= 10 })
    let far = try HTTPFeedSource(url: server.url("/redirect/9"), options: Self.quick())
    defer { far.stop() }
    var farDriver = HTTPDriver()
    #expect(await farDriver.run(far) { _ in far.condition?.hasPrefix("too many redirects (over 5)") == true })
    #expect(farDriver.events.isEmpty)
  }

  @Test func theBearerTokenIsSentFromTheEnvironmentOrAFile() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "gigatop-token-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("token").path
    try Data("s3cret\n".utf8).write(to: URL(fileURLWithPath: file))
    #expect(try HTTPFeedOptions.resolveToken(environment: [:], file: file) == "s3cret")
    #expect(
      try HTTPFeedOptions.resolveToken(environment: ["GIGATOP_TOKEN": " s3cret "], file: nil) == "s3cret")
    #expect(try HTTPFeedOptions.resolveToken(environment: ["GIGATOP_TOKEN": ""], file: nil) == nil)
    #expect(throws: HTTPFeedOptions.TokenError.self) {
      try HTTPFeedOptions.resolveToken(environment: [:], file: folder.appendingPathComponent("none").path)
    }

    let server = try HTTPTestServer()
    let token = try HTTPFeedOptions.resolveToken(environment: [:], file: file)
    let source = try HTTPFeedSource(
      url: server.url("/auth?hold=30"), options: Self.quick { $0.token = token })
    defer { source.stop() }
    var driver = HTTPDriver()
    #expect(await driver.run(source) { $0.messages.count >= 10 })
    #expect(server.requests().first?["authorization"] == "Bearer s3cret")
    let anonymous = try HTTPFeedSource(url: server.url("/auth"), options: Self.quick())
    defer { anonymous.stop() }
    var anonymousDriver = HTTPDriver()
    #expect(await anonymousDriver.run(anonymous) { _ in anonymous.condition?.hasPrefix("HTTP 401") == true })
  }

  @Test func httpsIsVerifiedAgainstTheGivenCA() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "gigatop-tls-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let cert = folder.appendingPathComponent("cert.pem").path
    let key = folder.appendingPathComponent("key.pem").path
    try HTTPTestCertificate.make(cert: cert, key: key)
    let server = try HTTPTestServer(cert: cert, key: key)

    let trusted = try HTTPFeedSource(
      url: server.url("/stream?hold=30"), options: Self.quick { $0.caFile = cert })
    defer { trusted.stop() }
    var driver = HTTPDriver()
    #expect(await driver.run(trusted) { $0.messages.count >= 10 }, "\(driver.conditions)")

    let untrusted = try HTTPFeedSource(url: server.url("/stream"), options: Self.quick())
    defer { untrusted.stop() }
    var refused = HTTPDriver()
    #expect(
      await refused.run(untrusted) { _ in untrusted.condition?.hasPrefix("TLS error") == true },
      "\(refused.conditions)")
    #expect(refused.events.isEmpty)

    #expect(throws: HTTPFeedSource.SetupError.self) {
      try HTTPFeedSource(url: server.url("/stream"), options: Self.quick { $0.caFile = key + ".missing" })
    }
  }

  @Test func backoffDoublesWithJitterUpToTheCap() {
    let options = HTTPFeedOptions(backoffBase: 1, backoffCap: 60)
    #expect(options.backoff(attempt: 1, random: 1) == 1)
    #expect(options.backoff(attempt: 1, random: 0) == 0.5)
    #expect(options.backoff(attempt: 4, random: 1) == 8)
    #expect(options.backoff(attempt: 20, random: 1) == 60)
    #expect(options.backoff(attempt: 20, random: 0) == 30)
  }

  @Test func theContentTypeChoosesTheLayout() {
    #expect(HTTPFeedWorker.kind(of: "text/event-stream; charset=utf-8") == .events)
    #expect(HTTPFeedWorker.kind(of: "application/x-ndjson") == .lines)
    #expect(HTTPFeedWorker.kind(of: "application/jsonl") == .lines)
    #expect(HTTPFeedWorker.kind(of: "application/json; charset=utf-8") == .document)
    #expect(HTTPFeedWorker.kind(of: "application/problem+json") == .document)
    #expect(HTTPFeedWorker.kind(of: nil) == .lines)
    #expect(HTTPFeedWorker.sameOrigin("http://a:80/x", "http://a/y"))
    #expect(!HTTPFeedWorker.sameOrigin("http://a/x", "https://a/x"))
    #expect(HTTPFeedWorker.resolve("/next", against: "http://127.0.0.1:9/a/b") == "http://127.0.0.1:9/next")
    #expect(HTTPFeedWorker.resolve("file:///etc/passwd", against: "http://127.0.0.1:9/") == nil)
  }
}

/// A self-signed certificate for 127.0.0.1, made with the `openssl` command at test time.
enum HTTPTestCertificate {
  static func make(cert: String, key: String) throws {
    let openssl = ["/usr/bin/openssl", "/usr/local/bin/openssl"].first {
      FileManager.default.isExecutableFile(atPath: $0)
    }
    guard let openssl else { throw HTTPTestServer.Failure(description: "openssl is not installed") }
    let status = try HTTPTestServer.runToEnd([
      openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
      "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
      "-addext", "basicConstraints=critical,CA:TRUE",
    ])
    guard status == 0 else { throw HTTPTestServer.Failure(description: "openssl req failed: \(status)") }
  }
}
