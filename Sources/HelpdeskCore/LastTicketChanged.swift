/// The ticket each account changed last, set for nearly every event a replay applies: a
/// handful of accounts, looked up by an FNV-1a hash of their bytes in a small open-addressed
/// table, since hashing a `String` key (SipHash) was a twentieth of a replay's time.
struct LastTicketChanged: Sendable {
    private var accounts: [String] = []
    private var tickets: [Int] = []
    /// Positions in `accounts` plus one (0: empty), a power of two at least twice their count.
    private var slots: [Int32] = Array(repeating: 0, count: 64)
    /// The position of the account set last: a record's events are usually one account's, and
    /// comparing a short string costs less than hashing it.
    private var lastSet = -1

    init() {}

    init(_ saved: [String: Int]) {
        for (account, id) in saved { set(id, for: account) }
    }

    var dictionary: [String: Int] {
        Dictionary(uniqueKeysWithValues: zip(accounts, tickets))
    }

    subscript(account: String) -> Int? {
        find(account).found.map { tickets[$0] }
    }

    /// Notes `id` as the ticket `account` changed last (an account, once in, stays).
    mutating func set(_ id: Int, for account: String) {
        if lastSet >= 0, accounts[lastSet] == account {
            tickets[lastSet] = id
            return
        }
        let (slot, found) = find(account)
        if let found {
            tickets[found] = id
            lastSet = found
            return
        }
        accounts.append(account)
        tickets.append(id)
        lastSet = accounts.count - 1
        slots[slot] = Int32(accounts.count)
        if accounts.count * 2 > slots.count { rehash(size: slots.count * 2) }
    }

    private func find(_ account: String) -> (slot: Int, found: Int?) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: LastTicketChanged.hash(account)) & mask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { return (slot, nil) }
            if accounts[entry - 1] == account { return (slot, entry - 1) }
            slot = (slot + 1) & mask
        }
    }

    private mutating func rehash(size: Int) {
        slots = Array(repeating: 0, count: size)
        for (position, account) in accounts.enumerated() {
            slots[find(account).slot] = Int32(position + 1)
        }
    }

    private static func hash(_ account: String) -> UInt64 {
        // Over the bytes in place where the string has them so (native strings, small ones
        // included): stepping through `utf8`'s indexes was most of the look-up's time.
        account.utf8.withContiguousStorageIfAvailable(hash) ?? hash(account.utf8)
    }

    private static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash ^ (hash >> 29)
    }
}

extension LastTicketChanged: Equatable {
    static func == (a: LastTicketChanged, b: LastTicketChanged) -> Bool {
        a.dictionary == b.dictionary
    }
}
