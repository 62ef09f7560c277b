import Foundation
import HelpdeskCore

/// The desk's groups, routing rules, availability and round-robin turns in a snapshot.
enum TeamCodec {
    static func encode(_ team: Team, to out: inout BinaryWriter) {
        let groups = team.groups.values.sorted { $0.name < $1.name }
        out.varint(UInt64(groups.count))
        for group in groups {
            out.string(group.name); out.string(group.displayName); out.strings(group.members)
            out.choice(group.assignMode, of: AssignMode.allCases); out.optionalInt(group.capacity)
        }
        out.varint(UInt64(team.rules.count))
        for rule in team.rules { out.string(rule.name); out.strings(rule.conditions); out.strings(rule.actions) }
        let accounts = team.availability.keys.sorted()
        out.varint(UInt64(accounts.count))
        for account in accounts {
            let said = team.availability[account]!
            out.string(account); out.bool(said.available); out.optionalDate(said.until)
        }
        let turns = team.lastTurn.keys.sorted()
        out.varint(UInt64(turns.count))
        for group in turns { out.string(group); out.string(team.lastTurn[group]!) }
    }

    static func decode(_ input: inout BinaryReader) throws -> Team {
        var groups: [Group] = []
        for _ in 0..<(try input.elementCount()) {
            groups.append(Group(name: try input.string(), displayName: try input.string(), members: try input.strings(),
                                assignMode: try input.choice(AssignMode.allCases), capacity: try input.optionalInt()))
        }
        var rules: [RoutingRule] = []
        for _ in 0..<(try input.elementCount()) {
            rules.append(RoutingRule(name: try input.string(), conditions: try input.strings(), actions: try input.strings()))
        }
        var availability: [String: Availability] = [:]
        for _ in 0..<(try input.elementCount()) {
            availability[try input.string()] = Availability(available: try input.bool(), until: try input.optionalDate())
        }
        var lastTurn: [String: String] = [:]
        for _ in 0..<(try input.elementCount()) { lastTurn[try input.string()] = try input.string() }
        return Team(groups: groups, rules: rules, availability: availability, lastTurn: lastTurn)
    }
}
