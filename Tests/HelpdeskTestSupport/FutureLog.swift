import Foundation

/// Writes records as a newer helpdesk would: framed and checksummed as the log's format says.
public enum FutureLog {
    /// Appends one record holding `events` (JSON objects, comma-separated) after the log's last.
    public static func append(_ events: String, to path: String) throws {
        let existing = (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()
        let last = existing.split(separator: 10).last.flatMap { try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] }
        let seq = (last?["seq"] as? Int ?? 0) + 1
        let at = last?["at"] as? String ?? "2026-11-30T09:00:00.000Z"
        var line = Array(#"{"seq":\#(seq),"at":"\#(at)","actor":"root","events":[\#(events)]"#.utf8)
        line += Array(String(format: #","crc":"%08x"}"#, crc32(line)).utf8) + [10]
        try (existing + Data(line)).write(to: URL(fileURLWithPath: path))
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
