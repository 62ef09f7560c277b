#include "build_info.h"

#ifndef HELPDESK_VERSION
#define HELPDESK_VERSION "0.0.0-dev"
#endif

const char *helpdesk_build_version(void) { return HELPDESK_VERSION; }
