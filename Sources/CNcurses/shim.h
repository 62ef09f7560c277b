// What Swift cannot import from ncurses directly: function-like macros and C globals.
// pkgConfig is not used because SwiftPM drops ncursesw's -D_XOPEN_SOURCE flags, without which
// the wide-character API is not declared; defining NCURSES_WIDECHAR here does the same job.
#ifndef HELPDESK_CNCURSES_SHIM_H
#define HELPDESK_CNCURSES_SHIM_H

#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// glibc declares these only under __USE_XOPEN.
extern int wcwidth(wchar_t c);
extern int wcswidth(const wchar_t *s, size_t n);

static inline WINDOW *hd_stdscr(void) { return stdscr; }
static inline int hd_lines(void) { return LINES; }
static inline int hd_cols(void) { return COLS; }
static inline int hd_colors(void) { return COLORS; }
static inline int hd_color_pairs(void) { return COLOR_PAIRS; }
static inline void hd_set_escdelay(int ms) { set_escdelay(ms); }

static inline attr_t hd_a_normal(void) { return A_NORMAL; }
static inline attr_t hd_a_bold(void) { return A_BOLD; }
static inline attr_t hd_a_reverse(void) { return A_REVERSE; }
static inline attr_t hd_a_underline(void) { return A_UNDERLINE; }
static inline attr_t hd_a_dim(void) { return A_DIM; }
static inline int hd_key_f(int n) { return KEY_F(n); }

#endif
