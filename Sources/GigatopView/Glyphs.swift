/// The characters used for bars, sparklines, boxes and marks: Unicode or plain ASCII.
public struct Glyphs: Equatable, Sendable {
  public var horizontal: Unicode.Scalar
  public var vertical: Unicode.Scalar
  public var topLeft: Unicode.Scalar
  public var topRight: Unicode.Scalar
  public var bottomLeft: Unicode.Scalar
  public var bottomRight: Unicode.Scalar
  /// Bar fill from empty to full, in eighths (index 0 = empty, last = full).
  public var barEighths: [Unicode.Scalar]
  /// Sparkline levels from lowest to highest.
  public var spark: [Unicode.Scalar]
  public var check: Unicode.Scalar
  public var cross: Unicode.Scalar
  public var pending: Unicode.Scalar
  public var running: Unicode.Scalar
  public var ellipsis: Unicode.Scalar
  public var arrow: Unicode.Scalar
  /// Whether these are the Unicode glyphs.
  public var isUnicode: Bool

  /// Box drawing, block eighths and block sparklines.
  public static let unicode = Glyphs(
    horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
    barEighths: [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"],
    spark: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
    check: "✓", cross: "✗", pending: "·", running: "▶", ellipsis: "…", arrow: "→", isUnicode: true)

  /// Seven-bit glyphs for terminals or locales without Unicode.
  public static let ascii = Glyphs(
    horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
    barEighths: [" ", " ", " ", " ", "#", "#", "#", "#", "#"],
    spark: ["_", ".", "-", "-", "=", "=", "#", "#"],
    check: "+", cross: "x", pending: ".", running: ">", ellipsis: "~", arrow: ">", isUnicode: false)
}
