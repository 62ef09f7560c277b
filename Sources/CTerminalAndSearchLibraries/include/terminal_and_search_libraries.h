// ncursesw (with libtinfo) and SQLite loaded by the first call into them rather than by the
// dynamic loader at every start: only the console and the wallboard draw with ncurses, only the
// search index uses SQLite, yet mapping and relocating the three cost every command about 0.3 ms.
// Their functions, and accessors for the ncurses variables Swift reads, are defined in this target
// (ncurses.c, sqlite.c), each finding the real one on its first call; CNcurses and CSQLite give
// the headers and link nothing. A function the code starts to call must be added here, or the
// link fails. Nothing to declare: linking this target is all.
#ifndef HELPDESK_TERMINAL_AND_SEARCH_LIBRARIES_H
#define HELPDESK_TERMINAL_AND_SEARCH_LIBRARIES_H
#endif
