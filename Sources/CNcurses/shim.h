// What Swift cannot import from ncurses directly: function-like macros and C globals.
// pkgConfig is not used because SwiftPM drops ncursesw's -D_XOPEN_SOURCE flags, without which
// the wide-character API is not declared; defining NCURSES_WIDECHAR here does the same job.
// Nothing links the library: CTerminalAndSearchLibraries defines the functions used and loads it
// on the first call (newterm), so ncurses' variables are read through functions defined there.
#ifndef HELPDESK_CNCURSES_SHIM_H
#define HELPDESK_CNCURSES_SHIM_H

#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

// glibc declares these only under __USE_XOPEN.
extern int wcwidth(wchar_t c);
extern int wcswidth(const wchar_t *s, size_t n);

// ncurses' variables stdscr, LINES, COLS, COLORS and COLOR_PAIRS.
WINDOW *hd_stdscr(void);
int hd_lines(void);
int hd_cols(void);
int hd_colors(void);
int hd_color_pairs(void);
/// newterm on the process's own stdin/stdout (C globals Swift 6 will not read).
static inline SCREEN *hd_newterm(void) { return newterm(NULL, stdout, stdin); }
static inline void hd_set_escdelay(int ms) { set_escdelay(ms); }

static inline attr_t hd_a_normal(void) { return A_NORMAL; }
static inline attr_t hd_a_bold(void) { return A_BOLD; }
static inline attr_t hd_a_reverse(void) { return A_REVERSE; }
static inline attr_t hd_a_underline(void) { return A_UNDERLINE; }
static inline attr_t hd_a_dim(void) { return A_DIM; }
static inline int hd_key_f(int n) { return KEY_F(n); }


/// Writes one cell: up to CCHARW_MAX wide characters (a base and its combining marks).
static inline int hd_put_cell(int y, int x, const wchar_t *chars, attr_t attrs, short pair) {
    cchar_t cell;
    if (setcchar(&cell, chars, attrs, pair, NULL) != OK) return ERR;
    return mvwadd_wch(hd_stdscr(), y, x, &cell);
}

/// signalfd is not in Swift's Glibc module; the console's loop reads its signals from one.
static inline int hd_signalfd(const sigset_t *mask) { return signalfd(-1, mask, SFD_NONBLOCK | SFD_CLOEXEC); }

/// The number of the signal waiting on a signalfd, or -1.
static inline int hd_read_signal(int fd) {
    struct signalfd_siginfo info;
    return read(fd, &info, sizeof info) == sizeof info ? (int)info.ssi_signo : -1;
}

#endif
