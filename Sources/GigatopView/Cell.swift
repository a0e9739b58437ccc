/// One character cell of the screen.
///
/// A wide character (two columns) is stored in its first cell; the cell to its
/// right holds `Cell.continuation`, which backends skip.
public struct Cell: Hashable, Sendable {
  public var scalar: Unicode.Scalar
  public var style: Style

  public init(_ scalar: Unicode.Scalar, style: Style = .plain) {
    self.scalar = scalar
    self.style = style
  }

  /// An empty cell in the default style.
  public static let blank = Cell(" ")

  /// The placeholder right of a wide character.
  public static let continuation = Cell("\u{0}")

  /// Whether this is the right half of a wide character.
  public var isContinuation: Bool { scalar == "\u{0}" }
}
