import Foundation
import Testing

/// A tiny text-snapshot helper: compares text with `__Snapshots__/<name>.txt` beside the tests.
///
/// A missing snapshot is written and the test fails (so a new one is looked at before it counts),
/// unless `SNAPSHOT_TESTING_RECORD=never` (CI): then a missing snapshot only fails.
/// `SNAPSHOT_TESTING_RECORD=all` re-records every snapshot (and fails, to say so).
enum Snapshot {
  /// The directory holding the snapshots.
  static func directory(file: StaticString = #filePath) -> URL {
    URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent("__Snapshots__")
  }

  /// How recording is set up by `SNAPSHOT_TESTING_RECORD`: `missing` (default), `all` or `never`.
  static var recordMode: String {
    ProcessInfo.processInfo.environment["SNAPSHOT_TESTING_RECORD"] ?? "missing"
  }

  /// Checks `text` against the stored snapshot `name`.
  static func assert(
    _ text: String, named name: String, file: StaticString = #filePath,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let url = directory(file: file).appendingPathComponent(name + ".txt")
    let mode = recordMode
    let stored = try? String(contentsOf: url, encoding: .utf8)
    if mode == "all" || (stored == nil && mode != "never") {
      do {
        try FileManager.default.createDirectory(
          at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        Issue.record(
          "recorded snapshot \(name).txt; check it and run the tests again", sourceLocation: sourceLocation)
      } catch {
        Issue.record("cannot record snapshot \(name).txt: \(error)", sourceLocation: sourceLocation)
      }
      return
    }
    guard let stored else {
      Issue.record(
        "missing snapshot \(name).txt (SNAPSHOT_TESTING_RECORD=never)", sourceLocation: sourceLocation)
      return
    }
    if stored != text {
      Issue.record(
        "snapshot \(name).txt differs:\n\(difference(expected: stored, actual: text))",
        sourceLocation: sourceLocation)
    }
  }

  /// The lines that differ, as `-expected` / `+actual` pairs with line numbers.
  static func difference(expected: String, actual: String) -> String {
    let old = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let new = actual.split(separator: "\n", omittingEmptySubsequences: false)
    var out: [String] = []
    for index in 0..<max(old.count, new.count) {
      let a = index < old.count ? String(old[index]) : nil
      let b = index < new.count ? String(new[index]) : nil
      if a != b {
        out.append(String(format: "%3d-|%@", index + 1, a ?? "<none>"))
        out.append(String(format: "%3d+|%@", index + 1, b ?? "<none>"))
      }
    }
    return out.joined(separator: "\n")
  }
}
