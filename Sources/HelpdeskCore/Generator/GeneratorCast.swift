/// Who works and who writes in on a generated desk. Customers are derived from their number
/// alone, so a customer's address never depends on what else was drawn before.
struct GeneratorCast {
    struct Member {
        var account: String
        var name: String
        var role: Role
        var tier: Int
    }

    let supervisor: String
    let agents: [Member]
    let customerCount: Int

    init(_ settings: GeneratorSettings, _ random: inout SeededRandom) {
        supervisor = settings.supervisor
        var members: [Member] = []
        var taken: Set<String> = [settings.supervisor]
        let first = WordLists.firstNames, last = WordLists.lastNames
        let offset = random.below(first.count)
        for index in 0..<settings.agents {
            let given = first[(offset + index) % first.count]
            var account = given
            var suffix = 2
            while taken.contains(account) {
                account = given + String(suffix)
                suffix += 1
            }
            taken.insert(account)
            let surname = last[random.below(last.count)]
            // One in twenty-five is a supervisor; tiers thin out upwards (13 : 5 : 2).
            let role: Role = index % 25 == 24 ? .supervisor : .agent
            let tier = role == .supervisor ? 3 : index % 20 < 13 ? 1 : index % 20 < 18 ? 2 : 3
            members.append(Member(account: account, name: GeneratorCast.capitalised(given) + " " + GeneratorCast.capitalised(surname),
                                  role: role, tier: tier))
        }
        // At least one agent at every tier, so every escalated ticket has someone to go to.
        for tier in 1...3 where !members.contains(where: { $0.tier == tier }) && members.count >= tier {
            members[members.count - tier].tier = tier
        }
        agents = members
        customerCount = settings.customers
    }

    static func capitalised(_ word: String) -> String {
        word.prefix(1).uppercased() + word.dropFirst()
    }

    /// Customer `index` (0-based): a stable address and name.
    func customer(_ index: Int) -> (email: String, name: String) {
        let first = WordLists.firstNames, last = WordLists.lastNames, domains = WordLists.domains
        let given = first[index % first.count]
        let surname = last[(index / first.count) % last.count]
        let round = index / (first.count * last.count)
        let email = "\(given).\(surname)\(round == 0 ? "" : String(round))@\(domains[index % domains.count])"
        let display = index % 13 == 5 ? WordLists.displayFirstNames[index % WordLists.displayFirstNames.count]
                                      : GeneratorCast.capitalised(given)
        return (email, display + " " + GeneratorCast.capitalised(surname))
    }

    /// A customer for the next ticket: a few write in often, most now and then.
    func drawCustomer(_ random: inout SeededRandom) -> Int {
        min(customerCount - 1, Int(Double(customerCount) * random.unit() * random.unit()))
    }
}
