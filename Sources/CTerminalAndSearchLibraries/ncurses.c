// ncursesw (and the libtinfo it links), only for the console and the wallboard: every function
// our code and CNcurses' shim call (nm -u lists them), each finding the real one on its first
// call, and the variables the shim reads. The header declares each too, so a wrong signature is
// an error. The first call is newterm, before the terminal is touched; if the library is missing,
// hd_before_giving_up (TerminalGuard) still gives the terminal back before the process ends.
#include "../CNcurses/shim.h"

#include "forwarding.h"

// The header defines these as macros over stdscr too; here they are the library's functions.
#undef erase
#undef get_wch

// dlsym on this handle also finds libtinfo's functions and variables: ncursesw links it.
static struct hd_library ncursesw = {"libncursesw.so.6", 0};

HD_FORWARD_VARIABLE(ncursesw, WINDOW *, hd_stdscr, stdscr)
HD_FORWARD_VARIABLE(ncursesw, int, hd_lines, LINES)
HD_FORWARD_VARIABLE(ncursesw, int, hd_cols, COLS)
HD_FORWARD_VARIABLE(ncursesw, int, hd_colors, COLORS)
HD_FORWARD_VARIABLE(ncursesw, int, hd_color_pairs, COLOR_PAIRS)

HD_FORWARD(ncursesw, int, beep, (void), ())
HD_FORWARD(ncursesw, int, clearok, (WINDOW *window, bool on), (window, on))
HD_FORWARD(ncursesw, int, curs_set, (int visibility), (visibility))
HD_FORWARD(ncursesw, const char *, curses_version, (void), ())
HD_FORWARD(ncursesw, int, def_prog_mode, (void), ())
HD_FORWARD(ncursesw, int, doupdate, (void), ())
HD_FORWARD(ncursesw, int, endwin, (void), ())
HD_FORWARD(ncursesw, int, erase, (void), ())
HD_FORWARD(ncursesw, int, get_wch, (wint_t *character), (character))
HD_FORWARD(ncursesw, bool, has_colors, (void), ())
HD_FORWARD(ncursesw, int, init_pair, (NCURSES_PAIRS_T pair, NCURSES_COLOR_T foreground, NCURSES_COLOR_T background), (pair, foreground, background))
HD_FORWARD(ncursesw, int, keypad, (WINDOW *window, bool on), (window, on))
HD_FORWARD(ncursesw, SCREEN *, newterm, (const char *type, FILE *output, FILE *input), (type, output, input))
HD_FORWARD(ncursesw, int, nodelay, (WINDOW *window, bool on), (window, on))
HD_FORWARD(ncursesw, int, noecho, (void), ())
HD_FORWARD(ncursesw, int, nonl, (void), ())
HD_FORWARD(ncursesw, int, raw, (void), ())
HD_FORWARD(ncursesw, int, reset_prog_mode, (void), ())
HD_FORWARD(ncursesw, int, resizeterm, (int lines, int columns), (lines, columns))
HD_FORWARD(ncursesw, int, set_escdelay, (int ms), (ms))
HD_FORWARD(ncursesw, int, setcchar, (cchar_t *cell, const wchar_t *characters, const attr_t attributes, NCURSES_PAIRS_T pair, const void *options), (cell, characters, attributes, pair, options))
HD_FORWARD(ncursesw, int, start_color, (void), ())
HD_FORWARD(ncursesw, int, use_default_colors, (void), ())
HD_FORWARD(ncursesw, int, wadd_wch, (WINDOW *window, const cchar_t *cell), (window, cell))
HD_FORWARD(ncursesw, int, wmove, (WINDOW *window, int y, int x), (window, y, x))
HD_FORWARD(ncursesw, int, wnoutrefresh, (WINDOW *window), (window))
