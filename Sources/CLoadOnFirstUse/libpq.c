// libpq, only for a desk kept in PostgreSQL: every function the store calls (nm -u lists them).
#include <postgresql/libpq-fe.h>

#include "forwarding.h"

static struct hd_library libpq = {"libpq.so.5", 0};

HD_FORWARD(libpq, PGconn *, PQconnectdbParams,
           (const char *const *keywords, const char *const *values, int expand_dbname),
           (keywords, values, expand_dbname))
HD_FORWARD_VOID(libpq, PQfinish, (PGconn *conn), (conn))
HD_FORWARD(libpq, ConnStatusType, PQstatus, (const PGconn *conn), (conn))
HD_FORWARD(libpq, char *, PQerrorMessage, (const PGconn *conn), (conn))
HD_FORWARD(libpq, int, PQsocket, (const PGconn *conn), (conn))
HD_FORWARD(libpq, PQnoticeProcessor, PQsetNoticeProcessor,
           (PGconn *conn, PQnoticeProcessor proc, void *arg), (conn, proc, arg))
HD_FORWARD(libpq, PGresult *, PQexec, (PGconn *conn, const char *query), (conn, query))
HD_FORWARD(libpq, int, PQsendQuery, (PGconn *conn, const char *query), (conn, query))
HD_FORWARD(libpq, int, PQsendQueryParams,
           (PGconn *conn, const char *command, int nParams, const Oid *paramTypes,
            const char *const *paramValues, const int *paramLengths, const int *paramFormats,
            int resultFormat),
           (conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats, resultFormat))
HD_FORWARD(libpq, PGresult *, PQgetResult, (PGconn *conn), (conn))
HD_FORWARD(libpq, int, PQconsumeInput, (PGconn *conn), (conn))
HD_FORWARD(libpq, PGnotify *, PQnotifies, (PGconn *conn), (conn))
HD_FORWARD(libpq, int, PQputCopyData, (PGconn *conn, const char *buffer, int nbytes), (conn, buffer, nbytes))
HD_FORWARD(libpq, int, PQputCopyEnd, (PGconn *conn, const char *errormsg), (conn, errormsg))
HD_FORWARD(libpq, ExecStatusType, PQresultStatus, (const PGresult *res), (res))
HD_FORWARD(libpq, char *, PQresultErrorMessage, (const PGresult *res), (res))
HD_FORWARD(libpq, char *, PQresultErrorField, (const PGresult *res, int fieldcode), (res, fieldcode))
HD_FORWARD(libpq, int, PQntuples, (const PGresult *res), (res))
HD_FORWARD(libpq, int, PQnfields, (const PGresult *res), (res))
HD_FORWARD(libpq, char *, PQgetvalue, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num))
HD_FORWARD(libpq, int, PQgetlength, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num))
HD_FORWARD(libpq, int, PQgetisnull, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num))
HD_FORWARD_VOID(libpq, PQclear, (PGresult *res), (res))
HD_FORWARD_VOID(libpq, PQfreemem, (void *ptr), (ptr))
