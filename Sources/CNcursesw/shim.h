// CNcursesw: the C side of gigatop's ncurses backend.
//
// Swift imports ncursesw through this header. NCURSES_WIDECHAR must be
// defined before <ncursesw/curses.h>: SwiftPM drops the -D flags pkg-config
// hands out, and without it the wide-character API (cchar_t, get_wch,
// mvwadd_wch, ...) is not declared.
//
// Every function defined here starts with `cnc_`. They exist for what Swift
// cannot import (function-like macros such as A_BOLD or BUTTON1_PRESSED) or may
// not touch in Swift 6 mode (the mutable C globals stdscr, COLORS, LINES,
// stdout, ...), plus the signal handler, which must be C to stay
// async-signal-safe in spirit.
//
// Note on state: this header is included by every Swift file that imports
// CNcursesw, and `static` variables below exist once per object file that
// uses them. Only GigatopTerminal/TerminalSignals.swift may call the
// cnc_signals_* functions, so that one copy of that state is ever used.

#ifndef CNCURSESW_SHIM_H
#define CNCURSESW_SHIM_H

// _XOPEN_SOURCE is deliberately NOT defined. It changes glibc's own types
// (fd_set's member is `fds_bits` instead of `__fds_bits`), and every Swift
// target that imports both this module and Glibc or Foundation then fails to
// build ("'__fds_bits' from module 'SwiftGlibc' is not present in definition
// of 'fd_set' in module 'CNcursesw'"). NCURSES_WIDECHAR alone enables the
// wide-character curses API; the one X/Open function we need, wcwidth, is
// declared below.
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include <ncursesw/curses.h>
#include <ncursesw/term.h>

// X/Open, hidden by glibc's <wchar.h> unless _XOPEN_SOURCE is defined (see above).
extern int wcwidth(wchar_t);

/// The number of columns the C library (and so curses) gives a character; -1 if not printable.
static inline int cnc_wcwidth(wchar_t c) { return wcwidth(c); }

// MARK: - Attributes

static inline attr_t cnc_attr_normal(void) { return A_NORMAL; }
static inline attr_t cnc_attr_bold(void) { return A_BOLD; }
static inline attr_t cnc_attr_dim(void) { return A_DIM; }
static inline attr_t cnc_attr_reverse(void) { return A_REVERSE; }
static inline attr_t cnc_attr_underline(void) { return A_UNDERLINE; }

// MARK: - Globals

/// The standard screen of the current SCREEN, or NULL before newterm.
static inline WINDOW *cnc_stdscr(void) { return stdscr; }
/// The number of colours the terminal has (0 before start_color).
static inline int cnc_colors(void) { return COLORS; }
/// The number of colour pairs (0 before start_color).
static inline int cnc_color_pairs(void) { return COLOR_PAIRS; }
static inline int cnc_lines(void) { return LINES; }
static inline int cnc_cols(void) { return COLS; }
static inline FILE *cnc_stdout(void) { return stdout; }
static inline FILE *cnc_stdin(void) { return stdin; }

// MARK: - Keys and mouse

/// The key code of function key n (KEY_F(n)).
static inline int cnc_key_f(int n) { return KEY_F(n); }
static inline mmask_t cnc_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t cnc_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t cnc_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t cnc_button5_pressed(void) { return BUTTON5_PRESSED; }
/// Every button event, without motion reports (which would switch the terminal to any-motion tracking).
static inline mmask_t cnc_all_mouse_events(void) { return ALL_MOUSE_EVENTS; }

// MARK: - Locale

/// The codeset of the current LC_CTYPE locale, e.g. "UTF-8" or "ANSI_X3.4-1968".
static inline const char *cnc_codeset(void) { return nl_langinfo(CODESET); }
static inline const char *cnc_setlocale_all(const char *name) { return setlocale(LC_ALL, name); }
static inline const char *cnc_setlocale_ctype(const char *name) { return setlocale(LC_CTYPE, name); }

// MARK: - Terminal probe

/// The terminal type is usable: it is known and can address the cursor.
#define CNC_PROBE_OK 0
/// The terminal type is not in the terminfo database (or is generic).
#define CNC_PROBE_UNKNOWN 1
/// No terminfo database was found at all.
#define CNC_PROBE_NO_DATABASE 2
/// The terminal is known but has no cursor addressing (`cup`), e.g. dumb.
#define CNC_PROBE_NO_CURSOR_ADDRESSING 3
/// The terminal is a hardcopy terminal.
#define CNC_PROBE_HARDCOPY 4

/// Looks a terminal type up in terminfo without writing anything to `fd`.
///
/// Leaves `cur_term` as it was, so a later newterm starts from scratch.
static inline int cnc_probe_terminal(const char *name, int fd) {
  int status = 0;
  TERMINAL *saved = cur_term;
  if (setupterm(name, fd, &status) != OK) {
    if (status == 1) return CNC_PROBE_HARDCOPY;
    if (status == -1) return CNC_PROBE_NO_DATABASE;
    return CNC_PROBE_UNKNOWN;
  }
  char *cup = tigetstr("cup");
  int addressable = cup != NULL && cup != (char *)-1 && cup[0] != '\0';
  TERMINAL *probe = set_curterm(saved);
  if (probe != NULL && probe != saved) del_curterm(probe);
  return addressable ? CNC_PROBE_OK : CNC_PROBE_NO_CURSOR_ADDRESSING;
}

// MARK: - Signals

// Signals whose default action ends the process while the screen is in
// curses mode. SIGWINCH and SIGTSTP are left to ncurses.
static const int cnc_fatal_signals[] = {
  SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGSEGV, SIGILL, SIGTRAP, SIGBUS, SIGABRT, SIGFPE,
  SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ, SIGSYS,
};
#define CNC_FATAL_SIGNAL_COUNT ((int)(sizeof cnc_fatal_signals / sizeof cnc_fatal_signals[0]))

/// The handlers that were installed before ours, by index in cnc_fatal_signals.
///
/// A function-local static: Swift's C code generation does not emit a
/// file-scope static array of structs (it fails to link as undefined).
static inline struct sigaction *cnc_previous_actions(void) {
  static struct sigaction actions[CNC_FATAL_SIGNAL_COUNT];
  return actions;
}
static volatile sig_atomic_t cnc_handlers_installed = 0;
static volatile sig_atomic_t cnc_curses_active = 0;

/// Puts the terminal back (once) if curses owns it.
static inline void cnc_restore_terminal(void) {
  if (cnc_curses_active) {
    cnc_curses_active = 0;
    endwin();
  }
}

/// Restores the terminal, puts the previous handler back and re-raises, so
/// the process ends (or the Swift backtracer runs) as if we were not there.
__attribute__((unused)) static void cnc_fatal_signal_handler(int sig) {
  int saved_errno = errno;
  cnc_restore_terminal();
  for (int i = 0; i < CNC_FATAL_SIGNAL_COUNT; i++) {
    if (cnc_fatal_signals[i] == sig) {
      sigaction(sig, &cnc_previous_actions()[i], NULL);
      break;
    }
  }
  errno = saved_errno;
  // Blocked while this handler runs: delivered again, to the previous handler,
  // as soon as it returns. A fault (SIGSEGV, SIGILL from a Swift trap) simply
  // happens again on return.
  raise(sig);
}

__attribute__((unused)) static void cnc_atexit_handler(void) { cnc_restore_terminal(); }

/// Installs the chained handlers once; ignores SIGPIPE. Returns 1 if newly installed.
static inline int cnc_signals_install(void) {
  if (cnc_handlers_installed) return 0;
  cnc_handlers_installed = 1;
  for (int i = 0; i < CNC_FATAL_SIGNAL_COUNT; i++) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = cnc_fatal_signal_handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(cnc_fatal_signals[i], &action, &cnc_previous_actions()[i]);
  }
  signal(SIGPIPE, SIG_IGN);
  atexit(cnc_atexit_handler);
  return 1;
}

/// Tells the handlers whether curses currently owns the terminal.
static inline void cnc_signals_set_active(int active) { cnc_curses_active = active ? 1 : 0; }

/// Whether the handlers are installed.
static inline int cnc_signals_installed(void) { return cnc_handlers_installed; }

#endif  // CNCURSESW_SHIM_H
