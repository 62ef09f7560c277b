#ifndef HELPDESK_RECORD_SCAN_H
#define HELPDESK_RECORD_SCAN_H

#include <stddef.h>
#include <stdint.h>

/// Whether this processor folds CRC-32 with carry-less multiplication (x86-64 with PCLMULQDQ
/// and SSE4.1); when it does not, `helpdesk_crc32_fold` must not be called.
int helpdesk_crc32_fold_available(void);

/// zlib's CRC-32 over `length` bytes (at least 64, a multiple of 16), `crc` being the running
/// value inverted (~crc) as a table-driven update keeps it; returns it the same way.
uint32_t helpdesk_crc32_fold(const uint8_t *bytes, size_t length, uint32_t crc);

/// How many of the first `length` bytes are plain in a JSON string: printable ASCII other
/// than the quote and the backslash (so neither end the string, nor escape, nor need UTF-8 checks).
size_t helpdesk_plain_prefix(const uint8_t *bytes, size_t length);

/// Asks the processor to bring the `length` bytes at `address` into its cache, to be written
/// soon. Only a hint: it never faults and changes nothing the program computes.
static inline void helpdesk_prefetch_for_write(const void *address, size_t length) {
    for (size_t offset = 0; offset < length; offset += 64) __builtin_prefetch((const char *)address + offset, 1, 3);
}

#endif
