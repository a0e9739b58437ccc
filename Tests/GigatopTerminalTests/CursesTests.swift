import CNcursesw
import GigatopView
import Testing

@testable import GigatopTerminal

#if canImport(Glibc)
import Glibc
#endif

/// Every test that touches curses or the process locale: they share global state, so one at a time.
@Suite(.serialized) struct CursesTests {
  /// Drawing through real curses (output to /dev/null) and reading the cells back.
  @Suite struct Drawing {
    @Test func textAndAttributesReachTheScreen() throws {
      let terminal = try NcursesTerminal(testTerminal: "xterm-256color", width: 40, height: 10)
      defer { terminal.close() }
      #expect(terminal.size == (40, 10))
      #expect(terminal.unicode)
      var canvas = Canvas(width: 40, height: 10)
      canvas.write("Racks", x: 0, y: 0, style: Style(attributes: .bold))
      canvas.write("Chips", x: 10, y: 1, style: Style(attributes: [.dim, .underline]))
      canvas.write("sel", x: 2, y: 2, style: Style(attributes: .reverse))
      canvas.write("█▇▆ ⣿ é", x: 0, y: 3)
      terminal.draw(canvas)

      #expect(CursesScreen.row(0) == "Racks")
      #expect(CursesScreen.row(1) == "          Chips")
      #expect(CursesScreen.row(3) == "█▇▆ ⣿ é")
      #expect(CursesScreen.cell(x: 0, y: 0).bold)
      #expect(!CursesScreen.cell(x: 0, y: 0).underline)
      #expect(CursesScreen.cell(x: 10, y: 1).dim && CursesScreen.cell(x: 10, y: 1).underline)
      #expect(CursesScreen.cell(x: 2, y: 2).reverse)
      #expect(!CursesScreen.cell(x: 5, y: 2).reverse)
      #expect(CursesScreen.rows() == canvas.lines())
    }

    @Test func wideCharactersTakeTwoColumns() throws {
      let terminal = try NcursesTerminal(testTerminal: "xterm-256color", width: 20, height: 3)
      defer { terminal.close() }
      var canvas = Canvas(width: 20, height: 3)
      canvas.write("漢字|ok", x: 1, y: 0)
      terminal.draw(canvas)
      #expect(CursesScreen.row(0) == " 漢字|ok")
      #expect(CursesScreen.cell(x: 1, y: 0).text == "漢")
      #expect(CursesScreen.cell(x: 3, y: 0).text == "字")
      #expect(CursesScreen.cell(x: 5, y: 0).text == "|")
    }

    @Test func theBottomRightCellIsDrawn() throws {
      let terminal = try NcursesTerminal(testTerminal: "xterm-256color", width: 12, height: 4)
      defer { terminal.close() }
      let canvas = Canvas(width: 12, height: 4, fill: Cell("#"))
      terminal.draw(canvas)
      #expect(CursesScreen.cell(x: 11, y: 3).text == "#")
      #expect(CursesScreen.rows() == Array(repeating: String(repeating: "#", count: 12), count: 4))
    }

    @Test func onlyChangedCellsAreSentUntilInvalidated() throws {
      let terminal = try NcursesTerminal(testTerminal: "xterm-256color", width: 20, height: 3)
      defer { terminal.close() }
      var canvas = Canvas(width: 20, height: 3)
      canvas.write("hello", x: 0, y: 0)
      terminal.draw(canvas)
      // Something else writes into the screen; an unchanged frame must not touch that cell.
      CursesScreen.scribble("X", x: 10, y: 2)
      canvas.write("world", x: 0, y: 1)
      terminal.draw(canvas)
      #expect(CursesScreen.rows() == ["hello", "world", "          X"])
      terminal.invalidate()
      terminal.draw(canvas)
      #expect(CursesScreen.rows() == ["hello", "world", ""])
    }

    @Test func aRunStartingInsideAWideCharacterRedrawsIt() throws {
      let terminal = try NcursesTerminal(testTerminal: "xterm-256color", width: 10, height: 1)
      defer { terminal.close() }
      var canvas = Canvas(width: 10, height: 1)
      canvas.write("a漢b", x: 0, y: 0)
      terminal.draw(canvas)
      // Restyle only the right half of the wide character.
      canvas.restyle(Rect(x: 2, y: 0, width: 2, height: 1)) { $0.adding(.bold) }
      terminal.draw(canvas)
      #expect(CursesScreen.row(0) == "a漢b")
    }

    @Test func smallerFramesClearTheRest() throws {
      let terminal = try NcursesTerminal(testTerminal: "xterm-256color", width: 10, height: 3)
      defer { terminal.close() }
      terminal.draw(Canvas(width: 10, height: 3, fill: Cell("x")))
      var small = Canvas(width: 4, height: 2)
      small.write("ab", x: 0, y: 0)
      terminal.draw(small)
      #expect(CursesScreen.rows() == ["ab", "", ""])
      // Larger than the screen: clipped, no crash.
      terminal.draw(Canvas(width: 30, height: 9, fill: Cell("y")))
      #expect(CursesScreen.rows() == Array(repeating: "yyyyyyyyyy", count: 3))
    }

    @Test func asciiModeDrawsQuestionMarks() throws {
      let terminal = try NcursesTerminal(testTerminal: "xterm-256color", width: 20, height: 2, unicode: false)
      defer { terminal.close() }
      #expect(!terminal.unicode)
      var canvas = Canvas(width: 20, height: 2)
      canvas.write("é█漢x", x: 0, y: 0)
      terminal.draw(canvas)
      #expect(CursesScreen.row(0) == "??? x")
    }

    @Test func closeIsIdempotentAndLaterCallsAreHarmless() throws {
      let terminal = try NcursesTerminal(testTerminal: "xterm-256color", width: 20, height: 5)
      terminal.close()
      terminal.close()
      terminal.draw(Canvas(width: 20, height: 5))
      #expect(terminal.readKey() == nil)
      #expect(terminal.size == (20, 5))
    }
  }

  /// Colour pairs as curses stores them, by terminal type.
  @Suite struct Colours {
    @Test func rgbOn256Colours() throws {
      let terminal = try NcursesTerminal(testTerminal: "xterm-256color", width: 10, height: 2)
      defer { terminal.close() }
      #expect(terminal.colorCount == 256)
      var canvas = Canvas(width: 10, height: 2)
      canvas.write("r", x: 0, y: 0, style: Style(foreground: .rgb(255, 0, 0)))
      canvas.write("b", x: 1, y: 0, style: Style(foreground: .indexed(4), background: .rgb(128, 128, 128)))
      canvas.write("d", x: 2, y: 0)
      terminal.draw(canvas)
      let red = CursesScreen.cell(x: 0, y: 0)
      #expect(red.foreground == 196 && red.background == -1)
      let blue = CursesScreen.cell(x: 1, y: 0)
      #expect(blue.foreground == 4 && blue.background == 244)
      #expect(CursesScreen.cell(x: 2, y: 0).pair == 0)
      #expect(red.pair != blue.pair)
    }

    @Test func rgbOnEightColours() throws {
      let terminal = try NcursesTerminal(testTerminal: "xterm", width: 10, height: 2)
      defer { terminal.close() }
      #expect(terminal.colorCount == 8)
      var canvas = Canvas(width: 10, height: 2)
      canvas.write("r", x: 0, y: 0, style: Style(foreground: .rgb(255, 0, 0)))
      canvas.write("g", x: 1, y: 0, style: Style(foreground: .indexed(46), background: .indexed(12)))
      terminal.draw(canvas)
      #expect(CursesScreen.cell(x: 0, y: 0).foreground == 1)
      let green = CursesScreen.cell(x: 1, y: 0)
      #expect(green.foreground == 2 && green.background == 4)
    }

    @Test func noColoursMeansPairZero() throws {
      let terminal = try NcursesTerminal(testTerminal: "xterm-256color", width: 10, height: 2, colors: false)
      defer { terminal.close() }
      #expect(terminal.colorCount == 0)
      var canvas = Canvas(width: 10, height: 2)
      canvas.write("r", x: 0, y: 0, style: Style(foreground: .rgb(255, 0, 0), attributes: .bold))
      terminal.draw(canvas)
      let cell = CursesScreen.cell(x: 0, y: 0)
      #expect(cell.pair == 0 && cell.bold)
    }

    @Test func monochromeTerminal() throws {
      let terminal = try NcursesTerminal(testTerminal: "vt100", width: 10, height: 2)
      defer { terminal.close() }
      #expect(terminal.colorCount == 0)
      var canvas = Canvas(width: 10, height: 2)
      canvas.write("u", x: 0, y: 0, style: Style(foreground: .indexed(1), attributes: .underline))
      terminal.draw(canvas)
      #expect(CursesScreen.cell(x: 0, y: 0).underline)
    }
  }

  /// Keys read through curses from a pipe, as a terminal would send them.
  ///
  /// A regression here tends to block in read(2) rather than fail, hence the time limit.
  @Suite(.timeLimit(.minutes(1))) struct Keys {
    /// A terminal whose input is a pipe we write to.
    final class PipedTerminal {
      let terminal: NcursesTerminal
      let writer: Int32
      let reader: UnsafeMutablePointer<FILE>

      init(mouse: Bool = false) throws {
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        reader = try #require(fdopen(fds[0], "r"))
        writer = fds[1]
        terminal = try NcursesTerminal(
          testTerminal: "xterm-256color", width: 80, height: 24, mouse: mouse, input: reader)
      }

      func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(writer, $0.baseAddress, $0.count) }
      }

      func keys() -> [Key] {
        var result: [Key] = []
        while let key = terminal.readKey() { result.append(key) }
        return result
      }

      deinit {
        terminal.close()
        Glibc.close(writer)
        fclose(reader)
      }
    }

    @Test func charactersControlsAndSequences() throws {
      let piped = try PipedTerminal()
      #expect(piped.terminal.readKey() == nil)
      piped.send("q?\u{3}\u{C}\t\r\u{7F}é")
      #expect(
        piped.keys() == [
          .character("q"), .character("?"), .control("c"), .control("l"), .tab, .enter, .backspace,
          .character("é"),
        ])
      // xterm in keypad-transmit mode.
      piped.send("\u{1B}OA\u{1B}OB\u{1B}OH\u{1B}OF\u{1B}[5~\u{1B}[6~\u{1B}[3~\u{1B}[Z\u{1B}OP\u{1B}[24~")
      #expect(
        piped.keys() == [
          .up, .down, .home, .end, .pageUp, .pageDown, .delete, .backTab, .function(1), .function(12),
        ])
    }

    @Test func aLoneEscapeIsEscape() throws {
      let piped = try PipedTerminal()
      piped.send("\u{1B}")
      #expect(piped.keys() == [.escape])
    }

    @Test func resizeIsReportedAndSizeFollows() throws {
      let piped = try PipedTerminal()
      #expect(piped.terminal.size == (80, 24))
      resizeterm(30, 100)
      #expect(piped.terminal.readKey() == .resize)
      #expect(piped.terminal.size == (100, 30))
    }

    @Test func mouseButtonAndWheel() throws {
      let piped = try PipedTerminal(mouse: true)
      // SGR mouse reports (kmous=\E[<): button 1 press at column 6, row 4 (1-based); wheel up; wheel down.
      // Sent one at a time: ncurses keeps only the latest of several reports read at once.
      piped.send("\u{1B}[<0;6;4M")
      #expect(piped.keys() == [.mouse(x: 5, y: 3, button: 1)])
      // Releases and other buttons are not reported, and must not make curses wait for more input.
      piped.send("\u{1B}[<0;6;4m")
      #expect(piped.keys() == [])
      piped.send("\u{1B}[<2;3;3M\u{1B}[<2;3;3m")
      #expect(piped.keys() == [])
      piped.send("\u{1B}[<1;3;3M")
      #expect(piped.keys() == [])
      piped.send("\u{1B}[<64;1;1M")
      #expect(piped.keys() == [.mouse(x: 0, y: 0, button: 4)])
      piped.send("\u{1B}[<65;2;2M")
      #expect(piped.keys() == [.mouse(x: 1, y: 1, button: 5)])
    }
  }

  /// The checks `open` runs before starting curses.
  @Suite struct Opening {
    @Test func terminalTypes() throws {
      let devNull = open("/dev/null", O_RDWR)
      defer { _ = Glibc.close(devNull) }
      try NcursesTerminal.checkTerminalType("xterm-256color", descriptor: devNull)
      try NcursesTerminal.checkTerminalType("tmux-256color", descriptor: devNull)
      #expect(throws: TerminalError(.noCursorAddressing("dumb"))) {
        try NcursesTerminal.checkTerminalType("dumb", descriptor: devNull)
      }
      #expect(throws: TerminalError(.unknownTerminal("no-such-terminal-xyz"))) {
        try NcursesTerminal.checkTerminalType("no-such-terminal-xyz", descriptor: devNull)
      }
    }

    @Test(.enabled(if: isatty(STDOUT_FILENO) == 0, "standard output is a terminal here"))
    func refusesWhenStandardOutputIsNotATerminal() {
      #expect(throws: TerminalError(.outputNotATerminal)) {
        _ = try NcursesTerminal.open()
      }
    }

    @Test func localeCodesetNames() {
      #expect(TerminalLocale.isUTF8("UTF-8"))
      #expect(TerminalLocale.isUTF8("utf8"))
      #expect(!TerminalLocale.isUTF8("ANSI_X3.4-1968"))
      #expect(!TerminalLocale.isUTF8("ISO-8859-1"))
    }
  }
}
