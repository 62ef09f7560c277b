import Foundation

/// Customers from a spreadsheet: header names mapped to fields, each row checked and turned into
/// the events that create or update the customer, bad rows reported with why. Pure: rows in,
/// events and a report out, against the desk as it is.
public enum CustomerImport {
    public enum Field: String, CaseIterable, Sendable {
        case email, name, phone, organisation, notes
    }

    /// The field a column header names, whatever its case, spacing or punctuation
    /// ("E-mail address", "Company", "Telephone"…); nil for a column the desk does not keep.
    public static func field(forHeader header: String) -> Field? {
        let key = header.lowercased().filter { $0.isLetter }
        switch key {
        case "email", "emailaddress", "mail", "emailadresse", "courriel", "mailaddress": return .email
        case "name", "fullname", "customer", "customername", "contact", "contactname", "displayname": return .name
        case "phone", "phonenumber", "telephone", "tel", "mobile", "mobilephone", "cell": return .phone
        case "organisation", "organization", "company", "companyname", "org", "account", "business": return .organisation
        case "notes", "note", "comment", "comments", "remarks", "description": return .notes
        default: return nil
        }
    }

    public enum Outcome: Equatable, Sendable {
        case created(email: String)
        case updated(email: String)
        case unchanged(email: String)
        case bad(reason: String)
    }

    public struct Plan: Equatable, Sendable {
        /// One per data row, in order (row 1 is the first row after the header).
        public var rows: [Outcome]
        public var events: [Event]
        /// Columns that were not used, as written.
        public var ignoredColumns: [String]

        public var bad: [(row: Int, reason: String)] {
            rows.enumerated().compactMap { index, outcome in
                if case .bad(let reason) = outcome { return (index + 1, reason) }
                return nil
            }
        }

        public static func == (a: Plan, b: Plan) -> Bool {
            a.rows == b.rows && a.events == b.events && a.ignoredColumns == b.ignoredColumns
        }
    }

    public struct MissingEmailColumn: Error, CustomStringConvertible {
        public var description: String { "no column holds email addresses (name one email, e-mail or mail)" }
    }

    /// Works out what importing `rows` (under `header`) would do, by `actor` at `now`.
    public static func plan(header: [String], rows: [[String]], by actor: String, at now: Date,
                            on desk: Desk) throws -> Plan {
        let fields = header.map(field(forHeader:))
        guard fields.contains(.email) else { throw MissingEmailColumn() }
        var seen: Set<Field> = []
        var columns: [Field?] = []
        var ignored: [String] = []
        for (index, field) in fields.enumerated() {
            if let field, !seen.contains(field) {
                seen.insert(field)
                columns.append(field)
            } else {
                columns.append(nil)
                ignored.append(header[index])
            }
        }
        var scratch = desk
        var plan = Plan(rows: [], events: [], ignoredColumns: ignored)
        var emails: [String: Int] = [:]
        for (index, row) in rows.enumerated() {
            var values: [Field: String] = [:]
            for (column, field) in columns.enumerated() {
                guard let field, column < row.count else { continue }
                let value = row[column].trimmingCharacters(in: .whitespacesAndNewlines)
                if !value.isEmpty { values[field] = value }
            }
            guard let email = values[.email] else {
                plan.rows.append(.bad(reason: row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty })
                                      ? "empty row" : "no email address"))
                continue
            }
            if let earlier = emails[email.lowercased()] {
                plan.rows.append(.bad(reason: "\(email) is also on row \(earlier)"))
                continue
            }
            do {
                let events = try Rules.decide(
                    .saveCustomer(email: email, name: values[.name], phone: values[.phone],
                                  organisation: values[.organisation], notes: values[.notes]),
                    by: actor, at: now, on: scratch)
                for event in events {
                    try scratch.apply(event, context: EventContext(seq: scratch.lastSeq + 1, at: now, actor: actor))
                }
                emails[email.lowercased()] = index + 1
                plan.events += events
                if case .customerCreated? = events.first {
                    plan.rows.append(.created(email: email))
                } else if case .customerUpdated? = events.first {
                    plan.rows.append(.updated(email: email))
                } else {
                    plan.rows.append(.unchanged(email: email))
                }
            } catch let refusal as Refusal where refusal.kind == .invalid {
                plan.rows.append(.bad(reason: refusal.message))
            }
        }
        return plan
    }
}
