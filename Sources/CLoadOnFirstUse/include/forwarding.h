// Defines a library function by name that calls the real one, found on its first call.
#ifndef HELPDESK_FORWARDING_H
#define HELPDESK_FORWARDING_H

#include "load_on_first_use.h"

#define HD_REAL_FUNCTION(library, result, name, parameters)                                        \
    static result (*real) parameters;                                                            \
    result (*function) parameters = __atomic_load_n(&real, __ATOMIC_ACQUIRE);                    \
    if (!function) {                                                                             \
        function = (result (*) parameters)hd_symbol_on_first_use(&library, #name);               \
        __atomic_store_n(&real, function, __ATOMIC_RELEASE);                                     \
    }

#define HD_FORWARD(library, result, name, parameters, arguments)                                   \
    result name parameters {                                                                     \
        HD_REAL_FUNCTION(library, result, name, parameters)                                      \
        return function arguments;                                                               \
    }

#define HD_FORWARD_VOID(library, name, parameters, arguments)                                      \
    void name parameters {                                                                       \
        HD_REAL_FUNCTION(library, void, name, parameters)                                        \
        function arguments;                                                                      \
    }

/// Defines `getter`, which reads the library's variable `name` where it lives (a function defined
/// by the variable's name cannot stand in for it): its address is found on the first call. The
/// header's declaration of `name` is checked against `type` (__typeof__ references no symbol).
#define HD_FORWARD_VARIABLE(library, type, getter, name)                                          \
    _Static_assert(__builtin_types_compatible_p(__typeof__(name), type), #name " is not " #type); \
    type getter(void) {                                                                          \
        static type *address;                                                                    \
        type *found = __atomic_load_n(&address, __ATOMIC_ACQUIRE);                               \
        if (!found) {                                                                            \
            found = (type *)hd_symbol_on_first_use(&library, #name);                             \
            __atomic_store_n(&address, found, __ATOMIC_RELEASE);                                 \
        }                                                                                        \
        return *found;                                                                           \
    }

#endif
