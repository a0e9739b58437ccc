import Testing

@testable import GigatopTerminal

/// The messages people see when the dashboard cannot start.
@Suite struct TerminalErrorTests {
  @Test func notATerminal() {
    let error = TerminalError(.outputNotATerminal)
    #expect(
      error.description
        == "gigatop: standard output is not a terminal; use `gigatop snapshot` or `gigatop summary` for text output"
    )
    #expect(error.exitCode == 2)
  }

  @Test func termProblemsNameTERM() {
    let errors = [
      TerminalError(.termNotSet), TerminalError(.unknownTerminal("vt999")),
      TerminalError(.noCursorAddressing("dumb")), TerminalError(.noTerminfoDatabase("xterm")),
    ]
    for error in errors {
      #expect(error.description.contains("TERM"), "\(error)")
      #expect(error.description.hasPrefix("gigatop: "))
    }
    #expect(TerminalError(.unknownTerminal("vt999")).description.contains("\"vt999\""))
    #expect(TerminalError(.noCursorAddressing("dumb")).description.contains("\"dumb\""))
  }

  @Test func terminalNamesAreSanitised() {
    let error = TerminalError(.unknownTerminal("x\u{1B}[2Jy"))
    #expect(!error.description.contains("\u{1B}"))
    #expect(error.description.contains("x\u{241B}[2Jy"))
  }
}
