#ifndef HELPDESK_BUILD_INFO_H
#define HELPDESK_BUILD_INFO_H

/// The version this binary was built as: what .ci/package passed with
/// -Xcc -DHELPDESK_VERSION='"…"' (from git describe), else "0.0.0-dev" for a plain swift build.
/// A C string because Swift's -D defines carry no value.
const char *helpdesk_build_version(void);

#endif
