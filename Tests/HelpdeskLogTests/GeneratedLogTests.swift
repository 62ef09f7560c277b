import Foundation
import HelpdeskCore
import XCTest
@testable import HelpdeskLog

/// `helpdesk generate` writes an ordinary log: same seed, same bytes; every record intact; and
/// replaying it (through the fast decoder) gives exactly the desk the generator built.
final class GeneratedLogTests: XCTestCase {
    static let settings = GeneratorSettings(tickets: 150, seed: 9, supervisor: "root")

    func testTheSameSeedWritesTheSameBytesAndAnotherSeedOthers() throws {
        let directory = try makeTemporaryDirectory()
        let first = directory.file("a.log"), second = directory.file("b.log"), other = directory.file("c.log")
        _ = try GeneratedLog.write(Self.settings, to: first)
        _ = try GeneratedLog.write(Self.settings, to: second)
        var reseeded = Self.settings
        reseeded.seed = 10
        _ = try GeneratedLog.write(reseeded, to: other)
        XCTAssertEqual(try Bytes.read(first), try Bytes.read(second))
        XCTAssertNotEqual(try Bytes.read(first), try Bytes.read(other))
        XCTAssertEqual(try Bytes.read(first + ".snapshot"), try Bytes.read(second + ".snapshot"))
    }

    func testEveryRecordIsIntactAndTheReplayIsTheGeneratorsDesk() throws {
        let directory = try makeTemporaryDirectory()
        let path = directory.file("desk.log")
        let summary = try GeneratedLog.write(Self.settings, to: path)
        let facts = try LogFileFacts(path: path)
        XCTAssertTrue(facts.allChecksumsMatch)
        XCTAssertEqual(facts.seqs, Array(1...summary.records))
        XCTAssertEqual(facts.trailingBytes, 0)
        XCTAssertEqual(try Bytes.size(path), summary.bytes)

        let replayed = try DeskLog(path: path, writable: false, snapshots: false)
        XCTAssertEqual(replayed.snapshotCovers.seq, 0)
        XCTAssertEqual(replayed.desk, summary.desk)
        XCTAssertEqual(replayed.desk.tickets.count, 150)
        // Bodies are references into the log that read back as text.
        let ticket = try XCTUnwrap(replayed.desk.tickets.first { $0.messages.count >= 3 })
        for message in ticket.messages {
            guard case .logged = message.body else { return XCTFail("a replayed body is kept in memory") }
            XCTAssertFalse(try replayed.text(of: message.body).isEmpty)
        }
    }

    func testItKeepsCheckpointsAsALivedDeskWouldEachTheDeskOfTheLogCutThere() throws {
        let directory = try makeTemporaryDirectory()
        let path = directory.file("desk.log")
        let summary = try GeneratedLog.write(Self.settings, to: path)
        let snapshotPath = path + ".snapshot"
        let folder = try XCTUnwrap(try DeskFolder.containing(snapshotPath).folder(Checkpoints.folderName(of: snapshotPath), create: false))
        let entries = Checkpoints.list(folder)
        XCTAssertGreaterThan(entries.count, 2, "spread over the desk's life")
        XCTAssertEqual(entries.first?.seq, summary.records, "the newest is the final snapshot")
        let beforeLastDay = try XCTUnwrap(entries.first { $0.at <= GeneratorSettings.end.addingTimeInterval(-86_400) })
        XCTAssertGreaterThan(beforeLastDay.at, GeneratorSettings.end.addingTimeInterval(-2 * 86_400),
                             "a moment of the last day is a short replay")
        let bytes = try Bytes.read(path)
        for entry in entries {
            let saved = try XCTUnwrap(SnapshotFile.load(from: folder.pathOf(entry.name), for: try LogFile.open(path, writable: false)))
            let cut = directory.file("cut-\(entry.seq).log")
            try Data(bytes[..<Int(saved.offset)]).write(to: URL(fileURLWithPath: cut))
            XCTAssertEqual(try DeskLog(path: cut, writable: false, snapshots: false).desk, saved.desk, entry.name)
        }
    }

    func testTheFastDecoderReadsEveryGeneratedRecordAsTheGeneralOneDoes() throws {
        let directory = try makeTemporaryDirectory()
        let path = directory.file("desk.log")
        _ = try GeneratedLog.write(Self.settings, to: path)
        let bytes = try Bytes.read(path)
        var fast = 0
        for line in Bytes.lines(bytes) {
            let text = Array(bytes[Int(line.offset)..<Int(line.end) - 1])
            try text.withUnsafeBufferPointer { buffer in
                let general = try RecordCodec.decodeGeneral(buffer, bodies: .referenced(offset: line.offset))
                let quick = FastRecordDecoder.decode(buffer, offset: line.offset)
                XCTAssertEqual(quick, general, "record at \(line.offset)")
                if quick != nil { fast += 1 }
            }
        }
        XCTAssertEqual(fast, Bytes.lines(bytes).count, "the fast path reads every record the writer writes")
    }

    /// Records the fast decoder does not expect go to the general decoder, which reads them as before.
    func testUnusualRecordsDecodeAsTheGeneralDecoderDecodesThem() throws {
        let records = [
            #"{"seq":3,"at":"2026-11-22T16:07:42.424Z","actor":"bob","events":[{"type":"ticket.opened","ticket":1,"subject":"Say \"hi\" \u00e9","customer":1,"channel":"email","priority":"low"}]}"#,
            #"{"seq":3, "at":"2026-11-22T16:07:42.424Z","actor":"bob","events":[]}"#,
            #"{"seq":3,"at":"2026-11-22 16:07:42Z","actor":"bob","events":[{"type":"follow_up.scheduled","ticket":1,"due":"2026-11-23T10:00:00+02:00","note":null}]}"#,
            #"{"seq":3,"at":"2026-11-22T16:07:42.424Z","actor":"bob","extra":1,"events":[{"type":"message.added","ticket":1,"kind":"note","body":"caf\u00e9 \ud83d\ude00","x":[1]}]}"#,
            #"{"seq":3,"at":"2026-11-22T16:07:42.424Z","actor":"bob","events":[{"type":"tags.changed","ticket":1,"added":["a",2],"removed":[]}]}"#,
            // Keys in another order than the writer's, one that begins as an expected one, odd times.
            #"{"at":"2026-11-22T16:07:42.424Z","seq":3,"actor":"bob","events":[{"type":"ticket.merged","into":2,"ticket":1}]}"#,
            #"{"seq":3,"at":"2026-11-22T16:07:60.999Z","actor":"bob","events":[{"type":"message.added","ticketx":1,"ticket":1,"kind":"note","body":"x"}]}"#,
            #"{"seq":3,"at":"2026-13-22T16:07:42.424Z","actor":"bob","events":[]}"#,
            #"{"seq":3,"at":"2026-11-22T16:07:42.424z","actor":"bob","events":[]}"#,
            #"{"seq":3,"at":"2026-11-22T16:07:42.4a4Z","actor":"bob","events":[]}"#,
            #"{"seq":3,"at":"2026-11-22T16:07:42.424Z","actor":"bob","events":[{"type":"message.added","ticket":1,"kind":"reply","body":"Grüße\n\"ok\"\tdone"}]}"#,
        ]
        for text in records {
            let bytes = Array(text.utf8)
            try bytes.withUnsafeBufferPointer { buffer in
                let general = Result { try RecordCodec.decodeGeneral(buffer, bodies: .referenced(offset: 100)) }
                let either = Result { try RecordCodec.decode(buffer, bodies: .referenced(offset: 100)) }
                switch (either, general) {
                case (.success(let record), .success(let expected)): XCTAssertEqual(record, expected, text)
                case (.failure, .failure): break
                default: XCTFail("\(either) against the general decoder's \(general): \(text)")
                }
            }
        }
        // The writer's own spelling, and the same keys in another order: the fast path takes them.
        for plain in [records.last!, records[5]] {
            XCTAssertNotNil(Array(plain.utf8).withUnsafeBufferPointer { FastRecordDecoder.decode($0, offset: 100) }, plain)
        }
    }

    /// A body is stepped over, not decoded, yet checked as the general decoder checks it: the
    /// fast path takes exactly the bodies the general decoder takes (but for `\u` escapes, which
    /// it leaves to it), at every byte sequence the checks tell apart: escapes, control bytes,
    /// and UTF-8 at and around its limits, alone, after and before plain runs.
    func testStepsOverExactlyTheBodiesTheGeneralDecoderTakes() {
        let head = Array(#"{"seq":3,"at":"2026-11-22T16:07:42.424Z","actor":"bob","events":[{"type":"message.added","ticket":1,"kind":"note","body":""#.utf8)
        let tail = Array(#""}]}"#.utf8)
        let plain = Array("a plain run of text well over sixteen bytes long, ".utf8)
        let unicodeEscape = Array(#"\u00e9"#.utf8)
        let pieces: [[UInt8]] = [
            [], Array(#"\n\"\\\/\r\t\b\f"#.utf8), unicodeEscape, Array(#"\x"#.utf8), [0x5C],
            [0x00], [0x09], [0x1F], [0x7F], [0xC3, 0xA9], [0xC2, 0x80], [0xDF, 0xBF], [0xC1, 0xBF], [0xC3],
            [0xC3, 0x28], [0xE2, 0x82, 0xAC], [0xE0, 0xA0, 0x80], [0xE0, 0x9F, 0xBF], [0xED, 0x9F, 0xBF],
            [0xED, 0xA0, 0x80], [0xEF, 0xBF, 0xBF], [0xE2, 0x82], [0xF0, 0x9F, 0x98, 0x80], [0xF0, 0x8F, 0xBF, 0xBF],
            [0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xF0, 0x9F, 0x98],
            [0x80], [0xFF],
        ]
        var taken = 0, refused = 0
        for piece in pieces {
            for body in [piece, plain + piece, piece + plain, plain + piece + plain + piece] {
                (head + body + tail).withUnsafeBufferPointer { buffer in
                    let general = try? RecordCodec.decodeGeneral(buffer, bodies: .referenced(offset: 0))
                    let quick = FastRecordDecoder.decode(buffer, offset: 0)
                    if piece == unicodeEscape {
                        XCTAssertNil(quick)
                        XCTAssertNotNil(general)
                    } else {
                        XCTAssertEqual(quick, general, "\(body)")
                    }
                    taken += quick == nil ? 0 : 1
                    refused += general == nil ? 1 : 0
                }
            }
        }
        XCTAssertEqual(taken, 4 * 12)
        XCTAssertEqual(refused, 4 * 17)
    }

    func testRecordsTheGeneralDecoderRefusesAreRefused() throws {
        let refused = [
            #"{"seq":3,"at":"2026-11-22T16:07:42.424Z","actor":"bob","events":[{"type":"message.added","ticket":1,"kind":"note","body":"bad \x escape"}]}"#,
            #"{"seq":3,"at":"2026-11-22T16:07:42.424Z","actor":"bob","events":[{"type":"message.added","ticket":1,"kind":"note"}]}"#,
            #"{"seq":3,"at":"2026-11-22T16:07:42.424Z","actor":"bob","events":[{"type":"no.such","ticket":1}]}"#,
            #"{"seq":3,"at":"yesterday","actor":"bob","events":[]}"#,
        ]
        for text in refused {
            let bytes = Array(text.utf8)
            try bytes.withUnsafeBufferPointer { buffer in
                XCTAssertNil(FastRecordDecoder.decode(buffer, offset: 0), text)
                XCTAssertThrowsError(try RecordCodec.decode(buffer, bodies: .referenced(offset: 0)), text)
            }
        }
        // Invalid UTF-8 inside a body is refused too, not carried into the desk.
        var bad = Array(#"{"seq":3,"at":"2026-11-22T16:07:42.424Z","actor":"bob","events":[{"type":"message.added","ticket":1,"kind":"note","body":"x"#.utf8)
        bad += [0xC3, 0x28] + Array(#""}]}"#.utf8)
        try bad.withUnsafeBufferPointer { buffer in
            XCTAssertNil(FastRecordDecoder.decode(buffer, offset: 0))
            XCTAssertThrowsError(try RecordCodec.decode(buffer, bodies: .referenced(offset: 0)))
        }
    }
}
