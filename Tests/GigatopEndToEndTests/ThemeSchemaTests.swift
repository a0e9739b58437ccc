import Foundation
import GigatopTestSupport
import Testing

/// Every shipped theme validates against `themes/theme.schema.json`, checked by Python's `jsonschema`.
@Suite(.enabled(if: SchemaValidator.isAvailable, "python3 with jsonschema is not installed"))
struct ThemeSchemaTests {
  static var python: String? { SchemaValidator.python }

  static let themes = GigatopBinary.repositoryRoot.appendingPathComponent("themes")

  /// Checks the schema itself, then each file against it; prints `FILE: PATH: message` per problem.
  static let script = """
    import json, sys, jsonschema
    schema = json.load(open(sys.argv[1]))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    problems = 0
    for path in sys.argv[2:]:
        for error in validator.iter_errors(json.load(open(path))):
            problems += 1
            print(path + ": " + "/".join(map(str, error.absolute_path)) + ": " + error.message)
    sys.exit(1 if problems else 0)
    """

  /// Runs a program; its exit status and standard output and error together.
  static func run(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("gigatop-schema-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("out").path
    let status = try Subprocess.run(
      path, arguments: arguments,
      environment: [
        "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "LANG": "C.UTF-8",
      ],
      standardOutput: out, standardError: out, timeout: 30)
    return (status, (try? String(contentsOfFile: out, encoding: .utf8)) ?? "")
  }

  /// Validates theme files against the shipped schema.
  func validate(_ files: [String]) throws -> (status: Int32, output: String) {
    let python = try #require(Self.python)
    let schema = Self.themes.appendingPathComponent("theme.schema.json").path
    return try Self.run(python, ["-c", Self.script, schema] + files)
  }

  @Test func everyShippedThemeValidates() throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: Self.themes.path)
      .filter { $0.hasSuffix(".json") && !$0.hasSuffix(".schema.json") }.sorted()
    #expect(files.count >= 6)
    let result = try validate(files.map { Self.themes.appendingPathComponent($0).path })
    #expect(result.status == 0, "\(result.output)")
  }

  @Test func theSchemaRejectsWhatTheLoaderWarnsAbout() throws {
    let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
      "gigatop-bad-theme-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let bad = dir.appendingPathComponent("bad.json")
    try #"""
    {"version": 1, "name": "bad", "colours": {}, "ui": {"txt": "red"},
     "stages": {"racked": {"glyph": "ab", "attrs": ["blink"]}}, "spark": []}
    """#.write(to: bad, atomically: true, encoding: .utf8)
    let result = try validate([bad.path])
    #expect(result.status == 1)
    for problem in ["colours", "txt", "stages/racked", "spark"] {
      #expect(result.output.contains(problem), "no complaint about \(problem):\n\(result.output)")
    }
  }
}

/// Python's `jsonschema`, if installed.
enum SchemaValidator {
  static let python: String? = TmuxSession.findExecutable("python3")

  /// Whether `python3 -c "import jsonschema"` works.
  static let isAvailable: Bool = {
    guard let python else { return false }
    return (try? ThemeSchemaTests.run(python, ["-c", "import jsonschema"]).status) == 0
  }()
}
