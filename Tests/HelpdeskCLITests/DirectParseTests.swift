import ArgumentParser
@testable import HelpdeskCLI
import XCTest

/// A command line that names a subcommand is parsed as that subcommand alone (it was most of a
/// small command's start-up). It must come out exactly as through the root, and whatever the root
/// answers itself (help, usage errors, completion scripts, the version) must be left to the root.
final class DirectParseTests: XCTestCase {
    func testEveryNameFindsTheSubcommandOfThatName() {
        let names = HelpdeskCommand.subcommandNames
        XCTAssertEqual(Set(names).count, names.count, "a name twice")
        XCTAssertEqual(HelpdeskCommand.configuration.subcommands.count, names.count)
        for name in names {
            XCTAssertEqual(HelpdeskCommand.subcommand(named: name)?.configuration.commandName, name)
        }
        for other in ["help", "bogus", "", "Show", "--help"] {
            XCTAssertNil(HelpdeskCommand.subcommand(named: other), other)
        }
    }

    func testParsesAsTheRootDoes() throws {
        let lines: [[String]] = [
            ["show", "2"], ["show", "2", "--json", "--log", "/tmp/x.log", "--at", "3h"],
            ["list", "--status", "open", "--priority", "urgent", "--tag", "a", "--tag", "b", "--mine"],
            ["reply", "3", "--body", "Thanks", "--as", "pablo"], ["note", "3"], ["resolve", "4"],
            ["give", "5", "rosa"], ["tag", "5", "+billing", "-vip"], ["status", "--json"],
            ["agent", "add", "zoe", "--role", "supervisor", "--tier", "2", "--name", "Zoë"],
            ["macro", "add", "refund", "--reply", "Hello {{customer.first_name}}", "--status", "on-hold"],
            ["sla", "set", "urgent", "--first-response", "30m"], ["sla", "why", "7"],
            ["report", "--by", "week", "--since", "2026-11-01", "--format", "csv"],
            ["console"], ["watch", "--store", "postgres://desk@db/helpdesk"],
        ]
        for line in lines {
            let direct = try XCTUnwrap(HelpdeskCommand.parsedDirectly(line), "\(line)")
            let throughRoot = try HelpdeskCommand.parseAsRoot(line)
            XCTAssertTrue(type(of: direct) == type(of: throughRoot), "\(line)")
            XCTAssertEqual(dumped(direct), dumped(throughRoot), "\(line)")
        }
        // The comparison sees the arguments.
        XCTAssertNotEqual(try dumped(XCTUnwrap(HelpdeskCommand.parsedDirectly(["show", "2"]))),
                          try dumped(XCTUnwrap(HelpdeskCommand.parsedDirectly(["show", "3"]))))
    }

    func testLeavesToTheRootWhatItAnswersItself() {
        let lines: [[String]] = [
            [], ["--help"], ["--version"], ["help", "show"], ["show", "--help"], ["show", "-h"], ["show", "help"],
            ["macro", "--help"], ["macro", "add", "--help"], ["show"], ["show", "two"], ["show", "2", "--bogus"],
            ["show", "--generate-completion-script", "bash"], ["show", "--version"], ["bogus"],
        ]
        for line in lines {
            XCTAssertNil(HelpdeskCommand.parsedDirectly(line), "\(line)")
        }
    }

    private func dumped(_ command: any ParsableCommand) -> String {
        var text = ""
        dump(command, to: &text)
        return text
    }
}
