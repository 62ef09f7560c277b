import Foundation
import XCTest
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog

/// Macros on the one road: placeholders checked as a macro is saved, the text rendered on the
/// fresh desk under the lock as it is applied, as plain text, and everything in one record.
final class MacroRoadTests: XCTestCase {
    private var directory = ""
    private let now = Timestamp.parse("2026-11-20T12:00:00Z")!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "macro-road-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func desk() throws -> DeskService {
        let log = try DeskLog.create(path: directory + "/desk.log", actor: "sam", displayName: "Sam Supervisor", now: now)
        return DeskService(log: log, identity: Identity(actor: "sam"), clock: { [now] in now })
    }

    private func open(on service: DeskService, name: String) throws -> Int {
        let performed = try service.perform(.openTicket(customerEmail: "jane@example.com", customerName: name,
                                                        subject: "Printer <on> fire", channel: .phone,
                                                        priority: .normal, body: "Help"))
        return try XCTUnwrap(performed.desk.tickets.last?.id)
    }

    private func assertRefused(_ template: String, naming text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try MacroTemplate(template), file: file, line: line) { error in
            let message = (error as? Refusal)?.message ?? "\(error)"
            XCTAssertTrue(message.contains(text), "'\(message)' lacks '\(text)'", file: file, line: line)
        }
    }

    func testEveryPlaceholderRendersAsPlainTextWhateverTheCustomerTextHolds() throws {
        let hostile = "Jo & <b>\"Bob\"</b> \u{1B}[31m'O'"
        let template = try MacroTemplate("\n{{customer.name}}|{{customer.first_name}}|{{ticket.subject}}|{{{customer.name}}}\n")
        let rendered = template.render(["customer": ["name": hostile, "first_name": "Jo"], "ticket": ["subject": "a<b>"]])
        XCTAssertEqual(rendered, "\n\(hostile)|Jo|a<b>|\(hostile)\n", "no HTML escaping, the escape kept as data, line breaks kept")
    }

    func testAnUnknownPlaceholderIsRefusedNamingIt() {
        assertRefused("Hello {{customer.nam}}", naming: "unknown placeholder {{customer.nam}}")
        assertRefused("Hello {{name}}", naming: "unknown placeholder {{name}}")
        assertRefused("Hello {{customer}}", naming: "unknown placeholder {{customer}}")
        assertRefused("{{#ticket}}{{customer.name}}{{/ticket}}", naming: "{{ticket.customer}}")
        assertRefused("Hi\nHello {{customer.name", naming: "not a valid template")
        assertRefused("Hi\nHello {{customer.name", naming: "at line 2")
        assertRefused("{{#customer}}x{{/ticket}}", naming: "not a valid template")
        XCTAssertNoThrow(try MacroTemplate("{{#customer}}{{first_name}}{{/customer}} {{! a comment }}"))
        XCTAssertNoThrow(try MacroTemplate(Macro.placeholders.map { "{{\($0)}}" }.joined(separator: " ")))
    }

    func testSavingThroughTheRoadChecksThePlaceholders() throws {
        let service = try desk()
        let bad = Macro(name: "bad", text: Macro.Text(kind: .reply, template: "Dear {{customer.title}}"))
        XCTAssertThrowsError(try service.perform(.saveMacro(bad, replacing: false))) { error in
            XCTAssertEqual((error as? Refusal)?.kind, .invalid)
            XCTAssertTrue("\(error)".contains("{{customer.title}}"), "\(error)")
        }
        XCTAssertTrue(service.log.desk.macros.isEmpty, "nothing saved")
    }

    func testApplyingRendersOnTheFreshDeskAndWritesOneRecord() throws {
        let service = try desk()
        let id = try open(on: service, name: "Jane & <Doe>")
        let text = "Hello {{customer.first_name}}, about #{{ticket.id}} ({{ticket.subject}}): {{agent.name}}, {{desk.name}}"
        try service.perform(.saveMacro(Macro(name: "hello", text: Macro.Text(kind: .reply, template: text), status: .solved),
                                       replacing: false))
        let dry = try service.decideWithoutWriting(.applyMacro(ticket: id, name: "hello", text: nil))
        let before = service.log.desk.lastSeq
        XCTAssertEqual(service.log.desk.ticket(id)?.status, .new, "a dry run writes nothing")

        let performed = try service.perform(.applyMacro(ticket: id, name: "hello", text: nil))
        let record = try XCTUnwrap(performed.record)
        XCTAssertEqual(record.seq, before + 1, "one record")
        XCTAssertEqual(record.events, dry, "the dry run said what the record holds")
        let reply = "Hello Jane, about #\(id) (Printer <on> fire): Sam Supervisor, The support team"
        XCTAssertTrue(record.events.contains(.messageAdded(ticket: id, kind: .reply, body: .text(reply))), "\(record.events)")
        XCTAssertEqual(performed.desk.ticket(id)?.status, .solved)
    }
}
