// The console's crash handler, in C: a signal handler is a bare function pointer that can reach
// only global storage, and what it runs must be async-signal-safe, which Swift code is not
// promised to be. So the terminal modes it puts back are saved here, not in a Swift static.
#ifndef HELPDESK_TERMINAL_GUARD_H
#define HELPDESK_TERMINAL_GUARD_H

/// Saves the terminal's modes (standard input's, if it is a terminal) and installs the handler
/// for SIGSEGV, SIGILL, SIGTRAP, SIGABRT, SIGBUS and SIGFPE: it gives the terminal back, then
/// the process dies of the signal as it would have. Call once, before other threads start.
/// Returns 0, or -1 with errno set when a handler could not be installed.
int hd_guard_terminal_against_crashes(void);

/// Gives the terminal back: the saved modes, the main screen, the cursor, plain attributes.
/// Async-signal-safe; for the handler, and for an ending that is not a signal (a library that
/// cannot be loaded on first use).
void hd_give_terminal_back(void);

#endif
