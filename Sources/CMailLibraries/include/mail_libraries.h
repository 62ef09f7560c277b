// GMime (with GLib, GIO and what they bring: selinux, mount, gpgme, idn2, ...) and libxml2 (with
// ICU) loaded by the first call into them rather than by the dynamic loader at every start: 20
// libraries that only mail needs, about a third of a small command's start-up. Their functions
// are defined in this target under their own names (gmime.c, libxml2.c), each finding the real one
// on its first call; CGMime and CLibXML2 give the headers (Package.swift's mailHeaderPaths) and
// link nothing. A function the code starts to call must be added here, or the link fails.
// Nothing to declare: linking this target is all.
#ifndef HELPDESK_MAIL_LIBRARIES_H
#define HELPDESK_MAIL_LIBRARIES_H
#endif
