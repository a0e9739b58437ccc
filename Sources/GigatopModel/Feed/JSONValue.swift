/// A parsed JSON value, as strict RFC 8259 allows it.
public enum JSONValue: Equatable, Sendable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object(JSONObject)
}

/// A JSON object that keeps its members in order and has no duplicate keys.
public struct JSONObject: Equatable, Sendable {
  public private(set) var keys: [String] = []
  public private(set) var values: [JSONValue] = []

  public init() {}

  /// Members whose keys the caller has already checked to be distinct (the parser does, with a hash set).
  init(uniqueKeys keys: [String], values: [JSONValue]) {
    self.keys = keys
    self.values = values
  }

  /// The value of a member, or nil if the key is absent.
  public subscript(key: String) -> JSONValue? {
    guard let index = keys.firstIndex(of: key) else { return nil }
    return values[index]
  }

  /// Adds a member; returns false if the key is already there.
  mutating func insert(_ key: String, _ value: JSONValue) -> Bool {
    if keys.contains(key) { return false }
    keys.append(key)
    values.append(value)
    return true
  }

  public var count: Int { keys.count }
}

extension JSONValue {
  /// The JSON type's name, for error messages.
  var typeName: String {
    switch self {
    case .null: return "null"
    case .bool: return "a boolean"
    case .number: return "a number"
    case .string: return "a string"
    case .array: return "an array"
    case .object: return "an object"
    }
  }
}
