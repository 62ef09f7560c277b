import CGMime
import Foundation

/// Turns a text part's bytes into a string, as mail is really written: a missing or Latin-1
/// label often hides UTF-8 or Windows-1252 (its curly quotes and euro sign), so those labels are
/// read as "UTF-8 if it is valid, else Windows-1252"; other charsets go through iconv (GLib).
public enum Charset {
    public static func decode(_ bytes: [UInt8], charset label: String?) -> String {
        let name = label?.trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'")).lowercased() ?? ""
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        switch name {
        case "", "us-ascii", "ascii", "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "iso_8859-1",
             "windows-1252", "cp1252", "x-cp1252", "unknown-8bit", "x-unknown", "utf-8", "utf8":
            if let text = String(validating: bytes, as: UTF8.self) { return text }
            return windows1252(bytes)
        default:
            if let text = convert(bytes, from: name) { return text }
            if let text = String(validating: bytes, as: UTF8.self) { return text }
            return windows1252(bytes)
        }
    }

    /// Windows-1252: Latin-1 with printable characters where Latin-1 has C1 controls.
    public static func windows1252(_ bytes: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            if (0x80...0x9F).contains(byte), let mapped = cp1252High[Int(byte - 0x80)] {
                scalars.append(mapped)
            } else {
                scalars.append(Unicode.Scalar(byte))
            }
        }
        return String(scalars)
    }

    private static let cp1252High: [Unicode.Scalar?] = [
        "\u{20AC}", nil, "\u{201A}", "\u{0192}", "\u{201E}", "\u{2026}", "\u{2020}", "\u{2021}",
        "\u{02C6}", "\u{2030}", "\u{0160}", "\u{2039}", "\u{0152}", nil, "\u{017D}", nil,
        nil, "\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}", "\u{2022}", "\u{2013}", "\u{2014}",
        "\u{02DC}", "\u{2122}", "\u{0161}", "\u{203A}", "\u{0153}", nil, "\u{017E}", "\u{0178}",
    ]

    /// iconv through GLib, with GMime's names for the charsets mail uses; nil when it cannot.
    static func convert(_ bytes: [UInt8], from charset: String) -> String? {
        _ = GMime.started
        guard let canonical = g_mime_charset_iconv_name(charset) else { return nil }
        var written: gsize = 0
        var error: UnsafeMutablePointer<GError>?
        let converted = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: gchar.self, capacity: buffer.count) { pointer in
                g_convert_with_fallback(pointer, gssize(buffer.count), "UTF-8", canonical, "\u{FFFD}", nil, &written, &error)
            }
        }
        if let error { g_error_free(error) }
        guard let converted else { return nil }
        defer { g_free(converted) }
        let result = UnsafeRawBufferPointer(start: converted, count: Int(written))
        return String(validating: Array(result), as: UTF8.self)
    }
}
