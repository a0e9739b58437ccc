import Foundation

/// Where the built `gigatop` and the test fixtures are.
enum GigatopBinary {
  /// The `gigatop` executable next to the test bundle (`swift test` builds it), or nil if missing.
  static var path: String? {
    var candidates: [URL] = []
    let selfExe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    candidates.append(selfExe.deletingLastPathComponent())
    if let first = CommandLine.arguments.first {
      let url = URL(fileURLWithPath: first).resolvingSymlinksInPath()
      candidates.append(url.deletingLastPathComponent())
      // On macOS the bundle's binary sits in X.xctest/Contents/MacOS.
      candidates.append(
        url.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
          .deletingLastPathComponent())
    }
    for directory in candidates {
      let path = directory.appendingPathComponent("gigatop").path
      if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
  }

  /// The repository root, found from this file's path.
  static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// A fixture under `Tests/Fixtures`.
  static func fixture(_ name: String) -> String {
    repositoryRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(name).path
  }
}
