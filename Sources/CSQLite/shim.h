// SQLite 3 with FTS5 (Debian's libsqlite3-dev), for the full-text index beside the log
// (see Sources/HelpdeskSearch): a real engine with ranking and snippets, not a hand-written one.
// Nothing links the library: CTerminalAndSearchLibraries defines its functions and loads it on the first call.
#ifndef HELPDESK_CSQLITE_SHIM_H
#define HELPDESK_CSQLITE_SHIM_H

#include <sqlite3.h>
#include <stdbool.h>

/// Whether SQLite could be loaded (it then is): work that may do without the index asks first,
/// where any other call into SQLite ends the process (exit 127) naming the missing library.
bool hd_sqlite_present(void);

#endif
