import ArgumentParser
import HelpdeskCore

/// The changes to a ticket that take its id and at most a text kept in the desk (no mail goes
/// out): one command type serves them all. The raw value is the command's name (see HelpdeskCommand).
enum TicketStep: String {
    case release, resolve, reopen, close, hold, message, note

    /// The command's one-line help, what it asks the rules (given the id and the text, if it takes
    /// one), and the line that says it was done.
    var spec: (abstract: String, command: (Int, String) -> Command, done: (Int) -> String) {
        switch self {
        case .release: ("Unassign a ticket.", { id, _ in .release(ticket: id) }, { "released ticket \($0)" })
        case .resolve: ("Mark a ticket solved.", { id, _ in .resolve(ticket: id) }, { "solved ticket \($0)" })
        case .reopen: ("Bring a solved, pending or on-hold ticket back to open.", { id, _ in .reopen(ticket: id) }, { "reopened ticket \($0)" })
        case .close: ("Close a ticket for good.", { id, _ in .close(ticket: id) }, { "closed ticket \($0)" })
        case .hold: ("Put a ticket on hold (waiting on a third party).", { id, _ in .hold(ticket: id) },
                     { "ticket \($0) is on hold" })
        case .message: ("Add a message from the customer (e.g. typed in from a phone call).",
                        { .addCustomerMessage(ticket: $0, body: $1) }, { "added the customer's message to ticket \($0)" })
        case .note: ("Add an internal note.", { .note(ticket: $0, body: $1) }, { "added a note to ticket \($0)" })
        }
    }
}

/// Names one `TicketStep` at the type level, since a command is a type, with what it reads besides the id.
protocol TicketStepKind {
    associatedtype Input: TicketStepInput = NoText
    static var step: TicketStep { get }
}

extension TicketStep {
    enum Release: TicketStepKind { static let step = TicketStep.release }
    enum Resolve: TicketStepKind { static let step = TicketStep.resolve }
    enum Reopen: TicketStepKind { static let step = TicketStep.reopen }
    enum Close: TicketStepKind { static let step = TicketStep.close }
    enum Hold: TicketStepKind { static let step = TicketStep.hold }
    enum Message: TicketStepKind {
        static let step = TicketStep.message
        typealias Input = BodyText<Message>
    }
    enum Note: TicketStepKind {
        static let step = TicketStep.note
        typealias Input = BodyText<Note>
    }
}

/// What a step reads besides the ticket's id.
protocol TicketStepInput: ParsableArguments {
    func text() throws -> String
}

/// Nothing: the id says it all.
struct NoText: TicketStepInput {
    func text() -> String { "" }
}

/// `--body TEXT`, else standard input, else the editor.
struct BodyText<Kind: TicketStepKind>: TicketStepInput {
    @Option(help: ArgumentHelp(Kind.step == .message ? "The message (default: standard input, or $EDITOR)."
                                   : "The \(Kind.step.rawValue) (default: standard input, or $VISUAL/$EDITOR)."))
    var body: String?

    func text() throws -> String { try BodyInput.read(body, what: Kind.step.rawValue) ?? "" }
}

/// `helpdesk release|resolve|reopen|close|hold ID` and `helpdesk message|note ID [--body TEXT]`.
struct TicketStepCommand<Kind: TicketStepKind>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: Kind.step.rawValue, abstract: Kind.step.spec.abstract)
    }
    @OptionGroup var desk: DeskOptions
    @Argument(help: "Ticket id.") var id: Int
    @OptionGroup var input: Kind.Input

    func run() throws {
        let performed = try desk.perform(Kind.step.spec.command(id, try input.text()))
        print(Kind.step.spec.done(id))
        if Kind.step == .resolve, let warning = OpenChildren.warning(performed.desk, solved: id) { Output.warn(warning) }
    }
}
