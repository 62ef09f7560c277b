import XCTest
@testable import HelpdeskConsole
import HelpdeskCore
import HelpdeskLog

/// The filter keeps its matches between keystrokes (narrowing, backspace) and must still give
/// exactly what a search from scratch gives, also when the desk changes under it.
final class FilterTests: XCTestCase {
    /// What the filter means, written the slow way: the bytes of every word of the filter are
    /// somewhere in the ticket's id, #id, subject, customer, assignee or tags. In the view's order.
    private func expected(_ fixture: ConsoleFixture) -> [Int] {
        let console = fixture.console
        let desk = console.desk
        let words = console.state.filter.lowercased().split(separator: " ").map(String.init)
        return QueueView.sortedIDs(desk: desk, view: console.state.view, sort: console.state.sort, me: console.me,
                                   now: fixture.now).filter { id in
            let ticket = desk.ticket(id)!
            let customer = desk.customer(ticket.customerID)
            let text = ([String(id), "#\(id)", ticket.subject, customer?.name ?? "", customer?.email ?? "",
                         ticket.assignee ?? ""] + ticket.tags).joined(separator: " ").lowercased()
            return words.allSatisfy { Array(text.utf8).firstRange(of: Array($0.utf8)) != nil }
        }
    }

    /// The same filter searched by a queue view that has seen no keystroke before.
    private func fromScratch(_ fixture: ConsoleFixture) -> [Int] {
        let state = fixture.console.state
        var fresh = QueueView()
        fresh.update(desk: fixture.console.desk, view: state.view, sort: state.sort, filter: state.filter,
                     me: fixture.console.me, now: fixture.now)
        return fresh.ids
    }

    private func assertExact(_ fixture: ConsoleFixture, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        let ids = fixture.console.queue.ids
        XCTAssertEqual(ids, expected(fixture), "\(message) /\(fixture.console.state.filter)", file: file, line: line)
        XCTAssertEqual(ids, fromScratch(fixture), "\(message) /\(fixture.console.state.filter)", file: file, line: line)
    }

    /// Another agent's append, and the console catching up with it.
    private func elsewhere(_ fixture: ConsoleFixture, _ command: Command, as actor: String = "bob") throws {
        try fixture.appendElsewhere(command, as: actor)
        XCTAssertTrue(fixture.console.catchUp())
    }

    private func deskOfPrinters() throws -> ConsoleFixture {
        let fixture = try ConsoleFixture()
        try fixture.open("Printer jams", priority: .high, hoursAgo: 5)
        try fixture.open("Print preview broken", email: "max@example.org", name: "Max Power", hoursAgo: 4)
        try fixture.open("Invoice printed twice", priority: .urgent, hoursAgo: 3)
        try fixture.open("Login fails", email: "pri@example.com", name: "Pri Patel", hoursAgo: 2)
        try fixture.open("Refund", priority: .low, hoursAgo: 1)
        try fixture.run(.changeTags(ticket: 5, add: ["printer-fault"], remove: []), as: "bob")
        fixture.console.refresh()
        return fixture
    }

    /// The printers desk with the filter prompt open and `text` typed.
    private func printers(filtering text: String) throws -> ConsoleFixture {
        let fixture = try deskOfPrinters()
        fixture.press(.character("/"))
        fixture.type(text)
        return fixture
    }

    func testEachKeystrokeNarrowsToExactlyTheFullSearch() throws {
        let fixture = try deskOfPrinters()
        fixture.press(.character("/"))
        var seen: [[Int]] = []
        for character in "printer jam" {
            fixture.type(String(character))
            assertExact(fixture, "after typing")
            seen.append(fixture.console.queue.ids)
        }
        XCTAssertEqual(seen[2], [3, 1, 2, 4, 5], "pri: subjects, a customer's name and a tag, in urgency order")
        XCTAssertEqual(seen[6], [1, 5], "printer: a subject and a tag")
        XCTAssertEqual(seen.last, [1])
    }

    func testBackspaceWidensBackToEachEarlierResult() throws {
        let fixture = try printers(filtering: "printer z")
        XCTAssertEqual(fixture.console.queue.ids, [])
        var widened: [[Int]] = []
        for _ in 0..<9 {
            fixture.press(.backspace)
            assertExact(fixture, "after backspace")
            widened.append(fixture.console.queue.ids)
        }
        XCTAssertEqual(widened[1], [1, 5], "printer")
        XCTAssertEqual(widened[6], [3, 1, 2, 4, 5], "pr")
        XCTAssertEqual(fixture.console.state.filter, "")
        XCTAssertEqual(fixture.console.queue.ids, [3, 1, 2, 4, 5], "an empty filter shows the whole view")
        fixture.type("pri")
        assertExact(fixture, "typing again after widening")
        fixture.press(.backspace)
        fixture.type("e")
        assertExact(fixture, "a different letter after backspace")
        XCTAssertEqual(fixture.console.queue.ids, [2])
    }

    func testWordsInAnyOrderAndExtraSpacesGiveTheFullSearch() throws {
        let fixture = try deskOfPrinters()
        fixture.press(.character("/"))
        for character in "  jams  print " {
            fixture.type(String(character))
            assertExact(fixture, "after typing")
        }
        XCTAssertEqual(fixture.console.queue.ids, [1])
    }

    func testAnotherAgentsNewTicketShowsUpWhileFiltering() throws {
        let fixture = try printers(filtering: "print")
        XCTAssertEqual(fixture.console.queue.ids, [3, 1, 2, 5])
        try elsewhere(fixture, .openTicket(customerEmail: "new@example.com", customerName: "New One", subject: "Printer smokes",
                                           channel: .phone, priority: .urgent, body: "Smoke!"))
        assertExact(fixture, "after another's new ticket")
        XCTAssertEqual(fixture.console.queue.ids, [3, 1, 6, 2, 5], "an urgent ticket, after the breached one")
        fixture.type("e")
        assertExact(fixture, "narrowing after the desk changed")
        XCTAssertEqual(fixture.console.queue.ids, [3, 1, 6, 5])
        fixture.press(.backspace, .backspace, .backspace, .backspace)
        assertExact(fixture, "widening after the desk changed")
        XCTAssertEqual(fixture.console.queue.ids, [3, 1, 6, 2, 4, 5])
    }

    func testTicketsAddedPastTheIndexesRoomAreFound() throws {
        let fixture = try ConsoleFixture()
        for index in 0..<40 { try fixture.open("Ticket \(index)") }
        fixture.console.refresh()
        fixture.press(.character("/"))
        fixture.type("z")
        XCTAssertEqual(fixture.console.queue.ids, [])
        let other = try DeskLog(path: fixture.path, writable: true)
        for index in 40..<70 {
            _ = try other.append(actor: "bob", now: fixture.now) { desk, time throws(Refusal) in
                try Rules.decide(.openTicket(customerEmail: "c\(index)@example.com", customerName: nil,
                                             subject: index == 69 ? "Fizz" : "Ticket \(index)", channel: .email,
                                             priority: .normal, body: "Hi"), by: "bob", at: time, on: desk)
            }
        }
        fixture.console.catchUp()
        assertExact(fixture, "seventy tickets")
        XCTAssertEqual(fixture.console.queue.ids, [70])
    }

    func testAChangedTicketJoinsOrLeavesTheFilteredQueue() throws {
        let fixture = try printers(filtering: "lab")
        XCTAssertEqual(fixture.console.queue.ids, [])
        try elsewhere(fixture, .changeTags(ticket: 4, add: ["lab"], remove: []))
        assertExact(fixture, "a tag added elsewhere")
        XCTAssertEqual(fixture.console.queue.ids, [4])
        fixture.press(.backspace)
        assertExact(fixture, "widening past a result made before the change")
        fixture.type("b")
        try elsewhere(fixture, .changeTags(ticket: 4, add: [], remove: ["lab"]))
        assertExact(fixture, "the tag removed elsewhere")
        XCTAssertEqual(fixture.console.queue.ids, [])

        // One letter is answered from the index alone, so the index must forget the old text.
        fixture.press(.escape, .character("/"))
        try elsewhere(fixture, .changeTags(ticket: 3, add: ["zq"], remove: []))
        fixture.type("z")
        XCTAssertEqual(fixture.console.queue.ids, [3])
        try elsewhere(fixture, .changeTags(ticket: 3, add: [], remove: ["zq"]))
        assertExact(fixture, "the only z removed elsewhere")
        XCTAssertEqual(fixture.console.queue.ids, [])

        fixture.press(.escape, .character("/"))
        fixture.type("carol")
        XCTAssertEqual(fixture.console.queue.ids, [])
        try elsewhere(fixture, .give(ticket: 2, to: "carol"), as: "sam")
        assertExact(fixture, "given to carol elsewhere")
        XCTAssertEqual(fixture.console.queue.ids, [2])
        fixture.press(.backspace, .backspace)
        try elsewhere(fixture, .release(ticket: 2), as: "sam")
        assertExact(fixture, "released elsewhere")
        XCTAssertEqual(fixture.console.queue.ids, [])
    }

    func testChangingTheViewOrSortBetweenKeystrokes() throws {
        let fixture = try deskOfPrinters()
        try fixture.run(.take(ticket: 1, steal: false), as: "alice")
        try fixture.run(.take(ticket: 3, steal: false), as: "alice")
        fixture.press(.character("/"))
        fixture.type("pr")
        fixture.press(.enter, .character("v"), .character("m"))
        assertExact(fixture, "mine")
        XCTAssertEqual(fixture.console.queue.ids, [3, 1])
        fixture.press(.character("/"))
        fixture.type("inter")
        assertExact(fixture, "narrowed in mine")
        XCTAssertEqual(fixture.console.queue.ids, [1])
        fixture.press(.enter, .character("v"), .character("a"), .character("S"))
        assertExact(fixture, "all open, newest first")
        XCTAssertEqual(fixture.console.queue.ids, [5, 1])
        fixture.press(.character("/"), .backspace, .backspace, .backspace, .backspace, .backspace)
        assertExact(fixture, "widened in all open, newest first")
        XCTAssertEqual(fixture.console.queue.ids, [5, 4, 3, 2, 1])
    }

    func testACombiningMarkTypedAfterALetterStillGivesTheFullSearch() throws {
        let fixture = try ConsoleFixture()
        try fixture.open("Café closed")  // precomposed é
        try fixture.open("Cafe\u{301} open")  // e and a combining acute
        try fixture.open("Cafeteria")
        fixture.console.refresh()
        fixture.press(.character("/"))
        fixture.type("cafe")
        assertExact(fixture, "cafe")
        XCTAssertEqual(fixture.console.queue.ids.sorted(), [2, 3], "bytes, not characters: e in e + acute")
        fixture.press(.character("\u{301}"))
        assertExact(fixture, "cafe and a combining acute")
        XCTAssertEqual(fixture.console.queue.ids, [2])
        fixture.press(.backspace)
        assertExact(fixture, "backspace removes the whole character")
    }

    /// Filters that jump (not one key at a time), straight through the queue view.
    func testAnyFilterAfterAnyOtherMatchesTheFullSearch() throws {
        let fixture = try deskOfPrinters()
        let desk = fixture.console.desk
        var queue = QueueView()
        var random = SeededRandom(seed: 3)
        let texts = ["p", "pr", "pri", "print", "printer", "printer j", "printer ja", "pa", "pre", "max", "ma", "", "in", "int"]
        for _ in 0..<60 {
            let filter = texts[Int(random.next() % UInt64(texts.count))]
            queue.update(desk: desk, view: .allOpen, sort: .urgency, filter: filter, me: "alice", now: fixture.now)
            var fresh = QueueView()
            fresh.update(desk: desk, view: .allOpen, sort: .urgency, filter: filter, me: "alice", now: fixture.now)
            XCTAssertEqual(queue.ids, fresh.ids, "/\(filter)")
        }
    }

    func testRandomTypingAndBackspacesMatchTheFullSearch() throws {
        let fixture = try ConsoleFixture()
        let subjects = ["printer jam", "print queue", "invoice", "login", "prime numbers", "sprint review", "re: print"]
        for index in 0..<40 {
            try fixture.open("\(subjects[index % subjects.count]) \(index)", email: "c\(index % 7)@example.com",
                             name: "Customer \(index % 7)", priority: Priority.allCases[index % 4], hoursAgo: Double(index % 9))
        }
        fixture.console.refresh()
        fixture.press(.character("/"))
        var random = SeededRandom(seed: 7)
        let alphabet = Array("prinmtequ 1#@.")
        for step in 0..<150 {
            if random.next() % 3 == 0 {
                fixture.press(.backspace)
            } else {
                fixture.type(String(alphabet[Int(random.next() % UInt64(alphabet.count))]))
            }
            if step % 30 == 29 {
                try elsewhere(fixture, .changeTags(ticket: 1 + step % 40, add: ["print-\(step)"], remove: []))
            }
            assertExact(fixture, "step \(step)")
        }
    }
}

/// The n-gram sets may only rule a text out when the text truly lacks the word, and settle a
/// word alone only when they prove it.
final class NgramIndexTests: XCTestCase {
    private struct Texts {
        var bytes: [UInt8] = []
        var spans: [(offset: Int, length: Int)] = []
        mutating func append(_ text: [UInt8]) {
            spans.append((bytes.count, text.count))
            bytes += text
        }
        func text(_ index: Int) -> [UInt8] { Array(bytes[spans[index].offset..<spans[index].offset + spans[index].length]) }
        func index() -> NgramIndex { bytes.withUnsafeBytes { NgramIndex(texts: $0, spans: spans) } }
        var all: TicketSet { TicketSet(ids: Array(1...spans.count), capacity: spans.count) }
    }

    private func randomTexts(_ random: inout SeededRandom, count: Int) -> Texts {
        let alphabet = Array("abcxyz019 #@.-é✓".utf8)
        var texts = Texts()
        for _ in 0..<count {
            texts.append((0..<Int(random.next() % 40)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
        }
        return texts
    }

    private func assertNeverRulesOut(_ index: NgramIndex, _ texts: Texts, file: StaticString = #filePath, line: UInt = #line) {
        for ticket in texts.spans.indices {
            let text = texts.text(ticket)
            for start in text.indices {
                for end in start + 1...min(start + 4, text.count) where !text[start..<end].contains(UInt8(ascii: " ")) {
                    let word = Array(text[start..<end])
                    XCTAssertTrue(index.narrow(texts.all, words: [word]).0.contains(ticket), "\(text) has \(word)", file: file, line: line)
                }
            }
        }
    }

    func testTheSetsNeverRuleOutATextThatHasTheWord() {
        var random = SeededRandom(seed: 11)
        let texts = randomTexts(&random, count: 120)
        assertNeverRulesOut(texts.index(), texts)
    }

    func testAWordTheSetsSettleMatchesExactlyTheTextsThatHaveIt() {
        var random = SeededRandom(seed: 13)
        let texts = randomTexts(&random, count: 120)
        let index = texts.index()
        let alphabet = Array("abcxyz019 #@.-".utf8).filter { $0 != UInt8(ascii: " ") }
        var settled = 0
        for word in alphabet.map({ [$0] }) + alphabet.flatMap({ first in alphabet.map { [first, $0] } }) {
            let (set, unsettled) = index.narrow(texts.all, words: [word])
            guard unsettled.isEmpty else { continue }
            settled += 1
            for ticket in texts.spans.indices {
                XCTAssertEqual(set.contains(ticket), texts.text(ticket).firstRange(of: word) != nil, "\(texts.text(ticket)) and \(word)")
            }
        }
        XCTAssertGreaterThan(settled, 50, "letters, digits and the common pairs")
    }

    func testAChangedTextMovesBetweenTheSets() {
        var random = SeededRandom(seed: 5)
        var texts = randomTexts(&random, count: 100)
        var index = texts.index()
        for ticket in stride(from: 0, to: 100, by: 3) {
            let old = texts.spans[ticket]
            let fresh = (0..<Int(random.next() % 40)).map { _ in UInt8(ascii: "a") + UInt8(random.next() % 26) }
            texts.bytes.withUnsafeBytes { index.remove(ticket, text: $0, span: old) }
            texts.spans[ticket] = (texts.bytes.count, fresh.count)
            texts.bytes += fresh
            texts.bytes.withUnsafeBytes { index.add(ticket, text: $0, span: texts.spans[ticket]) }
        }
        assertNeverRulesOut(index, texts)
        XCTAssertFalse(index.narrow(texts.all, words: [Array("#".utf8)]).0.contains(0),
                       "the first text is letters only now: no set of another byte holds it")
    }

    func testLettersDigitsAndCommonPairsAreSettledByTheSetsAlone() {
        var texts = Texts()
        for number in 0..<200 {
            texts.append(Array((number % 2 == 0 ? "printer \(number) #x" : "problem \(number)").utf8))
        }
        texts.append(Array("zq".utf8))
        let index = texts.index()
        func narrow(_ word: String) -> (ids: [Int], settled: Bool) {
            let (set, unsettled) = index.narrow(texts.all, words: [Array(word.utf8)])
            return ((0..<texts.spans.count).filter { set.contains($0) }, unsettled.isEmpty)
        }
        XCTAssertEqual(narrow("p").ids.count, 200)
        XCTAssertTrue(narrow("p").settled)
        XCTAssertEqual(narrow("pri").ids, Array(stride(from: 0, to: 200, by: 2)), "every pair is common here")
        XCTAssertFalse(narrow("pri").settled, "two pairs do not make a triple")
        XCTAssertTrue(narrow("pr").settled, "a pair in most texts has a set of its own")
        XCTAssertEqual(narrow("pr").ids.count, 200)
        XCTAssertFalse(narrow("zq").settled, "a rare pair shares a set")
        XCTAssertTrue(narrow("zq").ids.contains(200))
        XCTAssertFalse(narrow("#").settled, "other bytes share sets")
    }
}
