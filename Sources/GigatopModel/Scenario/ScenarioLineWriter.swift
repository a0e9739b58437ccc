/// Appends JSON pieces to a growing UTF-8 byte buffer, without Foundation.
///
/// The scenario writes hundreds of thousands of lines; building them from
/// static strings and hand-formatted numbers keeps that fast.
struct ScenarioLineWriter {
  /// The bytes written so far.
  var bytes: [UInt8] = []

  /// Creates an empty writer with room for `capacity` bytes.
  init(capacity: Int = 0) {
    bytes.reserveCapacity(capacity)
  }

  /// Forgets the bytes but keeps the storage.
  mutating func reset() {
    bytes.removeAll(keepingCapacity: true)
  }

  /// Appends one byte.
  @inline(__always)
  mutating func byte(_ value: UInt8) {
    bytes.append(value)
  }

  /// Appends text as it is (the caller knows it needs no escaping).
  mutating func raw(_ text: StaticString) {
    text.withUTF8Buffer { bytes.append(contentsOf: $0) }
  }

  /// Appends bytes as they are.
  mutating func raw(_ other: [UInt8]) {
    bytes.append(contentsOf: other)
  }

  /// Appends `,"name":`, the start of a member after the first.
  mutating func key(_ name: StaticString) {
    byte(0x2C)
    byte(0x22)
    raw(name)
    byte(0x22)
    byte(0x3A)
  }

  /// Appends a JSON string of known-safe static text.
  mutating func quoted(_ text: StaticString) {
    byte(0x22)
    raw(text)
    byte(0x22)
  }

  /// Appends a JSON string, escaping quotes, backslashes and control characters.
  mutating func string(_ text: String) {
    byte(0x22)
    for unit in text.utf8 {
      switch unit {
      case 0x22: raw("\\\"")
      case 0x5C: raw("\\\\")
      case 0x0A: raw("\\n")
      case 0x09: raw("\\t")
      case 0..<0x20, 0x7F:
        raw("\\u00")
        byte(Self.hexDigit(unit >> 4))
        byte(Self.hexDigit(unit & 0x0F))
      default: byte(unit)
      }
    }
    byte(0x22)
  }

  /// Appends `null`.
  mutating func null() {
    raw("null")
  }

  /// Appends a whole number.
  mutating func int(_ value: Int) {
    if value < 0 { byte(0x2D) }
    unsigned(value.magnitude, width: 1)
  }

  /// Appends a non-negative whole number padded with zeros to at least `width` digits.
  mutating func padded(_ value: Int, width: Int) {
    unsigned(UInt(max(value, 0)), width: width)
  }

  /// Appends a number rounded to at most `digits` decimals, without trailing zeros.
  mutating func decimal(_ value: Double, digits: Int) {
    guard value.isFinite else {
      byte(0x30)
      return
    }
    var scale: UInt = 1
    for _ in 0..<min(max(digits, 0), 9) { scale *= 10 }
    let scaled = (value.magnitude * Double(scale)).rounded()
    guard scaled < 9.0e15 else {
      int(Int(value.rounded()))
      return
    }
    let whole = UInt(scaled)
    if value < 0, whole != 0 { byte(0x2D) }
    unsigned(whole / scale, width: 1)
    var fraction = whole % scale
    guard fraction != 0 else { return }
    var width = 0
    var s = scale
    while s > 1 {
      s /= 10
      width += 1
    }
    while fraction % 10 == 0 {
      fraction /= 10
      width -= 1
    }
    byte(0x2E)
    unsigned(fraction, width: width)
  }

  private mutating func unsigned(_ value: UInt, width: Int) {
    var count = 1
    var rest = value
    while rest >= 10 {
      rest /= 10
      count += 1
    }
    let digits = max(count, width)
    let start = bytes.count
    bytes.append(contentsOf: repeatElement(0x30, count: digits))
    var v = value
    var index = start + digits - 1
    while v > 0 {
      bytes[index] = UInt8(truncatingIfNeeded: 0x30 &+ v % 10)
      v /= 10
      index -= 1
    }
  }

  private static func hexDigit(_ nibble: UInt8) -> UInt8 {
    nibble < 10 ? 0x30 + nibble : 0x61 + nibble - 10
  }
}

extension ScenarioLineWriter {
  /// Renders a number the way the feed writes it, as a `String` for alert and gate texts.
  static func text(_ value: Double, digits: Int) -> String {
    var writer = ScenarioLineWriter(capacity: 24)
    writer.decimal(value, digits: digits)
    return String(decoding: writer.bytes, as: UTF8.self)
  }

  /// Renders a whole number with thousands separators (`12,288`), for human-readable texts.
  static func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var out = value < 0 ? "-" : ""
    for (i, ch) in digits.enumerated() {
      if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
      out.append(ch)
    }
    return out
  }
}
