import Foundation
import XCTest
@testable import HelpdeskCore
@testable import HelpdeskLog

/// Records a newer helpdesk wrote: an event type or a format this one does not know is not
/// damage (nothing cuts it off); a field it added to a known event is ignored.
final class ForwardCompatibilityTests: XCTestCase {
    static let at = "2026-11-30T09:00:00.000Z"

    /// A record line as the writer frames it, checksum and newline included.
    static func line(seq: Int, events: String, extra: String = "") -> [UInt8] {
        var line = Array(#"{"seq":\#(seq),"at":"\#(at)","actor":"root"\#(extra),"events":[\#(events)]"#.utf8)
        line += Array(String(format: #","crc":"%08x"}"#, ReferenceCRC32.checksum(line)).utf8) + [10]
        return line
    }

    func testFieldsAndKeysANewerHelpdeskAddedAreIgnored() throws {
        let plain = Self.line(seq: 7, events: #"{"type":"ticket.assigned","ticket":3,"to":"bob"},"#
                              + #"{"type":"message.added","ticket":3,"kind":"note","body":"hi"}"#)
        let added = Self.line(seq: 7, events: #"{"type":"ticket.assigned","ticket":3,"to":"bob","team":{"id":[1,2]}},"#
                              + #"{"type":"message.added","ticket":3,"kind":"note","body":"hi","format":"markdown"}"#,
                              extra: #","host":"desk-2""#)
        for bodies in [RecordCodec.Bodies.inline, .referenced(offset: 100)] {
            let expected = try RecordCodec.decode(Array(plain.dropLast()), bodies: bodies)
            let decoded = try RecordCodec.decode(Array(added.dropLast()), bodies: bodies)
            XCTAssertEqual(decoded.events.first, .assigned(ticket: 3, to: "bob", from: nil))
            XCTAssertEqual(decoded.seq, expected.seq)
            if case .inline = bodies { XCTAssertEqual(decoded, expected) }
        }
    }

    func testAnUnknownEventTypeIsANewerHelpdesksNotDamage() throws {
        let directory = try makeTemporaryDirectory()
        let path = directory.file("desk.log")
        let log = try LogFixture.create(path)
        try LogFixture.openTickets(log, ["one", "two"])
        let seq = log.desk.lastSeq + 1
        let offset = try Bytes.size(path)
        try Bytes.append(Self.line(seq: seq, events: #"{"type":"ticket.split","ticket":2,"into":1}"#), to: path)
        let bytes = try Bytes.read(path)

        XCTAssertThrowsError(try DeskLog(path: path, writable: true)) { error in
            XCTAssertEqual(error as? LogError, .newer(path: path, offset: offset, format: nil, unknown: "event type 'ticket.split'"))
            XCTAssertEqual("\(error)", "this desk was written by a newer helpdesk (event type 'ticket.split', "
                           + "this one reads up to format 1): upgrade helpdesk")
        }
        XCTAssertThrowsError(try log.catchUp()) { error in
            guard case .newer? = error as? LogError else { return XCTFail("\(error)") }
        }
        for repair in [false, true] {
            let report = try LogCheck.run(path: path, repair: repair, now: Date())
            guard case .newer(offset, _)? = report.problem else { return XCTFail("\(String(describing: report.problem))") }
            XCTAssertNil(report.copy)
            XCTAssertEqual(report.records, seq - 1)
            XCTAssertEqual(try Bytes.read(path), bytes, "fsck --repair keeps every byte")
        }
    }

    func testAValueOfAnEnumeratedFieldThisOneDoesNotKnowIsANewerHelpdesks() throws {
        let directory = try makeTemporaryDirectory()
        let path = directory.file("desk.log")
        let log = try LogFixture.create(path)
        try LogFixture.openTickets(log, ["one"])
        let offset = try Bytes.size(path)
        try Bytes.append(Self.line(seq: log.desk.lastSeq + 1,
                                   events: #"{"type":"priority.changed","ticket":1,"from":"normal","to":"critical"}"#), to: path)
        XCTAssertThrowsError(try DeskLog(path: path, writable: false)) { error in
            XCTAssertEqual(error as? LogError, .newer(path: path, offset: offset, format: nil, unknown: "to 'critical' in priority.changed"))
        }
    }

    func testAHigherFormatIsANewerHelpdesks() throws {
        let directory = try makeTemporaryDirectory()
        let path = directory.file("desk.log")
        // Its first record alone, and with an event type this one does not know beside it.
        for events in [#"{"type":"desk.created","format":2}"#, #"{"type":"desk.created","format":2},{"type":"team.added"}"#] {
            try Bytes.write(Self.line(seq: 1, events: events), to: path)
            XCTAssertThrowsError(try DeskLog(path: path, writable: false)) { error in
                XCTAssertEqual(error as? LogError, .newer(path: path, offset: 0, format: 2, unknown: nil))
                XCTAssertEqual("\(error)", "this desk was written by a newer helpdesk (format 2, this one reads up to 1): "
                               + "upgrade helpdesk")
            }
            let report = try LogCheck.run(path: path, repair: true, now: Date())
            guard case .newer(0, _)? = report.problem else { return XCTFail("\(String(describing: report.problem))") }
            XCTAssertEqual(try Bytes.size(path), Int64(Self.line(seq: 1, events: events).count))
        }
    }

    /// The snapshot's version follows the declarations: a change to a stored shape changes it.
    func testTheSnapshotSchemaIsDerivedFromTheEventDeclarations() {
        let current = SnapshotFile.schema(events: EventType.schemaText(of: EventType.all))
        XCTAssertEqual(current, SnapshotFile.schema)
        func changed(_ change: (inout [EventField]) -> Void, of kind: EventKind) -> UInt32 {
            let types = EventType.all.map { type in
                guard type.kind == kind else { return type }
                var fields = type.fields
                change(&fields)
                return EventType(type.kind, type.name, fields, make: type.make)
            }
            return SnapshotFile.schema(events: EventType.schemaText(of: types))
        }
        let variants: [UInt32] = [
            changed({ $0[2].isOptional = true }, of: .assigned),  // already optional: no change
            changed({ $0[1].isOptional = true }, of: .assigned),
            changed({ $0[2].kind = .int }, of: .escalated),
            changed({ $0[1].name = "level" }, of: .escalated),
            changed({ $0.append(.string("team").optional) }, of: .assigned),
            changed({ $0[1] = .choice("kind", Status.self) }, of: .messageAdded),
        ]
        XCTAssertEqual(variants[0], current)
        XCTAssertEqual(Set(variants.dropFirst() + [current]).count, variants.count, "each change gives its own version")
        // The order numbers the types in the snapshot: swapping two changes it too.
        var swapped = EventType.all
        swapped.swapAt(3, 4)
        XCTAssertNotEqual(SnapshotFile.schema(events: EventType.schemaText(of: swapped)), current)
    }

    /// Every event of every type comes back from the snapshot's binary form, the bodies left in
    /// the log included, and from the log's spelling through both decoders alike.
    func testEveryEventComesBackFromTheDerivedCodecs() throws {
        let events = RoundTripTests.everyEvent + [.messageAdded(ticket: 1, kind: .note, body: .logged(offset: 9, length: 80, event: 1))]
        let bytes = BinaryWriter.part { writer in for event in events { writer.event(event) } }
        try bytes.withUnsafeBufferPointer { buffer in
            var reader = try BinaryReader(buffer)
            for event in events { XCTAssertEqual(try reader.event(), event) }
            XCTAssertTrue(reader.atEnd)
        }
        XCTAssertEqual(Set(events.map(\.fields.type.kind)), Set(EventKind.allCases))
        for (index, event) in RoundTripTests.everyEvent.enumerated() {
            let line = RecordCodec.encode(Record(seq: index + 1, at: RoundTripTests.due, actor: "root", events: [event]))
            let general = try line.dropLast().withUnsafeBufferPointer { try RecordCodec.decodeGeneral($0, bodies: .referenced(offset: 0)) }
            let fast = line.dropLast().withUnsafeBufferPointer { FastRecordDecoder.decode($0, offset: 0) }
            XCTAssertEqual(fast, general, "\(event)")
            XCTAssertNotNil(fast, "the fast decoder reads every record the writer writes: \(event)")
        }
    }

    /// Every declaration names its fields once, and its name once among the types.
    func testEveryDeclarationIsWellFormed() {
        XCTAssertEqual(EventType.all.map(\.kind), EventKind.allCases)
        XCTAssertEqual(Set(EventType.all.map(\.name)).count, EventType.all.count)
        for type in EventType.all {
            XCTAssertEqual(Set(type.fields.map(\.name)).count, type.fields.count, type.name)
            XCTAssertFalse(type.fields.contains { $0.name == "type" }, type.name)
        }
    }
}
