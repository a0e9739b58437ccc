import CNcursesw
import GigatopView
import Testing

@testable import GigatopTerminal

/// Key mapping from raw `get_wch` results, as pure functions.
@Suite struct KeyDecoderTests {
  @Test(arguments: [
    (UInt32(0x71), Key.character("q")),
    (0x3F, .character("?")),
    (0x20, .character(" ")),
    (0xE9, .character("é")),
    (0x6F22, .character("漢")),
    (3, .control("c")),
    (1, .control("a")),
    (12, .control("l")),
    (26, .control("z")),
    (9, .tab),
    (10, .enter),
    (13, .enter),
    (27, .escape),
    (127, .backspace),
    (8, .backspace),
    (28, .control("\\")),
  ])
  func characters(code: UInt32, expected: Key) {
    #expect(KeyDecoder.key(character: code) == expected)
  }

  @Test func c1ControlsAndSurrogatesAreIgnored() {
    #expect(KeyDecoder.key(character: 0x85) == nil)
    #expect(KeyDecoder.key(character: 0x9B) == nil)
    #expect(KeyDecoder.key(character: 0xD800) == nil)
  }

  @Test(arguments: [
    (KEY_UP, Key.up), (KEY_DOWN, .down), (KEY_LEFT, .left), (KEY_RIGHT, .right),
    (KEY_HOME, .home), (KEY_END, .end), (KEY_PPAGE, .pageUp), (KEY_NPAGE, .pageDown),
    (KEY_ENTER, .enter), (KEY_BACKSPACE, .backspace), (KEY_DC, .delete), (KEY_BTAB, .backTab),
    (KEY_RESIZE, .resize), (cnc_key_f(1), .function(1)), (cnc_key_f(12), .function(12)),
  ])
  func keyCodes(code: Int32, expected: Key) {
    #expect(KeyDecoder.key(keyCode: code) == expected)
  }

  @Test func unknownKeyCodesAreIgnored() {
    #expect(KeyDecoder.key(keyCode: KEY_MOUSE) == nil)
    #expect(KeyDecoder.key(keyCode: KEY_F0) == nil)
    #expect(KeyDecoder.key(keyCode: 0o777) == nil)
  }

  @Test func mouse() {
    #expect(
      KeyDecoder.mouseKey(x: 5, y: 3, buttonState: cnc_button1_pressed()) == .mouse(x: 5, y: 3, button: 1))
    #expect(
      KeyDecoder.mouseKey(x: 0, y: 0, buttonState: cnc_button4_pressed()) == .mouse(x: 0, y: 0, button: 4))
    #expect(
      KeyDecoder.mouseKey(x: 9, y: 1, buttonState: cnc_button5_pressed()) == .mouse(x: 9, y: 1, button: 5))
    #expect(KeyDecoder.mouseKey(x: 9, y: 1, buttonState: 0) == nil)
  }
}
