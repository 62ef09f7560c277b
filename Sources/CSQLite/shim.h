// SQLite 3 with FTS5 (Debian's libsqlite3-dev), for the full-text index beside the log
// (see Sources/HelpdeskSearch): a real engine with ranking and snippets, not a hand-written one.
#ifndef HELPDESK_CSQLITE_SHIM_H
#define HELPDESK_CSQLITE_SHIM_H

#include <sqlite3.h>

#endif
