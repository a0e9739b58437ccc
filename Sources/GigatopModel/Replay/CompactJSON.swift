/// A compact, one-line JSON text builder: members go out in the order they are written.
///
/// Used for recording lines (keyframes, items of status documents) that must stay on one line.
struct CompactJSON {
  private(set) var text = ""
  private var needsComma = [false]

  init() { text.reserveCapacity(256) }

  /// Opens an object (as a member value or array item, or at the top).
  mutating func open(_ key: String? = nil) {
    prefix(key)
    text += "{"
    needsComma.append(false)
  }

  /// Opens an array.
  mutating func openArray(_ key: String? = nil) {
    prefix(key)
    text += "["
    needsComma.append(false)
  }

  /// Closes the innermost object.
  mutating func close() {
    needsComma.removeLast()
    text += "}"
  }

  /// Closes the innermost array.
  mutating func closeArray() {
    needsComma.removeLast()
    text += "]"
  }

  /// A string member; nothing when nil.
  mutating func string(_ key: String?, _ value: String?) {
    guard let value else { return }
    prefix(key)
    Self.appendQuoted(value, to: &text)
  }

  /// A number member; nothing when nil. Whole numbers are written without a fraction.
  mutating func number(_ key: String?, _ value: Double?) {
    guard let value else { return }
    prefix(key)
    text += Self.format(value)
  }

  /// An integer member; nothing when nil.
  mutating func int(_ key: String?, _ value: Int?) {
    guard let value else { return }
    prefix(key)
    text += String(value)
  }

  /// Writes a parsed JSON value as it is (used to put items of a status document on lines of their own).
  mutating func value(_ key: String?, _ value: JSONValue) {
    switch value {
    case .null:
      prefix(key)
      text += "null"
    case .bool(let b):
      prefix(key)
      text += b ? "true" : "false"
    case .number(let n): number(key, n)
    case .string(let s): string(key, s)
    case .array(let items):
      openArray(key)
      for item in items { self.value(nil, item) }
      closeArray()
    case .object(let object):
      open(key)
      for (k, v) in zip(object.keys, object.values) { self.value(k, v) }
      close()
    }
  }

  /// A `null` member.
  mutating func null(_ key: String) {
    prefix(key)
    text += "null"
  }

  /// A partial-update string: absent (nil) is left out, `null` is written as `null`.
  mutating func field(_ key: String, _ value: String??) {
    guard let value else { return }
    if let value { string(key, value) } else { null(key) }
  }

  /// A partial-update number: absent is left out, `null` is written as `null`.
  mutating func field(_ key: String, _ value: Double??) {
    guard let value else { return }
    if let value { number(key, value) } else { null(key) }
  }

  /// A partial-update integer: absent is left out, `null` is written as `null`.
  mutating func field(_ key: String, _ value: Int??) {
    guard let value else { return }
    if let value { int(key, value) } else { null(key) }
  }

  /// A partial-update enumeration (written as its raw value).
  mutating func field<E: RawRepresentable>(_ key: String, _ value: E??) where E.RawValue == String {
    guard let value else { return }
    if let value { string(key, value.rawValue) } else { null(key) }
  }

  private mutating func prefix(_ key: String?) {
    if needsComma[needsComma.count - 1] { text += "," }
    needsComma[needsComma.count - 1] = true
    if let key {
      Self.appendQuoted(key, to: &text)
      text += ":"
    }
  }

  /// The shortest text that reads back as the same number.
  static func format(_ value: Double) -> String {
    guard value.isFinite else { return "null" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
    return String(value)
  }

  /// Appends a JSON string literal; control characters, DEL, C1 and invisible format characters
  /// (bidi overrides among them) are escaped, so a terminal showing the JSON shows them as text.
  static func appendQuoted(_ value: String, to text: inout String) {
    text += "\""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\"": text += "\\\""
      case "\\": text += "\\\\"
      case "\n": text += "\\n"
      case "\r": text += "\\r"
      case "\t": text += "\\t"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
          || scalar.properties.generalCategory == .format
        {
          let hex = String(scalar.value, radix: 16)
          text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          text.unicodeScalars.append(scalar)
        }
      }
    }
    text += "\""
  }
}
