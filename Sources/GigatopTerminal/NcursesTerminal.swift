import CNcursesw
import GigatopView

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The ncurses implementation of `TerminalBackend`: the only code that writes to the real terminal.
///
/// Not thread-safe and not `Sendable`: open, draw, read keys and close from one thread.
///
/// The terminal runs in raw mode: Ctrl-C arrives as `.control("c")` (no SIGINT),
/// as do Ctrl-Z, Ctrl-\ and Ctrl-S/Ctrl-Q. Input is non-blocking; wait on
/// `inputFileDescriptor` (or `waitForInput(timeoutMilliseconds:)`), then call
/// `readKey()` until it returns nil, because ncurses may hold read bytes back.
/// Resizes arrive as `.resize` from `readKey()` (ncurses handles SIGWINCH).
public final class NcursesTerminal: TerminalBackend {
  /// Whether the locale is UTF-8. When false the app should draw ASCII glyphs;
  /// the backend draws any non-ASCII character as `?` either way.
  public private(set) var unicode: Bool
  /// The number of colours in use: 0 without colour (`colors: false` or a
  /// monochrome terminal), else the terminal's COLORS (8, 16, 256, or 2^24 for direct colour).
  public private(set) var colorCount: Int = 0
  /// The file descriptor keys are read from: 0, or /dev/tty's when standard input is not a terminal.
  public let inputFileDescriptor: Int32

  private var screen: OpaquePointer?
  private let outputFile: UnsafeMutablePointer<FILE>?
  private let inputFile: UnsafeMutablePointer<FILE>?
  /// Files this object opened and must close (test output, /dev/tty).
  private let ownedFiles: [UnsafeMutablePointer<FILE>]
  /// Whether the signal handlers should restore this screen (the real terminal only).
  private let ownsProcessTerminal: Bool

  var colors = ColorMapper(colorCount: 0, defaultColors: false)
  private var pairs = ColorPairTable(limit: 0)
  private var styleCache: [Style: (attributes: attr_t, pair: Int32)] = [:]
  /// The frame on screen; nil forces a full repaint.
  var previous: Canvas?
  private var lastSize: (width: Int, height: Int) = (0, 0)
  /// A two-wchar_t buffer (character, NUL) reused for every cell.
  private let wideBuffer = UnsafeMutablePointer<wchar_t>.allocate(capacity: 2)

  // MARK: - Opening

  /// Opens the terminal on standard output in full-screen mode.
  ///
  /// Checks, before anything is written: standard output is a terminal, TERM is
  /// set and known, and the terminal can address the cursor. Then adopts the
  /// locale, installs `TerminalSignals`, starts curses with
  /// `newterm(NULL, stdout, stdin)` and switches to the alternate screen.
  /// - Parameters:
  ///   - colors: false for attributes only (e.g. NO_COLOR).
  ///   - mouse: false to leave the mouse to the terminal (text selection).
  /// - Throws: `TerminalError`; print it and exit with its `exitCode` (2).
  public static func open(colors: Bool = true, mouse: Bool = true) throws -> NcursesTerminal {
    guard isatty(STDOUT_FILENO) == 1 else { throw TerminalError(.outputNotATerminal) }
    guard let rawTerm = getenv("TERM"), rawTerm.pointee != 0 else { throw TerminalError(.termNotSet) }
    let term = String(cString: rawTerm)
    try checkTerminalType(term, descriptor: STDOUT_FILENO)

    var owned: [UnsafeMutablePointer<FILE>] = []
    let input: UnsafeMutablePointer<FILE>
    if isatty(STDIN_FILENO) == 1, let stdinFile = cnc_stdin() {
      input = stdinFile
    } else if let tty = fopen("/dev/tty", "r") {
      input = tty
      owned.append(tty)
    } else {
      throw TerminalError(.inputNotATerminal)
    }

    let unicode = TerminalLocale.adoptFromEnvironment()
    TerminalSignals.install()
    guard let output = cnc_stdout(), let screen = newterm(nil, output, input) else {
      owned.forEach { fclose($0) }
      throw TerminalError(.cannotStart(term))
    }
    TerminalSignals.setCursesActive(true)
    let terminal = NcursesTerminal(
      screen: screen, output: output, input: input, ownedFiles: owned, unicode: unicode,
      ownsProcessTerminal: true)
    terminal.configure(colors: colors, mouse: mouse)
    return terminal
  }

  /// Throws unless a terminal type is known and can address the cursor. Writes nothing.
  ///
  /// `descriptor` is only used to ask the terminal's size; any file works.
  static func checkTerminalType(_ name: String, descriptor: Int32) throws {
    switch cnc_probe_terminal(name, descriptor) {
    case CNC_PROBE_OK: return
    case CNC_PROBE_NO_DATABASE: throw TerminalError(.noTerminfoDatabase(name))
    case CNC_PROBE_HARDCOPY: throw TerminalError(.hardcopyTerminal(name))
    case CNC_PROBE_NO_CURSOR_ADDRESSING: throw TerminalError(.noCursorAddressing(name))
    default: throw TerminalError(.unknownTerminal(name))
    }
  }

  /// Opens curses on a terminal type with output on /dev/null, at a fixed size. For tests.
  ///
  /// Keys are read from `input` (owned by the caller), or /dev/null. Sets the
  /// locale to `C.UTF-8` (or `C` when `unicode` is false); installs no signal handlers.
  init(
    testTerminal name: String, width: Int, height: Int, colors: Bool = true, unicode: Bool = true,
    mouse: Bool = false, input: UnsafeMutablePointer<FILE>? = nil
  ) throws {
    let adopted = TerminalLocale.set(unicode ? "C.UTF-8" : "C")
    guard let devNull = fopen("/dev/null", "r+") else { throw TerminalError(.cannotStart(name)) }
    let keys = input ?? devNull
    guard let screen = newterm(name, devNull, keys) else {
      fclose(devNull)
      throw TerminalError(.unknownTerminal(name))
    }
    self.screen = screen
    self.outputFile = devNull
    self.inputFile = keys
    self.ownedFiles = [devNull]
    self.unicode = unicode && adopted
    self.ownsProcessTerminal = false
    self.inputFileDescriptor = fileno(keys)
    // resize_term, unlike resizeterm, queues no KEY_RESIZE.
    resize_term(Int32(max(1, height)), Int32(max(1, width)))
    configure(colors: colors, mouse: mouse)
  }

  private init(
    screen: OpaquePointer, output: UnsafeMutablePointer<FILE>, input: UnsafeMutablePointer<FILE>,
    ownedFiles: [UnsafeMutablePointer<FILE>], unicode: Bool, ownsProcessTerminal: Bool
  ) {
    self.screen = screen
    self.outputFile = output
    self.inputFile = input
    self.ownedFiles = ownedFiles
    self.unicode = unicode
    self.ownsProcessTerminal = ownsProcessTerminal
    self.inputFileDescriptor = fileno(input)
  }

  deinit {
    close()
    wideBuffer.deallocate()
  }

  /// Puts the current screen into the modes the dashboard needs.
  private func configure(colors wantColors: Bool, mouse: Bool) {
    raw()
    noecho()
    nonl()
    if let window = cnc_stdscr() {
      keypad(window, true)
      nodelay(window, true)
      intrflush(window, false)
      scrollok(window, false)
      leaveok(window, true)
    }
    curs_set(0)
    set_escdelay(25)
    if wantColors && has_colors() && start_color() != ERR {
      let defaults = use_default_colors() != ERR
      colorCount = Int(max(0, cnc_colors()))
      colors = ColorMapper(colorCount: colorCount, defaultColors: defaults)
      pairs = ColorPairTable(limit: max(0, cnc_color_pairs()))
    } else {
      colorCount = 0
      colors = ColorMapper(colorCount: 0, defaultColors: false)
      pairs = ColorPairTable(limit: 0)
    }
    if mouse {
      // Ask for every button event, and filter in KeyDecoder: ncurses answers an
      // event outside the mask (a release, the right button) by waiting, even in
      // nodelay mode, for more input, which would freeze the app until the next key.
      mouseinterval(0)
      mousemask(cnc_all_mouse_events(), nil)
    }
    refreshSize()
  }

  // MARK: - TerminalBackend

  /// The screen size in cells as (columns, rows); updated when `readKey()` returns `.resize`.
  public var size: (width: Int, height: Int) {
    refreshSize()
    return lastSize
  }

  /// Forgets what is on screen: the next `draw` clears the terminal and repaints every cell.
  public func invalidate() {
    previous = nil
    if let window = cnc_stdscr(), screen != nil { clearok(window, true) }
  }

  /// The next key or event, or nil when none is waiting. Never blocks (except
  /// up to 25 ms after a lone Esc, to tell it from an escape sequence).
  public func readKey() -> Key? {
    guard screen != nil, let window = cnc_stdscr() else { return nil }
    // Skip codes that map to no key rather than report "nothing waiting".
    for _ in 0..<64 {
      var character: wint_t = 0
      let status = wget_wch(window, &character)
      if status == ERR { return nil }
      if status == KEY_CODE_YES {
        let code = Int32(bitPattern: UInt32(character))
        if code == KEY_MOUSE {
          if let key = readMouse() { return key }
          continue
        }
        if code == KEY_RESIZE {
          refreshSize()
          invalidate()
          return .resize
        }
        if let key = KeyDecoder.key(keyCode: code) { return key }
      } else if let key = KeyDecoder.key(character: UInt32(character)) {
        return key
      }
    }
    return nil
  }

  /// Leaves curses mode: restores the terminal modes and leaves the alternate screen. Idempotent.
  public func close() {
    guard let current = screen else { return }
    if ownsProcessTerminal { TerminalSignals.setCursesActive(false) }
    set_term(current)
    endwin()
    delscreen(current)
    screen = nil
    previous = nil
    for file in ownedFiles { fclose(file) }
  }

  // MARK: - Waiting

  /// Waits until a key may be waiting, the timeout passes, or a signal (such as a resize) arrives.
  ///
  /// Returns true when `readKey()` should be called (input is readable, or a
  /// signal interrupted the wait); false on timeout. A negative timeout waits forever.
  public func waitForInput(timeoutMilliseconds: Int32) -> Bool {
    var descriptor = pollfd(fd: inputFileDescriptor, events: Int16(POLLIN), revents: 0)
    let result = poll(&descriptor, 1, timeoutMilliseconds)
    if result < 0 { return errno == EINTR }
    return result > 0
  }

  // MARK: - Internals

  /// The mouse event behind a `KEY_MOUSE`, as a key, or nil for events we do not report.
  private func readMouse() -> Key? {
    var event = MEVENT()
    guard getmouse(&event) == OK else { return nil }
    return KeyDecoder.mouseKey(x: event.x, y: event.y, buttonState: event.bstate)
  }

  /// Reads the size of the standard screen, keeping the last known one once closed.
  private func refreshSize() {
    guard screen != nil, let window = cnc_stdscr() else { return }
    lastSize = (Int(max(0, getmaxx(window))), Int(max(0, getmaxy(window))))
  }

  /// The curses attributes and colour pair for a style, cached.
  func cursesStyle(_ style: Style) -> (attributes: attr_t, pair: Int32) {
    if let cached = styleCache[style] { return cached }
    var attributes = cnc_attr_normal()
    if style.attributes.contains(.bold) { attributes |= cnc_attr_bold() }
    if style.attributes.contains(.dim) { attributes |= cnc_attr_dim() }
    if style.attributes.contains(.reverse) { attributes |= cnc_attr_reverse() }
    if style.attributes.contains(.underline) { attributes |= cnc_attr_underline() }
    var pair: Int32 = 0
    if colorCount > 0 {
      let foreground = colors.foreground(style.foreground)
      let background = colors.background(style.background)
      pair = pairs.pair(foreground: foreground, background: background) { number, fg, bg in
        if init_extended_pair(number, fg, bg) != ERR { return true }
        guard number <= Int32(Int16.max), let f = Int16(exactly: fg), let b = Int16(exactly: bg) else {
          return false
        }
        return init_pair(Int16(number), f, b) != ERR
      }
    }
    let result = (attributes, pair)
    styleCache[style] = result
    return result
  }

  /// Writes one character with a style at a position of the standard screen (not yet shown).
  func put(_ scalar: Unicode.Scalar, style: Style, x: Int, y: Int) {
    guard let window = cnc_stdscr() else { return }
    let (attributes, pair) = cursesStyle(style)
    wideBuffer[0] = wchar_t(bitPattern: scalar.value)
    wideBuffer[1] = 0
    var cell = cchar_t()
    var extendedPair = pair
    setcchar(&cell, wideBuffer, attributes, Int16(clamping: pair), &extendedPair)
    // Writing the bottom-right cell returns ERR although the cell is stored.
    _ = mvwadd_wch(window, Int32(y), Int32(x), &cell)
  }

  /// Whether the screen is open.
  var isOpen: Bool { screen != nil }
}
