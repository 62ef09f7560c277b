import Foundation
import HelpdeskCore

/// The file's records after a database's head, checked and sent with one COPY (CSV: its text
/// format would read the lines' backslashes as escapes): each line as it is, at its offset, with
/// its time and actor and a client id of its own.
enum RecordCopy {
    struct Copied {
        var records = 0
        var lastSeq: Int
        /// The offset just past the last record copied.
        var end: Int64
    }

    /// Every record must be intact (its CRC), decodable, and one seq after the last. A torn tail
    /// (an interrupted write, no record after it) is left behind, as readers leave it.
    static func copy(_ file: LogFile, after head: DatabaseHead, into connection: PGConnection,
                     progress: (Int64) -> Void) throws -> Copied {
        var copied = Copied(lastSeq: head.seq, end: head.size)
        try connection.copyIn("COPY helpdesk_log (seq, pos, at, actor, client_id, line) FROM STDIN (FORMAT csv)") { writer in
            _ = try LogScanner(file: file).scan(from: head.size) { line, offset in
                let record: Record
                do {
                    record = try RecordCodec.decode(line, bodies: .referenced(offset: offset))
                } catch {
                    throw LogError.unreadable(path: file.path, offset: offset, error)
                }
                guard record.seq == copied.lastSeq + 1 else {
                    throw LogError.damaged(path: file.path, offset: offset,
                                           reason: "seq \(record.seq) where \(copied.lastSeq + 1) should follow")
                }
                writer.append(String(record.seq).utf8)
                writer.append(UInt8(ascii: ","))
                writer.append(String(offset).utf8)
                writer.append(UInt8(ascii: ","))
                writer.append(Timestamp.format(record.at).utf8)
                writer.append(UInt8(ascii: ","))
                writer.appendQuoted(record.actor)
                writer.append(UInt8(ascii: ","))
                writer.append(clientID())
                writer.append(UInt8(ascii: ","))
                writer.appendQuoted(line)
                try writer.endRow()
                copied.records += 1
                copied.lastSeq = record.seq
                copied.end = offset + Int64(line.count) + 1
                progress(copied.end)
            }
        }
        return copied
    }

    /// A fresh random UUID in its text form, without a String per row.
    private static let digits = Array("0123456789abcdef".utf8)

    private static func clientID() -> [UInt8] {
        var text: [UInt8] = []
        text.reserveCapacity(36)
        withUnsafeBytes(of: UUID().uuid) { bytes in
            for (index, byte) in bytes.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
                text.append(digits[Int(byte >> 4)])
                text.append(digits[Int(byte & 0xF)])
            }
        }
        return text
    }
}
