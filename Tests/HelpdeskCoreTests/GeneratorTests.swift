import Foundation
import XCTest
@testable import HelpdeskCore

/// `helpdesk generate`'s pure half: deterministic, made of real decisions, and shaped like a
/// real desk.
final class GeneratorTests: XCTestCase {
    static let settings = GeneratorSettings(tickets: 300, seed: 42, agents: 8, supervisor: "sam")
    static let records: [GeneratedRecord] = {
        var generator = DeskGenerator(settings: settings)
        return generator.run()
    }()
    static let events: [Event] = records.flatMap(\.events)

    func testTheSameSeedGivesTheSameRecordsAndAnotherSeedOthers() {
        var again = DeskGenerator(settings: Self.settings)
        let repeated = again.run()
        XCTAssertEqual(repeated.count, Self.records.count)
        XCTAssertTrue(zip(repeated, Self.records).allSatisfy {
            $0.seq == $1.seq && $0.at == $1.at && $0.actor == $1.actor && $0.events == $1.events
        })
        var other = DeskGenerator(settings: GeneratorSettings(tickets: 300, seed: 43, agents: 8, supervisor: "sam"))
        let different = other.run()
        XCTAssertNotEqual(different.flatMap(\.events), Self.events)
    }

    func testTheRecordsReplayToTheGeneratorsDesk() throws {
        var generator = DeskGenerator(settings: Self.settings)
        _ = generator.run()
        var replayed = Desk()
        for record in Self.records {
            for event in record.events {
                try replayed.apply(event, context: EventContext(seq: record.seq, at: record.at, actor: record.actor))
            }
            replayed.recordApplied(seq: record.seq)
        }
        XCTAssertEqual(replayed, generator.desk)
        XCTAssertEqual(generator.desk.tickets.count, 300)
        XCTAssertEqual(generator.eventCount, Self.events.count)
    }

    func testTheRunningAccountIsTheFirstSupervisorAndTheRosterHasEveryTier() {
        guard case .createDesk? = Optional(Command.createDesk(displayName: nil)),
              case .deskCreated = Self.events.first else { return XCTFail("the first event creates the desk") }
        XCTAssertEqual(Self.records.first?.actor, "sam")
        var generator = DeskGenerator(settings: Self.settings)
        _ = generator.run()
        let desk = generator.desk
        XCTAssertEqual(desk.roster.first, "sam")
        XCTAssertEqual(desk.agents["sam"]?.role, .supervisor)
        XCTAssertEqual(desk.roster.count, Self.settings.agents + 1)
        XCTAssertEqual(Set(desk.agents.values.map(\.tier)), [1, 2, 3])
    }

    func testTimesRunForwardWithinThePeriod() {
        let start = Self.settings.start, end = GeneratorSettings.end
        XCTAssertEqual(end.timeIntervalSince(start), Double(Self.settings.days) * 86_400)
        XCTAssertTrue(Self.records.allSatisfy { $0.at >= start && $0.at <= end })
        XCTAssertTrue(zip(Self.records, Self.records.dropFirst()).allSatisfy { $0.at <= $1.at })
        XCTAssertEqual(Self.records.map(\.seq), Array(1...Self.records.count))
    }

    func testTheDeskLooksLikeARealOne() {
        var generator = DeskGenerator(settings: Self.settings)
        _ = generator.run()
        let desk = generator.desk
        let perTicket = Double(Self.events.count) / Double(desk.tickets.count)
        XCTAssertTrue((8...14).contains(perTicket), "\(perTicket) events per ticket")
        XCTAssertEqual(Set(desk.tickets.map(\.channel)), Set(Channel.allCases))
        let priorities = Dictionary(grouping: desk.tickets, by: \.priority).mapValues(\.count)
        XCTAssertGreaterThan(priorities[.urgent] ?? 0, 0)
        XCTAssertLessThan(priorities[.urgent] ?? 0, priorities[.normal] ?? 0 / 4)
        let ticketsPerCustomer = Dictionary(grouping: desk.tickets, by: \.customerID).mapValues(\.count)
        XCTAssertGreaterThan(ticketsPerCustomer.values.max() ?? 0, 3)
        XCTAssertEqual(Set(desk.tickets.map(\.status)), Set(Status.allCases))

        func count(_ matches: (Event) -> Bool) -> Int { Self.events.filter(matches).count }
        XCTAssertGreaterThan(count { if case .assigned(_, _, let from?) = $0 { return from != "" } else { return false } }, 0,
                             "steals and hand-overs")
        XCTAssertGreaterThan(count { if case .escalated = $0 { true } else { false } }, 0)
        XCTAssertGreaterThan(count { if case .followUpScheduled = $0 { true } else { false } }, 0)
        XCTAssertGreaterThan(count { if case .messageAdded(_, .note, _) = $0 { true } else { false } }, 0)
        XCTAssertGreaterThan(count { if case .satisfactionRated = $0 { true } else { false } }, 0)
        XCTAssertGreaterThan(count { if case .tagsChanged = $0 { true } else { false } }, 0)
        XCTAssertGreaterThan(count { if case .customerUpdated = $0 { true } else { false } }, 0)
        XCTAssertGreaterThan(count { if case .statusChanged(_, .solved, .open) = $0 { true } else { false } }, 0,
                             "reopened tickets")
        XCTAssertGreaterThan(count { if case .agentChanged = $0 { true } else { false } }, 0, "a promotion")

        let bodies = Self.events.compactMap { event -> Int? in
            if case .messageAdded(_, _, .text(let text)) = event { return text.utf8.count } else { return nil }
        }.sorted()
        XCTAssertGreaterThan(bodies[bodies.count / 2], 150, "median body")
        XCTAssertGreaterThan(bodies.last ?? 0, 3_000, "some long bodies")
        XCTAssertTrue(desk.tickets.allSatisfy { $0.firstResponseAt == nil || $0.firstResponseAt! >= $0.createdAt })
    }

    /// Tickets of the shapes that once broke the snapshot: one-character subjects, bare tickets,
    /// hundreds of events; and in a desk of a few thousand tickets, one of thousands of messages.
    func testTheDeskHasTicketsOfEveryShape() {
        var generator = DeskGenerator(settings: Self.settings)
        _ = generator.run()
        let tickets = Array(generator.desk.tickets)
        XCTAssertGreaterThanOrEqual(tickets.filter { $0.subject.count == 1 }.count, 6)
        XCTAssertGreaterThanOrEqual(tickets.filter { $0.messages.isEmpty && $0.assignee == nil && $0.tags.isEmpty }.count, 3)
        XCTAssertGreaterThan(tickets.map(\.history.count).max() ?? 0, 200)

        var large = DeskGenerator(settings: GeneratorSettings(tickets: 1_600, seed: 7, agents: 8, supervisor: "sam"))
        _ = large.run()
        XCTAssertGreaterThan(large.desk.tickets.map(\.messages.count).max() ?? 0, 2_000)
    }

    func testSeededRandomIsTheSameEverywhere() {
        var random = SeededRandom(seed: 1)
        // xoshiro256** seeded through SplitMix64 (values fixed once, so a change shows).
        let first = (0..<3).map { _ in random.next() }
        var again = SeededRandom(seed: 1)
        XCTAssertEqual((0..<3).map { _ in again.next() }, first)
        XCTAssertEqual(Set(first).count, 3)
        var bounded = SeededRandom(seed: 7)
        XCTAssertTrue((0..<1000).allSatisfy { _ in (0..<10).contains(bounded.below(10)) })
    }
}
