import GigatopModel

/// Resolved styles and glyphs for every role the panels draw.
///
/// Panels never name colours; they ask the theme for a role's style.
public struct Theme: Equatable, Sendable {
  public var name: String
  public var text: Style
  public var dim: Style
  public var background: Style
  public var border: Style
  public var borderFocused: Style
  public var title: Style
  public var titleFocused: Style
  public var selection: Style
  public var good: Style
  public var warn: Style
  public var crit: Style
  /// Style per stage, indexed by `Stage.rank`.
  public var stages: [Style]
  /// Glyph per stage, indexed by `Stage.rank`, so mono terminals still tell stages apart.
  public var stageGlyphs: [Unicode.Scalar]
  /// Style per alert severity: info, warn, crit.
  public var severities: [Style]
  /// Glyph per alert severity: info, warn, crit.
  public var severityGlyphs: [Unicode.Scalar]
  /// Gauge colours from low to high use.
  public var gaugeGradient: [Color]
  /// Sparkline colours from low to high values.
  public var sparkGradient: [Color]

  public func style(for stage: Stage) -> Style { stages[stage.rank] }
  public func glyph(for stage: Stage) -> Unicode.Scalar { stageGlyphs[stage.rank] }
  public func style(for severity: Severity) -> Style { severities[severity.rank] }
  public func glyph(for severity: Severity) -> Unicode.Scalar { severityGlyphs[severity.rank] }

  /// The colour of a gradient at a fraction 0...1.
  public static func pick(_ gradient: [Color], at fraction: Double) -> Color {
    guard !gradient.isEmpty else { return .terminalDefault }
    let clamped = min(1, max(0, fraction.isFinite ? fraction : 0))
    return gradient[min(gradient.count - 1, Int(clamped * Double(gradient.count)))]
  }
}
