import Foundation

/// A small, believable desk to try things on: agents at three tiers, customers writing in by
/// every channel, and tickets in every state. A script of commands, run through the same rules
/// as everything else, so the demo log is an ordinary log.
public enum DemoDesk {
    public struct Step: Sendable {
        /// How long before "now" the step happened.
        public var ago: TimeInterval
        public var actor: String
        public var command: Command
    }

    public static let agents: [(account: String, name: String, role: Role, tier: Int)] = [
        ("alice", "Alice Martin", .agent, 1), ("bob", "Bob Okafor", .agent, 1),
        ("carol", "Carol Nguyen", .agent, 2), ("dave", "Dave Schmidt", .agent, 3),
    ]

    /// The steps after the desk exists and `supervisor` created it, oldest first.
    public static func steps(supervisor: String, now: Date) -> [Step] {
        var steps: [Step] = agents.map { agent in
            Step(ago: 5 * 86_400, actor: supervisor,
                 command: .addAgent(account: agent.account, displayName: agent.name, role: agent.role, tier: agent.tier))
        }
        var ticket = 0
        func at(_ hoursAgo: Double, _ actor: String, _ command: Command) {
            steps.append(Step(ago: hoursAgo * 3600, actor: actor, command: command))
        }
        func open(_ hoursAgo: Double, _ email: String, _ name: String, _ subject: String, _ channel: Channel,
                  _ priority: Priority, _ body: String) -> Int {
            at(hoursAgo, "alice", .openTicket(customerEmail: email, customerName: name, subject: subject,
                                              channel: channel, priority: priority, body: body))
            ticket += 1
            return ticket
        }

        let invoice = open(96, "maria.garcia@example.com", "María García", "Charged twice for the November invoice",
                           .email, .high, "Hello,\n\nmy card was charged twice for invoice INV-2291 (49.00 EUR each). Could you refund one of them?\n\nThanks,\nMaría")
        at(95, "alice", .take(ticket: invoice, steal: false))
        at(94.5, "alice", .reply(ticket: invoice, body: "Hi María, sorry about that. I can see both charges and have asked billing to refund the second one. It should reach your card within 5 working days."))
        at(94, "alice", .changeTags(ticket: invoice, add: ["billing", "refund"], remove: []))
        // Solved within its day, before the resolution clock would take it to tier 2, out of alice's hands.
        at(73, "alice", .resolve(ticket: invoice))
        at(60, "alice", .rate(ticket: invoice, score: 5, comment: "Fast and friendly, thank you!"))

        let login = open(30, "kenji.tanaka@example.jp", "田中 健二", "Cannot log in after password reset", .chat, .urgent,
                         "I reset my password an hour ago and now the login page just reloads. Our whole team is locked out — 12 people.")
        at(29.9, "bob", .take(ticket: login, steal: false))
        at(29.5, "bob", .reply(ticket: login, body: "Thanks Kenji. Could you tell me which browser you use, and whether the other 11 accounts reset their passwords too?"))
        at(29, "bob", .addCustomerMessage(ticket: login, body: "Chrome 131. Nobody else reset anything, but everyone is locked out since 09:10."))
        at(28.5, "bob", .note(ticket: login, body: "Looks like the SSO session bug from last week. Not something I can fix at tier 1."))
        at(28.4, "bob", .escalate(ticket: login, reason: "whole organisation locked out; suspect SSO session bug", tier: nil))
        at(28, "carol", .take(ticket: login, steal: false))
        at(27, "carol", .note(ticket: login, body: "Confirmed: their IdP certificate rotated. Waiting for engineering to pick up the new metadata."))

        let export = open(50, "p.oconnell@example.ie", "Patrick O'Connell", "CSV export has broken accents", .email, .normal,
                          "When I export contacts to CSV, names like Zoë and Søren come out as ZoÃ« and SÃ¸ren in Excel.")
        at(49, "alice", .take(ticket: export, steal: false))
        at(48, "alice", .reply(ticket: export, body: "Hi Patrick, Excel assumes a legacy encoding. Use Data → From Text/CSV and choose UTF-8, or tick 'Excel-compatible' in the export dialog. Does that help?"))
        at(48, "alice", .scheduleFollowUp(ticket: export, due: now.addingTimeInterval(-2 * 3600),
                                          note: "check whether the UTF-8 import worked"))

        let shipping = open(20, "lena.fischer@example.de", "Lena Fischer", "Where is my order #48213?", .web, .normal,
                            "The tracking page has said 'label created' for four days.")
        at(19, "bob", .take(ticket: shipping, steal: false))
        at(18.5, "bob", .reply(ticket: shipping, body: "Hi Lena, I have asked the warehouse. I will get back to you tomorrow at the latest."))
        at(18.4, "bob", .scheduleFollowUp(ticket: shipping, due: now.addingTimeInterval(6 * 3600), note: "warehouse answer on #48213"))

        let api = open(8, "devops@example.io", "Ravi Patel", "API returns 502 on /v2/reports", .email, .high,
                       "Since 06:00 UTC every call to /v2/reports returns 502 Bad Gateway. Other endpoints work.")
        at(7.5, "carol", .take(ticket: api, steal: false))
        at(7, "carol", .escalate(ticket: api, reason: "backend outage on the reports service", tier: 3))
        at(6.5, "dave", .take(ticket: api, steal: false))
        at(6, "dave", .reply(ticket: api, body: "Ravi, we found a failed deploy on the reports service and are rolling it back. I'll update you within the hour."))

        let phone = open(3, "g.rossi@example.it", "Giulia Rossi", "Upgrade to the team plan", .phone, .low,
                         "Called to ask how to move her 4 seats to the team plan and keep the annual discount.")
        at(2.5, "alice", .changeTags(ticket: phone, add: ["sales"], remove: []))

        let social = open(2, "sam.lee@social.example", "Sam Lee", "Public complaint about slow support", .social, .high,
                          "@ExampleCo three days and no answer to my email, seriously?")
        at(1.5, "bob", .note(ticket: social, body: "Probably ticket about the refund — check with billing before replying publicly."))

        _ = open(1.2, "ahmed.hassan@example.eg", "Ahmed Hassan", "Feature request: dark mode for the mobile app", .chat, .low,
                 "Would love a dark mode, the app is very bright at night.")
        _ = open(0.8, "olga.ivanova@example.ru", "Ольга Иванова", "Счёт не отображается в личном кабинете", .email, .normal,
                 "Здравствуйте! Счёт за октябрь не отображается в личном кабинете. Можете прислать его по почте?")
        let visit = open(0.5, "front.desk@example.nl", "Jan de Vries", "Hardware return at the office", .inPerson, .normal,
                         "Customer brought back a faulty card reader (serial CR-77812) to the front desk.")
        at(0.4, "alice", .hold(ticket: visit))
        _ = open(0.2, "maria.garcia@example.com", "María García", "Invoice address change", .email, .low,
                 "Could you put our new address on future invoices? Calle Mayor 12, 28013 Madrid.")
        let spam = open(0.1, "winner@example.biz", "Prize Dept", "You have WON!!!", .email, .low,
                        "Click here to claim your prize \u{1B}]0;pwned\u{07}")
        at(0.05, "alice", .close(ticket: spam))
        return steps
    }
}
