#include "load_on_first_use.h"

#include <dlfcn.h>
#include <stdio.h>
#include <unistd.h>

static void (*hd_give_back)(void);

void hd_before_giving_up(void (*give_back)(void)) { __atomic_store_n(&hd_give_back, give_back, __ATOMIC_RELEASE); }

static void hd_give_up(const char *what, const char *name) {
    const char *reason = dlerror();
    void (*give_back)(void) = __atomic_load_n(&hd_give_back, __ATOMIC_ACQUIRE);
    if (give_back) give_back();
    fprintf(stderr, "helpdesk: cannot load %s %s: %s\n", what, name, reason ? reason : "not found");
    _exit(127);
}

static void *hd_open(struct hd_library *library) {
    void *handle = __atomic_load_n(&library->handle, __ATOMIC_ACQUIRE);
    if (!handle) {
        // Two threads may both open it: dlopen counts references, and either handle is the same.
        handle = dlopen(library->soname, RTLD_NOW | RTLD_LOCAL);
        if (handle) __atomic_store_n(&library->handle, handle, __ATOMIC_RELEASE);
    }
    return handle;
}

bool hd_library_present(struct hd_library *library) { return hd_open(library) != 0; }

void *hd_symbol_on_first_use(struct hd_library *library, const char *symbol) {
    void *handle = hd_open(library);
    if (!handle) hd_give_up("the shared library", library->soname);
    void *address = dlsym(handle, symbol);
    if (!address) hd_give_up("the function", symbol);
    return address;
}
