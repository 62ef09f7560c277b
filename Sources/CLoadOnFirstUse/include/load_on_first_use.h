// A shared library a command may never need (libpq: only a desk kept in PostgreSQL), loaded by
// the first call into it rather than by the dynamic loader at every start: with what it pulls in
// (Kerberos, LDAP, TLS: 24 libraries) it was the biggest part of a small command's start-up. Its
// functions are defined in this target under their own names (libpq.c), each finding the real
// one on its first call; nothing links the library itself (CLibPQ's module map has no `link`).
// CMailLibraries does the same for GMime and libxml2 with forwarding.h.
#ifndef HELPDESK_LOAD_ON_FIRST_USE_H
#define HELPDESK_LOAD_ON_FIRST_USE_H

#include <stdbool.h>

/// A shared library opened on first use: its soname, and the handle once open.
struct hd_library {
    const char *soname;
    void *handle;
};

/// The address of `symbol` in `library`, opening the library first if it is not open yet.
/// A library or symbol that cannot be found ends the process with the loader's own exit
/// status (127) and the reason on stderr, as a missing library at start-up would.
void *hd_symbol_on_first_use(struct hd_library *library, const char *symbol);

/// Opens `library` if it is not open yet, and says whether it could be: for work a missing
/// library may skip (bringing the search index up to date after a write) rather than end on.
bool hd_library_present(struct hd_library *library);

/// Runs `give_back` before such an ending prints its reason: the console sets it to give the
/// terminal back (its modes, the main screen), since a mail library is first loaded on a key.
void hd_before_giving_up(void (*give_back)(void));

#endif
