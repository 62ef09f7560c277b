import ArgumentParser
import Foundation
import HelpdeskCore
import HelpdeskLog

struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Open a ticket for a customer; prints the new ticket's id.",
        discussion: "The customer is found by email (any case) or created. The body is read from standard input when it is not a terminal.")

    @OptionGroup var desk: DeskOptions
    @Option(help: "The customer's email address.") var customer: String
    @Option(help: "What the ticket is about.") var subject: String
    @Option(name: .customLong("customer-name"), help: "The customer's name, for a new customer.") var customerName: String?
    @Option(help: "How the customer reached us.") var channel: Channel = .email
    @Option(help: "How urgent it is.") var priority: Priority = .normal
    @Option(help: "The customer's first message.") var body: String?

    func run() throws {
        let text = try BodyInput.read(body, what: "message", allowEditor: false)
        let appended = try desk.perform(.openTicket(customerEmail: customer, customerName: customerName, subject: subject,
                                                    channel: channel, priority: priority, body: text))
        let opened = appended.record?.events.lazy.compactMap { event -> Int? in
            if case .ticketOpened(let id, _, _, _, _) = event { return id } else { return nil }
        }.first
        print(opened.map(String.init) ?? "")
    }
}
