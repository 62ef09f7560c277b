// GMime 3 (and the GLib it is built on) for Swift: the type-check macros and casts Swift cannot
// import, as small functions. The include paths are pkg-config's (gmime-3.0) without
// -D_LARGEFILE64_SOURCE and -pthread, which GMime's API does not depend on (unlike ncursesw's wide
// API), given by Package.swift (mailHeaderPaths); the functions are CMailLibraries', which loads
// the library on the first call.
#ifndef HELPDESK_CGMIME_SHIM_H
#define HELPDESK_CGMIME_SHIM_H

#include <gmime/gmime.h>

static inline int hd_is_multipart(GMimeObject *object) { return GMIME_IS_MULTIPART(object); }
static inline int hd_is_part(GMimeObject *object) { return GMIME_IS_PART(object); }
static inline int hd_is_text_part(GMimeObject *object) { return GMIME_IS_TEXT_PART(object); }
static inline int hd_is_message_part(GMimeObject *object) { return GMIME_IS_MESSAGE_PART(object); }
static inline int hd_is_mailbox(InternetAddress *address) { return INTERNET_ADDRESS_IS_MAILBOX(address); }
static inline int hd_is_group(InternetAddress *address) { return INTERNET_ADDRESS_IS_GROUP(address); }

static inline GMimeObject *hd_object(void *object) { return GMIME_OBJECT(object); }
static inline GMimeMultipart *hd_multipart(GMimeObject *object) { return GMIME_MULTIPART(object); }
static inline GMimePart *hd_part(GMimeObject *object) { return GMIME_PART(object); }
static inline GMimeMessagePart *hd_message_part(GMimeObject *object) { return GMIME_MESSAGE_PART(object); }
static inline InternetAddressMailbox *hd_mailbox(InternetAddress *address) { return INTERNET_ADDRESS_MAILBOX(address); }
static inline InternetAddressGroup *hd_group(InternetAddress *address) { return INTERNET_ADDRESS_GROUP(address); }
static inline void hd_unref(void *object) { if (object) g_object_unref(object); }

/// The decoded bytes of a leaf part (transfer encoding undone, charset untouched), in a GByteArray
/// the caller frees with g_byte_array_unref; NULL when the part has no content.
static inline GByteArray *hd_part_bytes(GMimePart *part) {
    GMimeDataWrapper *content = g_mime_part_get_content(part);
    if (!content) return NULL;
    GByteArray *bytes = g_byte_array_new();
    GMimeStream *stream = g_mime_stream_mem_new_with_byte_array(bytes);
    g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(stream), FALSE);
    g_mime_data_wrapper_write_to_stream(content, stream);
    g_object_unref(stream);
    return bytes;
}

/// Parses one message from memory; NULL when no message can be made of the bytes.
static inline GMimeMessage *hd_parse_message(const void *bytes, size_t length) {
    GMimeStream *stream = g_mime_stream_mem_new_with_buffer((const char *)bytes, length);
    GMimeParser *parser = g_mime_parser_new_with_stream(stream);
    GMimeMessage *message = g_mime_parser_construct_message(parser, NULL);
    g_object_unref(parser);
    g_object_unref(stream);
    return message;
}

/// The whole message as bytes (LF line ends, as sendmail expects), in a GByteArray to unref.
static inline GByteArray *hd_message_bytes(GMimeMessage *message) {
    GByteArray *bytes = g_byte_array_new();
    GMimeStream *stream = g_mime_stream_mem_new_with_byte_array(bytes);
    g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(stream), FALSE);
    g_mime_object_write_to_stream(GMIME_OBJECT(message), NULL, stream);
    g_mime_stream_flush(stream);
    g_object_unref(stream);
    return bytes;
}

/// A leaf part of `type`/`subtype` holding a copy of `bytes`, base64 encoded, as an attachment named `name`.
static inline GMimePart *hd_attachment_part(const char *type, const char *subtype, const char *name,
                                            const void *bytes, size_t length) {
    GMimePart *part = g_mime_part_new_with_type(type, subtype);
    GMimeStream *stream = g_mime_stream_mem_new_with_buffer((const char *)bytes, length);
    GMimeDataWrapper *content = g_mime_data_wrapper_new_with_stream(stream, GMIME_CONTENT_ENCODING_DEFAULT);
    g_mime_part_set_content(part, content);
    g_object_unref(content);
    g_object_unref(stream);
    g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_BASE64);
    g_mime_part_set_filename(part, name);
    return part;
}

#endif
