/// A strict JSON parser that works on bytes.
///
/// It rejects what RFC 8259 rejects (trailing commas, comments, NaN,
/// leading zeros, control characters in strings, invalid UTF-8, lone
/// surrogates), numbers that overflow a double, duplicate keys, and nesting
/// deeper than `maxDepth`, and says why with the byte offset.
public struct JSONParser {
  /// Why a text is not accepted.
  public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public var offset: Int
    public var description: String { "\(message) at byte \(offset + 1)" }
  }

  /// How deep arrays and objects may nest.
  public static let maxDepth = 512

  /// Parses one complete JSON text from bytes.
  public static func parse(_ bytes: UnsafeRawBufferPointer) throws(Failure) -> JSONValue {
    var parser = Cursor(bytes: bytes)
    parser.skipWhitespace()
    let value = try parser.parseValue(depth: 0)
    parser.skipWhitespace()
    if parser.position < bytes.count {
      throw parser.fail("unexpected data after the JSON value")
    }
    return value
  }

  /// Parses one complete JSON text from a string.
  public static func parse(_ text: String) throws(Failure) -> JSONValue {
    var copy = text
    let result: Result<JSONValue, Failure> = copy.withUTF8 { buffer in
      do throws(Failure) {
        return .success(try parse(UnsafeRawBufferPointer(buffer)))
      } catch {
        return .failure(error)
      }
    }
    return try result.get()
  }

  /// The reading position over the bytes.
  struct Cursor {
    let bytes: UnsafeRawBufferPointer
    var position = 0

    func fail(_ message: String) -> Failure { Failure(message: message, offset: position) }

    var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func skipWhitespace() {
      while position < bytes.count {
        switch bytes[position] {
        case 0x20, 0x09, 0x0A, 0x0D: position += 1
        default: return
        }
      }
    }

    mutating func parseValue(depth: Int) throws(Failure) -> JSONValue {
      guard let byte = current else { throw fail("unexpected end of input") }
      switch byte {
      case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
      case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
      case UInt8(ascii: "\""): return .string(try parseString())
      case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
      case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
      case UInt8(ascii: "n"): try expectWord("null"); return .null
      case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
      default:
        if byte == UInt8(ascii: "N") || byte == UInt8(ascii: "I") {
          throw fail("NaN and Infinity are not JSON numbers")
        }
        throw fail("unexpected character \(Cursor.describe(byte))")
      }
    }

    static func describe(_ byte: UInt8) -> String {
      if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
      return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }

    mutating func expectWord(_ word: StaticString) throws(Failure) {
      let count = word.utf8CodeUnitCount
      guard position + count <= bytes.count else { throw fail("invalid literal") }
      let start = word.utf8Start
      for i in 0..<count where bytes[position + i] != start[i] {
        throw fail("invalid literal")
      }
      position += count
    }

    mutating func parseObject(depth: Int) throws(Failure) -> JSONValue {
      if depth > JSONParser.maxDepth { throw fail("nesting deeper than \(JSONParser.maxDepth) levels") }
      position += 1
      // Members are gathered here and checked for duplicates: against the list while it is short
      // (no hashing for the few keys of a feed line), then with a hash set, since checking each new
      // key against a long list would take quadratic time on a line with many keys.
      var keys: [String] = []
      var values: [JSONValue] = []
      var seen = Set<String>()
      let linearLimit = 16
      skipWhitespace()
      if current == UInt8(ascii: "}") {
        position += 1
        return .object(JSONObject())
      }
      while true {
        skipWhitespace()
        guard current == UInt8(ascii: "\"") else {
          throw fail(current == nil ? "unexpected end of input in an object" : "expected a string key")
        }
        let keyStart = position
        let key = try parseString()
        skipWhitespace()
        guard current == UInt8(ascii: ":") else { throw fail("expected ':' after a key") }
        position += 1
        skipWhitespace()
        let value = try parseValue(depth: depth)
        let duplicate: Bool
        if keys.count < linearLimit {
          duplicate = keys.contains(key)
        } else {
          if seen.isEmpty { seen.formUnion(keys) }
          duplicate = !seen.insert(key).inserted
        }
        if duplicate {
          throw Failure(message: "duplicate key \"\(key)\"", offset: keyStart)
        }
        keys.append(key)
        values.append(value)
        skipWhitespace()
        guard let next = current else { throw fail("unexpected end of input in an object") }
        position += 1
        if next == UInt8(ascii: "}") { return .object(JSONObject(uniqueKeys: keys, values: values)) }
        if next != UInt8(ascii: ",") {
          position -= 1
          throw fail("expected ',' or '}' in an object")
        }
      }
    }

    mutating func parseArray(depth: Int) throws(Failure) -> JSONValue {
      if depth > JSONParser.maxDepth { throw fail("nesting deeper than \(JSONParser.maxDepth) levels") }
      position += 1
      var items: [JSONValue] = []
      skipWhitespace()
      if current == UInt8(ascii: "]") {
        position += 1
        return .array(items)
      }
      while true {
        skipWhitespace()
        items.append(try parseValue(depth: depth))
        skipWhitespace()
        guard let next = current else { throw fail("unexpected end of input in an array") }
        position += 1
        if next == UInt8(ascii: "]") { return .array(items) }
        if next != UInt8(ascii: ",") {
          position -= 1
          throw fail("expected ',' or ']' in an array")
        }
      }
    }

    mutating func parseNumber() throws(Failure) -> Double {
      let start = position
      var negative = false
      if current == UInt8(ascii: "-") {
        negative = true
        position += 1
      }
      guard let first = current, first >= 0x30, first <= 0x39 else { throw fail("invalid number") }
      var integer: UInt64 = 0
      var digits = 0
      if first == 0x30 {
        position += 1
        if let next = current, next >= 0x30, next <= 0x39 { throw fail("leading zero in a number") }
      } else {
        while let d = current, d >= 0x30, d <= 0x39 {
          if digits < 18 { integer = integer * 10 + UInt64(d - 0x30) }
          digits += 1
          position += 1
        }
      }
      var simple = digits < 16
      if current == UInt8(ascii: ".") {
        simple = false
        position += 1
        guard let d = current, d >= 0x30, d <= 0x39 else { throw fail("a digit must follow '.'") }
        while let d = current, d >= 0x30, d <= 0x39 { position += 1 }
      }
      if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
        simple = false
        position += 1
        if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
        guard let d = current, d >= 0x30, d <= 0x39 else { throw fail("a digit must follow the exponent") }
        while let d = current, d >= 0x30, d <= 0x39 { position += 1 }
      }
      if simple {
        let value = Double(integer)
        return negative ? -value : value
      }
      let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
      guard let value = Double(text), value.isFinite else {
        throw Failure(message: "number \(text) is out of range", offset: start)
      }
      return value
    }

    mutating func parseHex4() throws(Failure) -> UInt32 {
      guard position + 4 <= bytes.count else { throw fail("incomplete \\u escape") }
      var value: UInt32 = 0
      for _ in 0..<4 {
        let b = bytes[position]
        let digit: UInt32
        switch b {
        case 0x30...0x39: digit = UInt32(b - 0x30)
        case 0x41...0x46: digit = UInt32(b - 0x41 + 10)
        case 0x61...0x66: digit = UInt32(b - 0x61 + 10)
        default: throw fail("invalid \\u escape")
        }
        value = value * 16 + digit
        position += 1
      }
      return value
    }

    mutating func parseString() throws(Failure) -> String {
      position += 1
      let start = position
      var plain = true
      var high: UInt8 = 0
      // Fast path: no escapes and ASCII or valid UTF-8 between quotes.
      while position < bytes.count {
        let b = bytes[position]
        if b == UInt8(ascii: "\"") { break }
        if b == UInt8(ascii: "\\") {
          plain = false
          break
        }
        if b < 0x20 { throw fail("control character in a string (must be escaped)") }
        high |= b
        position += 1
      }
      if plain {
        guard position < bytes.count else { throw fail("unterminated string") }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[start..<position])
        position += 1
        // Plain ASCII is valid UTF-8 as it stands: only text with high bytes needs validating.
        if high < 0x80 { return String(decoding: slice, as: UTF8.self) }
        guard let text = String(validating: slice, as: UTF8.self) else {
          throw Failure(message: "invalid UTF-8 in a string", offset: start)
        }
        return text
      }
      var raw: [UInt8] = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<position]))
      while true {
        guard position < bytes.count else { throw fail("unterminated string") }
        let b = bytes[position]
        if b == UInt8(ascii: "\"") {
          position += 1
          break
        }
        if b < 0x20 { throw fail("control character in a string (must be escaped)") }
        if b != UInt8(ascii: "\\") {
          raw.append(b)
          position += 1
          continue
        }
        position += 1
        guard let e = current else { throw fail("unterminated escape") }
        position += 1
        switch e {
        case UInt8(ascii: "\""): raw.append(0x22)
        case UInt8(ascii: "\\"): raw.append(0x5C)
        case UInt8(ascii: "/"): raw.append(0x2F)
        case UInt8(ascii: "b"): raw.append(0x08)
        case UInt8(ascii: "f"): raw.append(0x0C)
        case UInt8(ascii: "n"): raw.append(0x0A)
        case UInt8(ascii: "r"): raw.append(0x0D)
        case UInt8(ascii: "t"): raw.append(0x09)
        case UInt8(ascii: "u"):
          var code = try parseHex4()
          if (0xD800...0xDBFF).contains(code) {
            guard position + 6 <= bytes.count, bytes[position] == UInt8(ascii: "\\"),
              bytes[position + 1] == UInt8(ascii: "u")
            else { throw fail("lone surrogate in \\u escape") }
            position += 2
            let low = try parseHex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw fail("lone surrogate in \\u escape") }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
          } else if (0xDC00...0xDFFF).contains(code) {
            throw fail("lone surrogate in \\u escape")
          }
          guard let scalar = Unicode.Scalar(code) else { throw fail("invalid \\u escape") }
          raw.append(contentsOf: String(Character(scalar)).utf8)
        default:
          throw fail("invalid escape '\\\(Character(Unicode.Scalar(e)))'")
        }
      }
      guard let text = String(validating: raw, as: UTF8.self) else {
        throw Failure(message: "invalid UTF-8 in a string", offset: start)
      }
      return text
    }
  }
}
