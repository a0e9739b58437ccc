/// Reads typed fields out of one JSON object and remembers which keys it knew.
///
/// Every accessor returns `nil` for an absent key, `.some(nil)` for `null`
/// and `.some(value)` otherwise, and throws a `String` reason when the value
/// has the wrong JSON type or lies outside its domain.
struct FieldReader {
  let object: JSONObject
  /// A prefix for error messages when reading a nested object (`racks[3].`).
  let path: String
  /// Which members (by position) an accessor asked for: a bit each for the first 64, a set beyond.
  private var knownMask: UInt64 = 0
  private var knownBeyond: Set<Int> = []

  init(_ object: JSONObject, path: String = "") {
    self.object = object
    self.path = path
  }

  /// How many keys of the object no accessor asked for.
  var unknownCount: Int { object.count - knownMask.nonzeroBitCount - knownBeyond.count }

  private mutating func raw(_ key: String) -> JSONValue? {
    guard let index = object.keys.firstIndex(of: key) else { return nil }
    if index < 64 {
      knownMask |= 1 << UInt64(index)
    } else {
      knownBeyond.insert(index)
    }
    return object.values[index]
  }

  func wrongType(_ key: String, _ expected: String, _ value: JSONValue) -> String {
    "field \(path)\(key): expected \(expected), got \(value.typeName)"
  }

  mutating func string(_ key: String) throws(ReasonError) -> String?? {
    switch raw(key) {
    case nil: return nil
    case .null?: return .some(nil)
    case .string(let s)?: return .some(s)
    case let other?: throw ReasonError(wrongType(key, "a string", other))
    }
  }

  mutating func requiredString(_ key: String) throws(ReasonError) -> String {
    guard let value = try string(key) else { throw ReasonError("missing field \(path)\(key)") }
    guard let text = value else { throw ReasonError("field \(path)\(key) must not be null") }
    guard !text.isEmpty else { throw ReasonError("field \(path)\(key) must not be empty") }
    return text
  }

  /// The largest magnitude any number or count may have: far beyond any real site, small
  /// enough that sums and products of them never overflow.
  static let largest = 1e9

  mutating func number(
    _ key: String, minimum: Double? = nil, maximum: Double = largest
  ) throws(ReasonError)
    -> Double??
  {
    switch raw(key) {
    case nil: return nil
    case .null?: return .some(nil)
    case .number(let n)?:
      if let minimum, n < minimum {
        throw ReasonError("field \(path)\(key): \(Self.show(n)) is below \(Self.show(minimum))")
      }
      if n < -Self.largest {
        throw ReasonError("field \(path)\(key): \(Self.show(n)) is below \(Self.show(-Self.largest))")
      }
      if n > maximum {
        throw ReasonError("field \(path)\(key): \(Self.show(n)) is above \(Self.show(maximum))")
      }
      return .some(n)
    case let other?: throw ReasonError(wrongType(key, "a number", other))
    }
  }

  mutating func count(
    _ key: String, minimum: Int = 0, maximum: Int = Int(largest)
  ) throws(ReasonError) -> Int?? {
    switch raw(key) {
    case nil: return nil
    case .null?: return .some(nil)
    case .number(let n)?:
      guard n == n.rounded(), abs(n) < 9.0e15 else {
        throw ReasonError("field \(path)\(key): expected a whole number, got \(Self.show(n))")
      }
      guard n >= Double(minimum) else {
        throw ReasonError("field \(path)\(key): \(Self.show(n)) is below \(minimum)")
      }
      guard n <= Double(maximum) else {
        throw ReasonError("field \(path)\(key): \(Self.show(n)) is above \(Format.count(maximum))")
      }
      return .some(Int(n))
    case let other?: throw ReasonError(wrongType(key, "a whole number", other))
    }
  }

  mutating func requiredCount(
    _ key: String, minimum: Int = 0, maximum: Int = Int(largest)
  ) throws(ReasonError)
    -> Int
  {
    guard let value = try count(key, minimum: minimum, maximum: maximum) else {
      throw ReasonError("missing field \(path)\(key)")
    }
    guard let n = value else { throw ReasonError("field \(path)\(key) must not be null") }
    return n
  }

  mutating func choice<E: RawRepresentable & CaseIterable>(
    _ key: String, _: E.Type
  ) throws(ReasonError) -> E??
  where E.RawValue == String {
    switch try string(key) {
    case nil: return nil
    case .some(nil): return .some(nil)
    case .some(.some(let text)):
      guard let value = E(rawValue: text) else {
        let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
        throw ReasonError("field \(path)\(key): unknown value \"\(text)\" (expected one of \(allowed))")
      }
      return .some(value)
    }
  }

  /// The latest time a feed may name: the end of year 9999.
  static let latestTime = 253_402_300_799.0

  mutating func time(_ key: String) throws(ReasonError) -> Double?? {
    switch raw(key) {
    case nil: return nil
    case .null?: return .some(nil)
    case .number(let n)?:
      guard n >= 0, n <= Self.latestTime else {
        throw ReasonError("field \(path)\(key): \(Self.show(n)) is not a time between 1970 and 9999")
      }
      return .some(n)
    case .string(let s)?:
      guard let t = Timestamp.parse(s), t >= 0, t <= Self.latestTime else {
        throw ReasonError("field \(path)\(key): \"\(s)\" is not an RFC 3339 time between 1970 and 9999")
      }
      return .some(t)
    case let other?: throw ReasonError(wrongType(key, "a time (RFC 3339 string or Unix seconds)", other))
    }
  }

  mutating func object(_ key: String) throws(ReasonError) -> JSONObject?? {
    switch raw(key) {
    case nil: return nil
    case .null?: return .some(nil)
    case .object(let o)?: return .some(o)
    case let other?: throw ReasonError(wrongType(key, "an object", other))
    }
  }

  mutating func array(_ key: String) throws(ReasonError) -> [JSONValue]?? {
    switch raw(key) {
    case nil: return nil
    case .null?: return .some(nil)
    case .array(let a)?: return .some(a)
    case let other?: throw ReasonError(wrongType(key, "an array", other))
    }
  }

  /// Formats a number the way the feed would write it.
  static func show(_ n: Double) -> String {
    n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n)
  }
}

/// A reason a line was rejected, before the feed and line are attached.
struct ReasonError: Error {
  var reason: String
  init(_ reason: String) { self.reason = reason }
}
