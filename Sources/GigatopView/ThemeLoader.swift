import Foundation
import GigatopModel

/// Finds and reads theme files (`themes/<name>.json`), filling what they leave out from the compiled-in default.
///
/// ## The theme file format (version 1)
///
/// One JSON object, described by `themes/theme.schema.json`; every key is optional:
///
/// ```json
/// {
///   "version": 1,
///   "name": "dusk",
///   "palette": { "sky": "#7aa2f7", "grass": "#9ece6a", "rust": "#f7768e" },
///   "ui": {
///     "text": "default",
///     "background": { "color": "default", "background": "default" },
///     "border_focused": { "color": "sky", "attrs": ["bold"] }
///   },
///   "stages": { "burnin": { "color": "rust", "glyph": "▆" } },
///   "severities": { "crit": { "color": "rust", "attrs": ["bold", "reverse"], "glyph": "✗" } },
///   "gauge": ["grass", "rust"],
///   "spark": ["sky", "grass"]
/// }
/// ```
///
/// - `$schema` and `description` are for editors and people; gigatop only checks they are strings.
/// - `palette`: named colours that every other key may use by name. A colour is a palette name,
///   `default` (the terminal's own colour), `#rrggbb`, `#rgb`, an index `0`-`255`, or a basic name
///   (`red`, `bright-blue`, ...). A palette entry may name an earlier entry.
/// - A *style* is either a colour (the foreground) or an object with `color` (foreground),
///   `background` and `attrs` (any of `bold`, `dim`, `reverse`, `underline`; replaces the default's).
/// - `ui`: the styles `text`, `dim`, `background`, `border`, `border_focused`, `title`,
///   `title_focused`, `selection`, `good`, `warn`, `crit`.
/// - `stages`: a style plus a `glyph` (one character, one column) per stage: `planned`, `delivered`,
///   `racked`, `cabled`, `powered`, `burnin`, `accepted`, `in_pool`, `failed`, `rma`, `drained`.
/// - `severities`: a style plus a `glyph` per alert severity: `info`, `warn`, `crit`.
/// - `gauge`, `spark`: colours from low to high.
///
/// Missing keys, and fields missing inside a style, keep the compiled-in default (`Theme.defaultDark`)
/// key by key. A key with a bad value also keeps the default and yields a warning naming the file and
/// the key: `themes/x.json: stages.burnin.color: unknown colour "blurple"`. A file that is not JSON
/// yields the whole default and a warning. Unknown keys are warned about, never fatal.
public struct ThemeLoader: Sendable {
  /// The environment used to find the user's config directory.
  public var environment: [String: String]
  /// The directory holding the running executable, for `share/gigatop/themes` beside it.
  public var executableDirectory: String?
  /// The current directory, for `./themes`.
  public var currentDirectory: String

  /// A loader for this process: its environment, executable and current directory.
  public init() {
    environment = ProcessInfo.processInfo.environment
    executableDirectory = Bundle.main.executableURL?.deletingLastPathComponent().path
    currentDirectory = FileManager.default.currentDirectoryPath
  }

  /// A loader with an explicit environment and directories (for tests).
  public init(environment: [String: String], executableDirectory: String?, currentDirectory: String) {
    self.environment = environment
    self.executableDirectory = executableDirectory
    self.currentDirectory = currentDirectory
  }

  /// The newest theme format this version reads.
  public static let formatVersion = 1

  /// Finds theme `name` as this process would and loads it; never fails.
  ///
  /// Looks in `themesDir` (if given), then `$XDG_CONFIG_HOME/gigatop/themes` (or `~/.config/...`),
  /// then `share/gigatop/themes` beside the executable, then `./themes`. A name that is not found
  /// anywhere gives the compiled-in theme of that name (`default`, `mono`) or else the default,
  /// with a warning. A name ending in `.json` or holding a `/` is read as a path.
  public static func search(name: String, themesDir: String?) -> (Theme, [String]) {
    ThemeLoader().search(name: name, themesDir: themesDir)
  }

  /// Finds theme `name` in `directories(themesDir:)` and loads it; never fails.
  public func search(name: String, themesDir: String?) -> (Theme, [String]) {
    if name.hasSuffix(".json") || name.contains("/") {
      if FileManager.default.fileExists(atPath: name) { return Self.load(path: name) }
      return (Theme.defaultDark, ["theme file \(name) not found; using the built-in default theme"])
    }
    guard Self.isPlainName(name) else {
      return (
        Theme.defaultDark,
        ["theme name \"\(TextWidth.sanitized(name))\" is not valid; using the built-in default theme"]
      )
    }
    let dirs = directories(themesDir: themesDir)
    for dir in dirs {
      let path = dir + "/" + name + ".json"
      if FileManager.default.fileExists(atPath: path) { return Self.load(path: path) }
    }
    if let builtIn = Self.builtIn(name) { return (builtIn, []) }
    let looked = dirs.isEmpty ? "" : " (looked in " + dirs.joined(separator: ", ") + ")"
    return (Theme.defaultDark, ["theme \"\(name)\" not found\(looked); using the built-in default theme"])
  }

  /// The directories searched for theme files, in order.
  ///
  /// `themesDir`, then `$XDG_CONFIG_HOME/gigatop/themes` (or `~/.config/gigatop/themes`), then
  /// `share/gigatop/themes` beside the installed binary (`PREFIX/bin/gigatop` finds
  /// `PREFIX/share/gigatop/themes`), then the `themes/` folder of the checkout the executable was
  /// built in (found by walking up to a folder with `Package.swift`, for `swift run`), then `./themes`.
  public func directories(themesDir: String?) -> [String] {
    var dirs: [String] = []
    if let themesDir, !themesDir.isEmpty { dirs.append(themesDir) }
    if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
      dirs.append(xdg + "/gigatop/themes")
    } else if let home = environment["HOME"], !home.isEmpty {
      dirs.append(home + "/.config/gigatop/themes")
    }
    if let exe = executableDirectory {
      let bin = URL(fileURLWithPath: exe)
      dirs.append(bin.deletingLastPathComponent().appendingPathComponent("share/gigatop/themes").path)
      dirs.append(bin.appendingPathComponent("share/gigatop/themes").path)
      if let checkout = Self.checkoutRoot(above: exe) { dirs.append(checkout + "/themes") }
    }
    dirs.append(currentDirectory + "/themes")
    var seen = Set<String>()
    return dirs.filter { seen.insert(Self.normalized($0)).inserted }
  }

  /// The nearest folder at or above `directory` holding a `Package.swift`: the checkout of a `swift run`.
  static func checkoutRoot(above directory: String) -> String? {
    var url = URL(fileURLWithPath: directory).standardizedFileURL
    for _ in 0..<12 {
      if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
        return url.path
      }
      let parent = url.deletingLastPathComponent()
      if parent.path == url.path { return nil }
      url = parent
    }
    return nil
  }

  /// A path without `.`, `..` and trailing slashes, to tell when two directories are the same.
  static func normalized(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.path
  }

  /// The names of every theme that `search` can find: the compiled-in ones and each `NAME.json`.
  ///
  /// `default` comes first and `mono` second, then the rest in alphabetical order; this is the
  /// order the `t` key cycles through. `theme.schema.json` and hidden files are not themes.
  public func availableThemes(themesDir: String?) -> [String] {
    var names = Set(Self.builtInNames)
    for dir in directories(themesDir: themesDir) {
      guard let files = try? FileManager.default.contentsOfDirectory(atPath: dir) else { continue }
      for file in files where file.hasSuffix(".json") && !file.hasSuffix(".schema.json") {
        let stem = String(file.dropLast(".json".count))
        if Self.isPlainName(stem) { names.insert(stem) }
      }
    }
    let rest = names.subtracting(Self.builtInNames).sorted()
    return Self.builtInNames + rest
  }

  /// The names of the compiled-in themes, in cycling order.
  public static let builtInNames = ["default", "mono"]

  /// The compiled-in theme of a name, if there is one.
  public static func builtIn(_ name: String) -> Theme? {
    switch name {
    case "default", "default-dark": return Theme.defaultDark
    case "mono": return Theme.mono
    default: return nil
    }
  }

  /// Reads a theme file; a file that cannot be read gives the default and a warning.
  public static func load(path: String) -> (Theme, [String]) {
    guard let data = FileManager.default.contents(atPath: path) else {
      return (Theme.defaultDark, ["\(path): cannot be read; using the built-in default theme"])
    }
    guard let text = String(data: data, encoding: .utf8) else {
      return (Theme.defaultDark, ["\(path): not UTF-8 text; using the built-in default theme"])
    }
    let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    return parse(text, file: path, defaultName: stem)
  }

  /// Builds a theme from the text of a theme file named `file` (for messages); never fails.
  public static func parse(_ text: String, file: String, defaultName: String? = nil) -> (Theme, [String]) {
    let root: JSONValue
    do throws(JSONParser.Failure) {
      root = try JSONParser.parse(text)
    } catch {
      let (line, column) = position(of: error.offset, in: text)
      return (
        Theme.defaultDark,
        [
          "\(file): not valid JSON at line \(line), column \(column): \(error.message); using the built-in default theme"
        ]
      )
    }
    guard case .object(let object) = root else {
      return (Theme.defaultDark, ["\(file): a theme must be a JSON object; using the built-in default theme"])
    }
    var reader = ThemeReader(file: file)
    var theme = Theme.defaultDark
    if let defaultName { theme.name = defaultName }
    reader.read(object, into: &theme)
    return (theme, reader.warnings)
  }

  /// Whether a theme name is a plain file stem (no path, no hidden file).
  static func isPlainName(_ name: String) -> Bool {
    guard !name.isEmpty, !name.hasPrefix(".") else { return false }
    return name.unicodeScalars.allSatisfy { scalar in
      (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9")
        || scalar == "-" || scalar == "_" || scalar == "."
    }
  }

  /// The 1-based line and column of a byte offset in a text.
  static func position(of offset: Int, in text: String) -> (Int, Int) {
    var line = 1
    var column = 1
    for (index, byte) in text.utf8.enumerated() {
      if index >= offset { break }
      if byte == 0x0A {
        line += 1
        column = 1
      } else if byte & 0xC0 != 0x80 {
        column += 1
      }
    }
    return (line, column)
  }
}

/// Walks a theme file's JSON over a base theme, collecting warnings with the file and key path.
struct ThemeReader {
  let file: String
  var warnings: [String] = []
  var palette: [String: Color] = [:]

  init(file: String) { self.file = file }

  /// The `ui` keys and the theme properties they set.
  static var uiKeys: [(String, WritableKeyPath<Theme, Style>)] {
    [
      ("text", \.text), ("dim", \.dim), ("background", \.background), ("border", \.border),
      ("border_focused", \.borderFocused), ("title", \.title), ("title_focused", \.titleFocused),
      ("selection", \.selection), ("good", \.good), ("warn", \.warn), ("crit", \.crit),
    ]
  }

  static let attributeNames: [(String, Style.Attributes)] = [
    ("bold", .bold), ("dim", .dim), ("reverse", .reverse), ("underline", .underline),
  ]

  /// Records a problem with the key path it was found at.
  mutating func warn(_ key: String, _ message: String) {
    warnings.append("\(file): \(key): \(message)")
  }

  /// Applies every known top-level key of a theme file to `theme`.
  mutating func read(_ root: JSONObject, into theme: inout Theme) {
    // The palette first: other keys refer to it, whatever order the file has.
    if let value = root["palette"] { readPalette(value) }
    for (key, value) in zip(root.keys, root.values) {
      switch key {
      case "version":
        if case .number(let n) = value, n == n.rounded(), n >= 1 {
          if n > Double(ThemeLoader.formatVersion) {
            warn(
              key,
              "version \(Int(n)) is newer than this gigatop reads (\(ThemeLoader.formatVersion)); reading the keys it knows"
            )
          }
        } else {
          warn(key, "must be a whole number from 1, got \(describe(value))")
        }
      case "name":
        if case .string(let name) = value, !name.isEmpty {
          theme.name = name
        } else {
          warn(key, "must be a non-empty string, got \(describe(value))")
        }
      case "palette":
        break
      case "$schema", "description":
        if case .string = value {} else { warn(key, "must be a string, got \(describe(value))") }
      case "ui":
        readUI(value, into: &theme)
      case "stages":
        readStages(value, into: &theme)
      case "severities":
        readSeverities(value, into: &theme)
      case "gauge":
        if let colors = gradient(value, key: key) { theme.gaugeGradient = colors }
      case "spark":
        if let colors = gradient(value, key: key) { theme.sparkGradient = colors }
      default:
        warn(key, "unknown key (ignored)")
      }
    }
  }

  /// Reads the named colours, in file order (an entry may name an earlier one).
  mutating func readPalette(_ value: JSONValue) {
    guard case .object(let object) = value else {
      warn("palette", "must be an object of colour names, got \(describe(value))")
      return
    }
    for (name, entry) in zip(object.keys, object.values) {
      if let color = color(entry, key: "palette." + name) { palette[name] = color }
    }
  }

  /// Reads the `ui` styles over the theme's.
  mutating func readUI(_ value: JSONValue, into theme: inout Theme) {
    guard case .object(let object) = value else {
      warn("ui", "must be an object, got \(describe(value))")
      return
    }
    for (key, entry) in zip(object.keys, object.values) {
      guard let path = Self.uiKeys.first(where: { $0.0 == key })?.1 else {
        warn("ui." + key, "unknown key (ignored)")
        continue
      }
      theme[keyPath: path] = style(entry, key: "ui." + key, base: theme[keyPath: path], glyph: nil).style
    }
  }

  /// Reads the per-stage styles and glyphs over the theme's.
  mutating func readStages(_ value: JSONValue, into theme: inout Theme) {
    guard case .object(let object) = value else {
      warn("stages", "must be an object, got \(describe(value))")
      return
    }
    for (key, entry) in zip(object.keys, object.values) {
      guard let stage = Stage(rawValue: key) else {
        warn("stages." + key, "unknown stage (ignored)")
        continue
      }
      let rank = stage.rank
      guard rank < theme.stages.count, rank < theme.stageGlyphs.count else { continue }
      let (style, glyph) = style(
        entry, key: "stages." + key, base: theme.stages[rank], glyph: theme.stageGlyphs[rank])
      theme.stages[rank] = style
      if let glyph { theme.stageGlyphs[rank] = glyph }
    }
  }

  /// Reads the per-severity styles and glyphs over the theme's.
  mutating func readSeverities(_ value: JSONValue, into theme: inout Theme) {
    guard case .object(let object) = value else {
      warn("severities", "must be an object, got \(describe(value))")
      return
    }
    for (key, entry) in zip(object.keys, object.values) {
      guard let severity = Severity(rawValue: key) else {
        warn("severities." + key, "unknown severity (ignored)")
        continue
      }
      let rank = severity.rank
      guard rank < theme.severities.count, rank < theme.severityGlyphs.count else { continue }
      let (style, glyph) = style(
        entry, key: "severities." + key, base: theme.severities[rank], glyph: theme.severityGlyphs[rank])
      theme.severities[rank] = style
      if let glyph { theme.severityGlyphs[rank] = glyph }
    }
  }

  /// A style over `base`; `glyph` is non-nil where a glyph is allowed (and is then returned, maybe replaced).
  mutating func style(
    _ value: JSONValue, key: String, base: Style, glyph: Unicode.Scalar?
  ) -> (
    style: Style, glyph: Unicode.Scalar?
  ) {
    var result = base
    var resultGlyph = glyph
    switch value {
    case .string:
      if let color = color(value, key: key) { result.foreground = color }
    case .object(let object):
      for (field, entry) in zip(object.keys, object.values) {
        let path = key + "." + field
        switch field {
        case "color":
          if let color = color(entry, key: path) { result.foreground = color }
        case "background":
          if let color = color(entry, key: path) { result.background = color }
        case "attrs":
          if let attributes = attributes(entry, key: path) { result.attributes = attributes }
        case "glyph" where glyph != nil:
          if let scalar = self.glyph(entry, key: path) { resultGlyph = scalar }
        default:
          warn(path, "unknown key (ignored)")
        }
      }
    default:
      warn(key, "must be a colour or an object with color, background, attrs, got \(describe(value))")
    }
    return (result, resultGlyph)
  }

  /// A colour: a palette name, or what `Color(parsing:)` accepts.
  mutating func color(_ value: JSONValue, key: String) -> Color? {
    guard case .string(let text) = value else {
      warn(key, "must be a colour name or #rrggbb, got \(describe(value))")
      return nil
    }
    if let named = palette[text] { return named }
    if let parsed = Color(parsing: text) { return parsed }
    warn(key, "unknown colour \"\(TextWidth.sanitized(text))\"")
    return nil
  }

  /// An `attrs` array as attributes, or nil (with a warning) if any name is unknown.
  mutating func attributes(_ value: JSONValue, key: String) -> Style.Attributes? {
    guard case .array(let items) = value else {
      warn(key, "must be an array of bold, dim, reverse, underline, got \(describe(value))")
      return nil
    }
    var result: Style.Attributes = []
    for (index, item) in items.enumerated() {
      guard case .string(let name) = item,
        let attribute = Self.attributeNames.first(where: { $0.0 == name })?.1
      else {
        warn("\(key)[\(index)]", "unknown attribute \(describe(item)) (bold, dim, reverse, underline)")
        return nil
      }
      result.insert(attribute)
    }
    return result
  }

  /// A glyph: exactly one printable scalar one column wide.
  mutating func glyph(_ value: JSONValue, key: String) -> Unicode.Scalar? {
    guard case .string(let text) = value else {
      warn(key, "must be a one-character string, got \(describe(value))")
      return nil
    }
    let scalars = Array(text.unicodeScalars)
    guard scalars.count == 1, let scalar = scalars.first, TextWidth.placeholder(for: scalar) == nil,
      TextWidth.columns(of: scalar) == 1
    else {
      warn(key, "must be one character one column wide, got \"\(TextWidth.sanitized(text))\"")
      return nil
    }
    return scalar
  }

  /// A non-empty array of colours, or nil (with a warning) if any is bad.
  mutating func gradient(_ value: JSONValue, key: String) -> [Color]? {
    guard case .array(let items) = value, !items.isEmpty else {
      warn(key, "must be a non-empty array of colours, got \(describe(value))")
      return nil
    }
    var colors: [Color] = []
    for (index, item) in items.enumerated() {
      guard let color = color(item, key: "\(key)[\(index)]") else { return nil }
      colors.append(color)
    }
    return colors
  }

  /// A JSON value as a message shows it.
  func describe(_ value: JSONValue) -> String {
    switch value {
    case .null: return "null"
    case .bool(let b): return String(b)
    case .number(let n): return n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n)
    case .string(let s): return "\"" + TextWidth.sanitized(s) + "\""
    case .array: return "an array"
    case .object: return "an object"
    }
  }
}
