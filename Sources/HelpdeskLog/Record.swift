import Foundation
import HelpdeskCore

/// One line of the log: everything one command did, applied all or none.
public struct Record: Equatable, Sendable {
    public var seq: Int
    public var at: Date
    /// The roster account the events are attributed to.
    public var actor: String
    /// The Unix account that really wrote the record, when it acted as someone else (`--as`).
    public var via: String?
    public var events: [Event]

    public init(seq: Int, at: Date, actor: String, via: String? = nil, events: [Event]) {
        self.seq = seq
        self.at = at
        self.actor = actor
        self.via = via
        self.events = events
    }

    public var context: EventContext { EventContext(seq: seq, at: at, actor: actor, via: via) }
}

/// Record framing: `{"seq":…,"at":…,"actor":…,"events":[…],"crc":"xxxxxxxx"}` and a newline.
/// The CRC-32 covers every byte before `,"crc":"`, so a record can be checked without parsing it.
public enum RecordCodec {
    /// `,"crc":"` + 8 hex digits + `"}`
    static let checksumSuffixLength = 18
    static let checksumMarker = Array(#","crc":""#.utf8)

    public struct Invalid: Error, CustomStringConvertible {
        public var reason: String
        /// What this binary does not know (an event type, a value of an enumerated field), when
        /// that is why the record cannot be read: it is intact, written by a newer helpdesk.
        public var unknown: String?
        /// The format the record's `desk.created` declares, when it has one.
        public var format: Int?
        public var description: String { reason }
    }

    /// Where message bodies go when a record is decoded.
    public enum Bodies {
        /// Kept in the events, as text.
        case inline
        /// Left in the log: events point at the record, which sits at this byte offset.
        case referenced(offset: Int64)
    }

    public static func encode(_ record: Record) -> [UInt8] {
        var fields: [(String, JSONValue)] = [
            ("seq", JSONValue(record.seq)), ("at", .string(Timestamp.format(record.at))),
            ("actor", .string(record.actor)),
        ]
        if let via = record.via { fields.append(("via", .string(via))) }
        fields.append(("events", .array(record.events.map(EventCoding.encode))))
        var line = JSONValue.object(fields).serialized()
        line.removeLast()  // the closing brace; the checksum field goes before it
        let crc = CRC32.checksum(line)
        line.append(contentsOf: checksumMarker)
        line.append(contentsOf: hex8(crc))
        line.append(contentsOf: Array("\"}\n".utf8))
        return line
    }

    static func hex8(_ value: UInt32) -> [UInt8] {
        (0..<8).reversed().map { JSONValue.hex[Int((value >> (UInt32($0) * 4)) & 0xF)] }
    }

    /// True when `line` (without its newline) is a whole record whose checksum matches.
    public static func isIntact(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = line.count
        guard n > checksumSuffixLength + 1, line[0] == UInt8(ascii: "{"),
              line[n - 1] == UInt8(ascii: "}"), line[n - 2] == UInt8(ascii: "\"") else { return false }
        let markerStart = n - checksumSuffixLength
        for (k, byte) in checksumMarker.enumerated() where line[markerStart + k] != byte { return false }
        var expected: UInt32 = 0
        for k in 0..<8 {
            let byte = line[markerStart + checksumMarker.count + k]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - 48
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - 87
            default: return false
            }
            expected = expected << 4 | UInt32(digit)
        }
        return CRC32.checksum(UnsafeBufferPointer(rebasing: line[..<markerStart])) == expected
    }

    /// Decodes an intact line (without its newline).
    public static func decode(_ line: UnsafeBufferPointer<UInt8>, bodies: Bodies) throws(Invalid) -> Record {
        if case .referenced(let offset) = bodies, let record = FastRecordDecoder.decode(line, offset: offset) {
            return record
        }
        return try decodeGeneral(line, bodies: bodies)
    }

    /// Through a JSON tree: every record the format allows, with an error that says what is wrong.
    static func decodeGeneral(_ line: UnsafeBufferPointer<UInt8>, bodies: Bodies) throws(Invalid) -> Record {
        let value: JSONValue
        do {
            value = try JSONValue.parse(Array(line))
        } catch {
            throw Invalid(reason: "not JSON: \(error)")
        }
        guard let seq = value["seq"]?.int, let atText = value["at"]?.string, let at = Timestamp.parse(atText),
              let actor = value["actor"]?.string, let events = value["events"]?.array else {
            throw Invalid(reason: "a record needs seq, at, actor and events")
        }
        let length = line.count + 1
        var decoded: [Event] = []
        decoded.reserveCapacity(events.count)
        for (index, event) in events.enumerated() {
            do {
                decoded.append(try EventCoding.decode(event) { text in
                    switch bodies {
                    case .inline: return .text(text)
                    case .referenced(let offset): return .logged(offset: offset, length: length, event: index)
                    }
                })
            } catch {
                let created = events.first { $0["type"]?.string == "desk.created" }
                throw Invalid(reason: "event \(index + 1): \(error.reason)", unknown: error.unknown,
                              format: created?["format"]?.int)
            }
        }
        return Record(seq: seq, at: at, actor: actor, via: value["via"]?.string, events: decoded)
    }

    public static func decode(_ line: [UInt8], bodies: Bodies) throws(Invalid) -> Record {
        do {
            return try line.withUnsafeBufferPointer { buffer in try decode(buffer, bodies: bodies) }
        } catch let error as Invalid {
            throw error
        } catch {
            throw Invalid(reason: "\(error)")
        }
    }
}
