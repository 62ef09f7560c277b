/// The odd tickets every real desk has, at fixed places among the generated ones (so the same
/// seed still gives the same bytes, and a desk of a few hundred tickets has some): subjects of
/// one character, bare tickets (no message, never taken, no tags), conversations of hundreds of
/// events, and now and then one of thousands of messages. Rare enough that a large desk takes a
/// few percent longer to generate.
enum TicketShape: Equatable {
    case ordinary, oneCharacterSubject, bare, longRunning, crowded

    /// The shape of the `index`-th ticket (from 0).
    init(index: Int) {
        self = if index % 20_000 == 500 {
            .crowded
        } else if index % 2_000 == 150 {
            .longRunning
        } else if index % 50 == 20 {
            .oneCharacterSubject
        } else if index % 50 == 40 {
            .bare
        } else {
            .ordinary
        }
    }

    static let oneCharacterSubjects = ["x", "?", "!", "é", "中", "😀"]

    func subject(_ random: inout SeededRandom) -> String {
        self == .oneCharacterSubject || self == .bare ? random.pick(Self.oneCharacterSubjects) : TextMaker.subject(&random)
    }

    func script(priority: Priority, newCustomer: Bool, _ random: inout SeededRandom) -> TicketScript {
        switch self {
        case .ordinary, .oneCharacterSubject: TicketScript.draw(priority: priority, newCustomer: newCustomer, &random)
        case .bare: TicketScript()
        case .longRunning: TicketScript.conversation(rounds: random.int(in: 80...150), apart: 2...40, &random)
        // A chat that goes on for days.
        case .crowded: TicketScript.conversation(rounds: random.int(in: 900...1_100), apart: 1...5, &random)
        }
    }
}
