// SQLite, only for the search index beside the log: every function HelpdeskSearch calls, each
// finding the real one on its first call. The header declares each too, so a wrong signature is an error.
#include "../CSQLite/shim.h"

#include "forwarding.h"

static struct hd_library sqlite = {"libsqlite3.so.0", 0};

bool hd_sqlite_present(void) { return hd_library_present(&sqlite); }

HD_FORWARD(sqlite, int, sqlite3_bind_double, (sqlite3_stmt *statement, int index, double value), (statement, index, value))
HD_FORWARD(sqlite, int, sqlite3_bind_int64, (sqlite3_stmt *statement, int index, sqlite3_int64 value), (statement, index, value))
HD_FORWARD(sqlite, int, sqlite3_bind_null, (sqlite3_stmt *statement, int index), (statement, index))
HD_FORWARD(sqlite, int, sqlite3_bind_text, (sqlite3_stmt *statement, int index, const char *text, int bytes, void (*destructor)(void *)), (statement, index, text, bytes, destructor))
HD_FORWARD(sqlite, int, sqlite3_busy_timeout, (sqlite3 *database, int ms), (database, ms))
HD_FORWARD(sqlite, int, sqlite3_clear_bindings, (sqlite3_stmt *statement), (statement))
HD_FORWARD(sqlite, int, sqlite3_close, (sqlite3 *database), (database))
HD_FORWARD(sqlite, int, sqlite3_close_v2, (sqlite3 *database), (database))
HD_FORWARD(sqlite, int, sqlite3_column_bytes, (sqlite3_stmt *statement, int column), (statement, column))
HD_FORWARD(sqlite, double, sqlite3_column_double, (sqlite3_stmt *statement, int column), (statement, column))
HD_FORWARD(sqlite, sqlite3_int64, sqlite3_column_int64, (sqlite3_stmt *statement, int column), (statement, column))
HD_FORWARD(sqlite, const unsigned char *, sqlite3_column_text, (sqlite3_stmt *statement, int column), (statement, column))
HD_FORWARD(sqlite, int, sqlite3_column_type, (sqlite3_stmt *statement, int column), (statement, column))
HD_FORWARD(sqlite, const char *, sqlite3_errmsg, (sqlite3 *database), (database))
HD_FORWARD(sqlite, const char *, sqlite3_errstr, (int code), (code))
HD_FORWARD(sqlite, int, sqlite3_exec, (sqlite3 *database, const char *sql, int (*callback)(void *, int, char **, char **), void *argument, char **error), (database, sql, callback, argument, error))
HD_FORWARD(sqlite, int, sqlite3_extended_result_codes, (sqlite3 *database, int on), (database, on))
HD_FORWARD(sqlite, int, sqlite3_finalize, (sqlite3_stmt *statement), (statement))
HD_FORWARD(sqlite, int, sqlite3_open_v2, (const char *filename, sqlite3 **database, int flags, const char *vfs), (filename, database, flags, vfs))
HD_FORWARD(sqlite, int, sqlite3_prepare_v2, (sqlite3 *database, const char *sql, int bytes, sqlite3_stmt **statement, const char **tail), (database, sql, bytes, statement, tail))
HD_FORWARD(sqlite, int, sqlite3_reset, (sqlite3_stmt *statement), (statement))
HD_FORWARD(sqlite, int, sqlite3_step, (sqlite3_stmt *statement), (statement))
