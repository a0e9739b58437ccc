import GigatopModel

/// What every part of the screen draws from: the frame's input, with safe look-ups into its theme.
struct RenderContext {
  let input: DashboardInput

  var theme: Theme { input.theme }
  var glyphs: Glyphs { input.glyphs }
  var state: BuildoutState { input.state }
  var summary: Summary { input.summary }
  /// The feed clock: the latest feed time seen.
  var now: Double? { input.state.now }

  /// The style of a stage (the text style if the theme lacks it).
  func style(_ stage: Stage) -> Style {
    theme.stages.indices.contains(stage.rank) ? theme.stages[stage.rank] : theme.text
  }

  /// The glyph of a stage; seven-bit when the glyphs are ASCII and the theme's is not.
  func glyph(_ stage: Stage) -> Unicode.Scalar {
    let fallback: [Unicode.Scalar] = [".", ":", "-", "=", "+", "*", "#", "@", "X", "R", "~"]
    guard theme.stageGlyphs.indices.contains(stage.rank) else { return fallback[stage.rank] }
    let glyph = theme.stageGlyphs[stage.rank]
    return glyphs.isUnicode || glyph.isASCII ? glyph : fallback[stage.rank]
  }

  /// The style of an alert severity.
  func style(_ severity: Severity) -> Style {
    theme.severities.indices.contains(severity.rank) ? theme.severities[severity.rank] : theme.text
  }

  /// The glyph of an alert severity; seven-bit when the glyphs are ASCII.
  func glyph(_ severity: Severity) -> Unicode.Scalar {
    let fallback: [Unicode.Scalar] = ["i", "!", "X"]
    guard theme.severityGlyphs.indices.contains(severity.rank) else { return fallback[severity.rank] }
    let glyph = theme.severityGlyphs[severity.rank]
    return glyphs.isUnicode || glyph.isASCII ? glyph : fallback[severity.rank]
  }

  /// A span of one glyph.
  func span(_ glyph: Unicode.Scalar, _ style: Style) -> Span {
    Span(String(glyph), style)
  }

  /// `Jul 26 (in 6d)`, `Jul 20 (today)`, `Jul 02 (18d ago)`: a feed-time date and its distance from now.
  func dateAndDistance(_ ts: Double) -> String {
    let day = Timestamp.formatDay(ts)
    guard let now else { return day }
    return day + " (" + Words.distance(from: now, to: ts) + ")"
  }
}

/// Names and phrases the panels share.
enum Words {
  /// The name of a stage as a person reads it.
  static func name(_ stage: Stage) -> String {
    switch stage {
    case .inPool: return "in pool"
    case .burnin: return "burn-in"
    case .rma: return "RMA"
    default: return stage.rawValue
    }
  }

  /// `in 6d`, `today`, `18d ago`, `in 5h`: a feed-time distance in whole days (hours below one day).
  static func distance(from now: Double, to ts: Double) -> String {
    let seconds = ts - now
    guard seconds.isFinite else { return "-" }
    let days = abs(seconds) / 86_400
    if days < 1 {
      let hours = Int((abs(seconds) / 3600).rounded(.down))
      if hours < 1 { return seconds >= 0 ? "now" : "just now" }
      return seconds >= 0 ? "in \(hours)h" : "\(hours)h ago"
    }
    let whole = Int(days.rounded(.down))
    return seconds >= 0 ? "in \(whole)d" : "\(whole)d ago"
  }

  /// `56d (8 wk)`: a lead time in days and weeks.
  static func leadTime(_ days: Double) -> String {
    let d = Int(days.rounded())
    let weeks = days / 7
    let w = weeks == weeks.rounded() ? String(Int(weeks)) : Format.fixed(weeks, 1)
    return "\(d)d (\(w) wk)"
  }

  /// A megawatt figure with enough precision for small sites: `0.95 MW`, `43 MW`, `8.5 MW`.
  static func megawatts(_ value: Double) -> String {
    guard abs(value) < 10, value != value.rounded() else { return Format.megawatts(value) }
    var text = Format.fixed(value, 2)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text + " MW"
  }

  /// A megawatt figure without its unit: `0.95`, `43`, `8.5`.
  static func mw(_ value: Double) -> String {
    let text = megawatts(value)
    return text.hasSuffix(" MW") ? String(text.dropLast(3)) : text
  }

  /// A rate per day: `0.7`, `12`, `110`.
  static func rate(_ value: Double) -> String {
    value < 10 ? Format.fixed(value, 1) : Format.count(Int(value.rounded()))
  }

  /// A feed age in wall-clock seconds: `3s`, `5m`, `2h`, `4d`.
  static func age(_ seconds: Double) -> String {
    guard seconds.isFinite else { return "-" }
    let s = Int(max(0, seconds))
    if s < 60 { return "\(s)s" }
    if s < 3600 { return "\(s / 60)m" }
    if s < 86_400 { return "\(s / 3600)h" }
    return "\(s / 86_400)d"
  }
}
