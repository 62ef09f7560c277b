import Foundation

/// Writes records as a newer helpdesk would: framed and checksummed as the log's format says.
public enum FutureLog {
    /// Appends one record holding `events` (JSON objects, comma-separated) after the log's last.
    public static func append(_ events: String, to path: String) throws {
        let existing = (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()
        let last = existing.split(separator: 10).last.map { String(decoding: $0, as: UTF8.self) }
        try (existing + Data((line(events, after: last) + "\n").utf8)).write(to: URL(fileURLWithPath: path))
    }

    /// The record (without its newline) holding `events` that follows the record line `last`
    /// (nil: the first), framed and checksummed.
    public static func line(_ events: String, after last: String?) -> String {
        let fields = last.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let seq = (fields?["seq"] as? Int ?? 0) + 1
        let at = fields?["at"] as? String ?? "2026-11-30T09:00:00.000Z"
        let line = Array(#"{"seq":\#(seq),"at":"\#(at)","actor":"root","events":[\#(events)]"#.utf8)
        return String(decoding: line, as: UTF8.self) + String(format: #","crc":"%08x"}"#, crc32(line))
    }

    /// CRC-32 (ISO-HDLC), bit by bit: the log's record checksum.
    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
