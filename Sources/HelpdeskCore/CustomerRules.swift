import Foundation

/// Customers are found by email (regardless of case), created on first contact.
enum CustomerRules {
    static func save(email rawEmail: String, name: String?, phone: String?, organisation: String?,
                     notes: String?, _ desk: Desk) throws(Refusal) -> [Event] {
        let email = try validEmail(rawEmail)
        func clean(_ text: String?) -> String? {
            text.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        guard let existing = desk.customer(email: email) else {
            let name = clean(name).flatMap { $0.isEmpty ? nil : $0 } ?? defaultName(email)
            return [.customerCreated(id: desk.nextCustomerID, email: email, name: name, phone: clean(phone),
                                     organisation: clean(organisation), notes: clean(notes))]
        }
        func changed(_ new: String?, _ old: String?) -> String? {
            guard let new = clean(new), new != (old ?? "") else { return nil }
            return new
        }
        let update = Event.customerUpdated(
            id: existing.id, email: nil, name: changed(name, existing.name), phone: changed(phone, existing.phone),
            organisation: changed(organisation, existing.organisation), notes: changed(notes, existing.notes))
        return update == .customerUpdated(id: existing.id, email: nil, name: nil, phone: nil, organisation: nil, notes: nil)
            ? [] : [update]
    }

    /// One '@' with something on each side, no spaces or controls.
    static func validEmail(_ raw: String) throws(Refusal) -> String {
        let email = raw.trimmingWhitespace()
        guard isValidEmail(email) else { throw Refusal(.invalid, .badEmail(raw)) }
        return email
    }

    /// The check, on the bytes when the address is ASCII (nearly always, and every intake line
    /// asks): there a byte is a character, and every space or control is at most 32.
    static func isValidEmail(_ email: String) -> Bool {
        let bytes = email.utf8
        guard bytes.allSatisfy({ $0 < 128 }) else { return isValidEmailByCharacters(email) }
        guard let at = bytes.firstIndex(of: UInt8(ascii: "@")), at != bytes.startIndex else { return false }
        let domain = bytes[bytes.index(after: at)...]
        return !domain.contains(UInt8(ascii: "@")) && domain.contains(UInt8(ascii: ".")) && domain.first != UInt8(ascii: ".")
            && domain.last != UInt8(ascii: ".") && !bytes.contains { $0 <= 32 || $0 == 127 }
    }

    static func isValidEmailByCharacters(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        let clean = !email.unicodeScalars.contains { $0.properties.isWhitespace || $0.value < 32 || $0.value == 127 }
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".")
            && !parts[1].hasSuffix(".") && clean
    }

    /// "jane.doe@example.com" -> "jane.doe", until someone tells us the name.
    static func defaultName(_ email: String) -> String {
        String(email.prefix { $0 != "@" })
    }
}
