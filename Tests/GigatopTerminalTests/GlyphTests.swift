import Testing

@testable import GigatopTerminal

/// Which character reaches curses for a cell: pure, with the C library's width passed in.
@Suite struct GlyphTests {
  /// A stand-in for wcwidth that agrees with TextWidth.
  static func agreeing(_ scalar: Unicode.Scalar) -> Int {
    scalar.value >= 0x4E00 && scalar.value <= 0x9FFF ? 2 : 1
  }

  @Test func asciiPassesThrough() {
    let glyph = NcursesTerminal.glyph(
      for: "a", unicode: false, rightIsContinuation: false, systemWidth: Self.agreeing)
    #expect(glyph.scalar == "a" && !glyph.wide)
  }

  @Test func nonASCIIIsAQuestionMarkWithoutUnicode() {
    for scalar: Unicode.Scalar in ["é", "█", "漢", "⣿"] {
      let glyph = NcursesTerminal.glyph(
        for: scalar, unicode: false, rightIsContinuation: true, systemWidth: Self.agreeing)
      #expect(glyph.scalar == "?" && !glyph.wide)
    }
  }

  @Test func controlCharactersAreShownAsPlaceholders() {
    let tab = NcursesTerminal.glyph(
      for: "\t", unicode: true, rightIsContinuation: false, systemWidth: Self.agreeing)
    #expect(tab.scalar == "\u{2409}")
    let escape = NcursesTerminal.glyph(
      for: "\u{1B}", unicode: false, rightIsContinuation: false, systemWidth: Self.agreeing)
    #expect(escape.scalar == "?")
  }

  @Test func wideNeedsItsContinuation() {
    let ok = NcursesTerminal.glyph(
      for: "漢", unicode: true, rightIsContinuation: true, systemWidth: Self.agreeing)
    #expect(ok.scalar == "漢" && ok.wide)
    let orphan = NcursesTerminal.glyph(
      for: "漢", unicode: true, rightIsContinuation: false, systemWidth: Self.agreeing)
    #expect(orphan.scalar == "?" && !orphan.wide)
  }

  @Test func disagreeingWidthsBecomeQuestionMarks() {
    let narrowInLibc = NcursesTerminal.glyph(
      for: "漢", unicode: true, rightIsContinuation: true, systemWidth: { _ in 1 })
    #expect(narrowInLibc.scalar == "?" && !narrowInLibc.wide)
    let unprintable = NcursesTerminal.glyph(
      for: "é", unicode: true, rightIsContinuation: false, systemWidth: { _ in -1 })
    #expect(unprintable.scalar == "?")
  }
}
