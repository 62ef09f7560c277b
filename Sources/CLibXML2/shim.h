// libxml2's HTML parser for Swift (HTML-only mail to text); the include path is pkg-config's
// (libxml-2.0), given by Package.swift, and CMailLibraries loads the library on the first call.
// Debian builds libxml2 with ICU, so its encoding.h would include ICU's headers, whose UErrorCode
// clashes with the copy inside Foundation ("has different definitions in different modules").
// Nothing here uses libxml2's ICU converters (they only add pointers at the end of
// xmlCharEncodingHandler, which Swift never sees by value), so the headers are read as if
// libxml2 had been built without ICU.
#ifndef HELPDESK_CLIBXML2_SHIM_H
#define HELPDESK_CLIBXML2_SHIM_H

#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#endif
