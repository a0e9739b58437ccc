import GigatopModel

/// A `/` filter: words that a rack must all match; `!` in front inverts the whole filter.
///
/// A word is a substring of the rack id (any case), or `stage:burnin`, `hall:A`, `row:3`,
/// `pod:A-P02`. An empty filter is inactive and matches every rack.
public struct FilterQuery: Equatable, Sendable {
  /// One word of the filter.
  enum Term: Equatable, Sendable {
    case id(String)
    case stage(Stage?)
    case hall(String)
    case row(Int?)
    case pod(String)
  }

  /// The text as typed.
  public private(set) var text: String
  var terms: [Term]
  var inverted: Bool

  public init(_ text: String = "") {
    self.text = text
    var body = Substring(text)
    while body.first == " " { body.removeFirst() }
    inverted = body.first == "!"
    if inverted { body.removeFirst() }
    terms = body.split(separator: " ").map(Self.term)
  }

  /// Whether the filter is in use.
  public var isActive: Bool { !terms.isEmpty || inverted }

  /// The id typed, when the filter is one plain word (for opening an exact match).
  var plainID: String? {
    guard !inverted, terms.count == 1, case .id(let id) = terms[0] else { return nil }
    return id
  }

  static func term(_ word: Substring) -> Term {
    let lower = word.lowercased()
    if let colon = lower.firstIndex(of: ":") {
      let key = lower[..<colon]
      let value = String(lower[lower.index(after: colon)...])
      switch key {
      case "stage": return .stage(stage(named: value))
      case "hall": return .hall(value)
      case "row": return .row(Int(value))
      case "pod": return .pod(value)
      default: break
      }
    }
    return .id(lower)
  }

  /// A stage by its feed name or the name people say (`burn-in`, `inpool`, `in pool`).
  static func stage(named name: String) -> Stage? {
    let squeezed = name.lowercased().filter { $0 != "-" && $0 != "_" && $0 != " " }
    return Stage.allCases.first { $0.rawValue.filter { $0 != "_" } == squeezed }
  }

  /// Whether a rack matches (always true when inactive).
  public func matches(_ rack: Rack) -> Bool {
    guard isActive else { return true }
    var all = true
    for term in terms where !Self.matches(term, rack) {
      all = false
      break
    }
    return all != inverted
  }

  static func matches(_ term: Term, _ rack: Rack) -> Bool {
    switch term {
    case .id(let text): return text.isEmpty || containsIgnoringCase(rack.id, text)
    case .stage(let stage): return stage == rack.effectiveStage
    case .hall(let hall): return rack.hall.lowercased() == hall
    case .row(let row): return row == rack.row
    case .pod(let pod): return rack.pod?.lowercased() == pod
    }
  }

  /// Whether `text` holds `needle` (already lower case), ignoring ASCII case; no allocation.
  static func containsIgnoringCase(_ text: String, _ needle: String) -> Bool {
    let hay = Array(text.utf8)
    let pin = Array(needle.utf8)
    guard pin.count <= hay.count else { return false }
    func lower(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte + 32 : byte }
    for start in 0...(hay.count - pin.count) {
      var same = true
      for offset in 0..<pin.count where lower(hay[start + offset]) != pin[offset] {
        same = false
        break
      }
      if same { return true }
    }
    return false
  }
}
