import Foundation
import GigatopModel
import GigatopTestSupport

@testable import GigatopNet

/// The fixture HTTP(S) server (`Tests/Fixtures/http/feed_server.py`) on 127.0.0.1 and a free port.
///
/// Started with `posix_spawn` (not Foundation's `Process`: see `Subprocess`),
/// killed and reaped by `stop()`, which `deinit` calls too.
final class HTTPTestServer {
  typealias Failure = Subprocess.Failure

  static let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let script = repositoryRoot.appendingPathComponent("Tests/Fixtures/http/feed_server.py").path
  static let fixture = repositoryRoot.appendingPathComponent("Tests/Fixtures/small.ndjson").path
  static let python: String? =
    (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
    .map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }
  static var isAvailable: Bool { python != nil }

  let folder: URL
  let port: Int
  let scheme: String
  private var pid: pid_t

  /// Starts the server, over TLS with `cert` and `key` when given; waits until it listens.
  init(cert: String? = nil, key: String? = nil) throws {
    guard let python = Self.python else { throw Failure(description: "python3 not found") }
    folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "gigatop-http-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var arguments = [
      python, "-u", Self.script, "--fixture", Self.fixture, "--log",
      folder.appendingPathComponent("log").path,
    ]
    if let cert, let key { arguments += ["--cert", cert, "--key", key] }
    scheme = cert == nil ? "http" : "https"
    let out = folder.appendingPathComponent("out").path
    pid = try Subprocess.spawn(
      arguments[0], arguments: Array(arguments.dropFirst()), environment: ProcessInfo.processInfo.environment,
      standardOutput: out, standardError: folder.appendingPathComponent("err").path)
    let deadline = Date().addingTimeInterval(10)
    var found: Int?
    while Date() < deadline {
      if let text = try? String(contentsOfFile: out, encoding: .utf8), text.hasSuffix("\n"),
        let number = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
      {
        found = number
        break
      }
      usleep(20_000)
    }
    guard let found else {
      kill(pid, SIGKILL)
      var status: Int32 = 0
      waitpid(pid, &status, 0)
      let err =
        (try? String(contentsOfFile: folder.appendingPathComponent("err").path, encoding: .utf8)) ?? ""
      throw Failure(description: "the fixture server did not start: \(err)")
    }
    port = found
  }

  deinit { stop() }

  /// The URL of a path on this server.
  func url(_ path: String) -> String { "\(scheme)://127.0.0.1:\(port)\(path)" }

  /// The requests the server has seen, oldest first.
  func requests() -> [[String: String]] {
    guard let text = try? String(contentsOfFile: folder.appendingPathComponent("log").path, encoding: .utf8)
    else { return [] }
    return text.split(separator: "\n").compactMap { line in
      guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
        return nil
      }
      return object.compactMapValues { $0 as? String }
    }
  }

  /// Kills the server and waits for it.
  func stop() {
    guard pid > 0 else { return }
    kill(pid, SIGKILL)
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    pid = 0
    try? FileManager.default.removeItem(at: folder)
  }

  /// Runs a program to its end (at most 30 s) with output to /dev/null; returns its exit status.
  static func runToEnd(_ argv: [String]) throws -> Int32 {
    try Subprocess.run(
      argv[0], arguments: Array(argv.dropFirst()), environment: ProcessInfo.processInfo.environment,
      standardOutput: "/dev/null", standardError: "/dev/null", timeout: 30)
  }
}

/// Polls a source the way the run loop does until `done` holds or `timeout` seconds pass.
struct HTTPDriver {
  var events: [FeedEvent] = []
  var conditions: [String] = []

  var messages: [Int] {
    events.compactMap { if case .message(_, let line) = $0 { return line } else { return nil } }
  }
  var rejected: [FeedLineError] {
    events.compactMap { if case .rejected(let error) = $0 { return error } else { return nil } }
  }

  /// Returns whether `done` became true in time.
  ///
  /// Sleeps with `Task.sleep`, not `poll(2)`: tests run on the few threads of the cooperative pool,
  /// which the source's background task needs too (the real run loop has a thread of its own).
  @discardableResult
  mutating func run(
    _ source: HTTPFeedSource, timeout: Double = 30, until done: (HTTPDriver) -> Bool
  ) async
    -> Bool
  {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      try? await Task.sleep(nanoseconds: 20_000_000)
      events += source.poll(budget: 4 << 20)
      if let condition = source.condition, conditions.last != condition { conditions.append(condition) }
      if done(self) { return true }
    }
    return false
  }
}
