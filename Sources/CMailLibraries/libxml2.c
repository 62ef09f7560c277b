// libxml2, only for HTML-only mail (its HTML parser): the functions HelpdeskMail calls, each
// finding the real one on its first call. With it go ICU, liblzma and zlib.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED  // as in CLibXML2/shim.h: nothing here uses its ICU converters
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "forwarding.h"

static struct hd_library libxml2 = {"libxml2.so.2", 0};

HD_FORWARD(libxml2, htmlDocPtr, htmlReadMemory, (const char *buffer, int size, const char *URL, const char *encoding, int options), (buffer, size, URL, encoding, options))
HD_FORWARD_VOID(libxml2, xmlFreeDoc, (xmlDocPtr cur), (cur))
HD_FORWARD_VOID(libxml2, xmlInitParser, (void), ())
