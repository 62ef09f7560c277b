import Foundation
import XCTest
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog

/// The one road: every change is a Command decided under the lock on the fresh desk; the SLA
/// escalations due go first, as their own record by the desk; what the desk records itself is
/// refused to agents; a batch is decided item by item under one hold of the lock.
final class DeskServiceTests: XCTestCase {
    private var directory = ""
    private var now = Timestamp.parse("2026-11-20T12:00:00Z")!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "desk-service-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A desk created by sam, with alice on it, and sam's road to it at the test's moment.
    private func desk() throws -> DeskService {
        let log = try DeskLog.create(path: directory + "/desk.log", actor: "sam", displayName: nil, now: now)
        let service = DeskService(log: log, identity: Identity(actor: "sam"), clock: { [unowned self] in self.now })
        try service.perform(.addAgent(account: "alice", displayName: nil, role: .agent, tier: 1))
        return service
    }

    private func open(on service: DeskService, priority: Priority = .urgent) throws -> Int {
        let performed = try service.perform(.openTicket(customerEmail: "jane@example.com", customerName: nil,
                                                        subject: "Printer on fire", channel: .phone,
                                                        priority: priority, body: "Help"))
        return try XCTUnwrap(performed.desk.tickets.last?.id)
    }

    func testTheEscalationsDueAreRecordedFirstByTheDeskViaTheAccount() throws {
        let service = try desk()
        let id = try open(on: service)
        now.addTimeInterval(61 * 60)  // the urgent first response (1 h) is breached

        let alice = service.acting(as: Identity(actor: "alice"))
        let performed = try alice.perform(.note(ticket: id, body: "Looking"))

        let records = try logged(service)
        let escalation = records[records.count - 2], note = records[records.count - 1]
        XCTAssertEqual(escalation.actor, SLAEscalation.actor)
        XCTAssertEqual(escalation.via, "alice", "the account that noticed")
        XCTAssertEqual(escalation.events, [.escalated(ticket: id, tier: 2, reason: "SLA breach: first response")])
        XCTAssertEqual(note.actor, "alice")
        XCTAssertEqual(note.seq, escalation.seq + 1)
        XCTAssertEqual(performed.desk.ticket(id)?.tier, 2, "the note was decided on the desk with the escalation")

        try alice.perform(.note(ticket: id, body: "Still looking"))
        XCTAssertEqual(try logged(service).filter { $0.actor == SLAEscalation.actor }.count, 1, "once")
    }

    func testARoadThatDoesNotEscalateWritesOnlyWhatItIsAsked() throws {
        let service = try desk()
        let id = try open(on: service)
        now.addTimeInterval(61 * 60)
        service.escalatesDueBreaches = false
        try service.perform(.note(ticket: id, body: "Looking"))
        XCTAssertFalse(try logged(service).contains { $0.actor == SLAEscalation.actor })
    }

    func testWhatTheDeskRecordsItselfIsRefusedToAgents() throws {
        let service = try desk()
        let id = try open(on: service)
        for command: Command in [.quarantineMail(raw: "abc", reason: "unreadable"),
                                 .recordMailSent(ticket: id, mail: 1, messageID: "m@x"),
                                 .recordMailFailed(ticket: id, mail: 1, error: "refused"),
                                 .escalateDueBreaches(tickets: [id])] {
            XCTAssertThrowsError(try service.perform(command), "\(command)") { error in
                XCTAssertEqual((error as? Refusal)?.kind, .notAllowed, "\(command)")
            }
        }
        let mail = service.acting(asDesk: Intake.mailActor)
        XCTAssertEqual(mail.identity, Identity(actor: Intake.mailActor, via: "sam"))
        let quarantined = try mail.perform(.quarantineMail(raw: "abc", reason: "unreadable"))
        XCTAssertEqual(quarantined.record?.events, [.mailQuarantined(raw: "abc", reason: "unreadable")])
        XCTAssertEqual(quarantined.record?.via, "sam")
    }

    func testABatchIsDecidedItemByItemAndARefusedItemIsSkipped() throws {
        let service = try desk()
        let intake = service.acting(asDesk: Intake.intakeActor)
        let messages = [
            InboundMessage(channel: .chat, externalID: "c-1", fromAddress: "sam@example.com", subject: "Hi", body: "one"),
            InboundMessage(channel: .chat, externalID: "c-1", fromAddress: "sam@example.com", subject: "Hi", body: "one"),
            InboundMessage(channel: .chat, externalID: "c-2", fromAddress: "not an address", subject: "Hi", body: "two"),
        ]
        let taken = try intake.performEach(messages.count) { index, _, _ in
            .takeIn(messages[index], settings: IntakeSettings())
        }
        XCTAssertNil(taken.batch.stoppedBy)
        XCTAssertEqual(taken.batch.outcomes.count, 3)
        guard case .intake(.opened(let ticket))? = taken.outcomes[0] else { return XCTFail("\(taken.outcomes)") }
        guard case .intake(.duplicate(ticket))? = taken.outcomes[1] else {
            return XCTFail("the second item saw the first: \(taken.outcomes)")
        }
        guard case .failure(let refusal) = taken.batch.outcomes[2] else { return XCTFail("\(taken.batch.outcomes)") }
        XCTAssertEqual(refusal.kind, .invalid)
        XCTAssertEqual(service.log.desk.tickets.count, 1)
    }

    private func logged(_ service: DeskService) throws -> [Record] {
        var records: [Record] = []
        _ = try DeskLog(path: service.log.path, writable: false) { records.append($0) }
        return records
    }
}
