// libpq, PostgreSQL's own C client: synchronous calls that fit the log's interface, and a socket
// (PQsocket) a poll() loop can wait on beside the terminal for LISTEN's notifications. Nothing
// links the library: CLoadOnFirstUse defines these functions and loads it on the first call.
#ifndef HELPDESK_CLIBPQ_SHIM_H
#define HELPDESK_CLIBPQ_SHIM_H

#include <postgresql/libpq-fe.h>

#endif
