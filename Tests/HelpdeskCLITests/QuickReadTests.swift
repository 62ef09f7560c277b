import ArgumentParser
@testable import HelpdeskCLI
import HelpdeskTestSupport
import XCTest

/// `show`, `history`, `status` and `list` lines in their plain shapes are read without the argument
/// parser (it was a third of a small command's whole process). Every line read so must be read
/// exactly as the parser reads it, and every other line left to the parser.
final class QuickReadTests: XCTestCase {
    func testReadsAsTheArgumentParserDoes() throws {
        let lines: [[String]] = [
            ["show", "2"], ["show", "2", "--json"], ["show", "--json", "2"], ["show", "007"],
            ["show", "2", "--log", "/tmp/x.log", "--at", "3h", "--json"], ["show", "--log=/tmp/x.log", "2"],
            ["show", "2", "--store", "postgres://desk@db/helpdesk", "--as", "rosa"], ["show", "--at=2026-11-29 14:05", "5"],
            ["show", "2", "--log", "show"], ["show", "2", "--log=a=b"],
            ["history", "9"], ["history", "9", "--json", "--at", "yesterday 09:00"], ["history", "--as=rosa", "9"],
            ["status"], ["status", "--json"], ["status", "--at", "2d", "--log", "/tmp/x.log"], ["status", "--store=/tmp/y.log"],
            ["list"], ["list", "--json"], ["list", "--at", "3h", "--as", "rosa"], ["list", "--log=/tmp/x.log", "--json"],
        ]
        for line in lines {
            let quick = try XCTUnwrap(QuickRead(line), "\(line)")
            XCTAssertEqual(quick, try parsed(line), "\(line)")
        }
        // The comparison sees every field.
        XCTAssertNotEqual(QuickRead(["show", "2"]), QuickRead(["show", "3"]))
        XCTAssertNotEqual(QuickRead(["show", "2"]), QuickRead(["show", "2", "--json"]))
        XCTAssertNotEqual(QuickRead(["status", "--log", "a"]), QuickRead(["status", "--store", "a"]))
        XCTAssertNotEqual(QuickRead(["status", "--as", "a"]), QuickRead(["status", "--at", "a"]))
        XCTAssertNotEqual(QuickRead(["list"]), QuickRead(["list", "--json"]))
        XCTAssertNotEqual(QuickRead(["list"]), try parsed(["list", "--status", "all"]))
        XCTAssertNotEqual(QuickRead(["list"]), try parsed(["list", "--sort", "newest"]))
    }

    func testLeavesEveryOtherLineToTheArgumentParser() {
        let lines: [[String]] = [
            [], ["show"], ["show", "--help"], ["show", "-h"], ["show", "2", "--help"], ["help", "show"], ["show", "help"],
            ["show", "two"], ["show", "+2"], ["show", "-2"], ["show", "2", "3"], ["show", "99999999999999999999"],
            ["show", "2", "--bogus"], ["show", "2", "--bogus", "x"], ["show", "2", "-j"], ["show", "2", "--"], ["show", "--", "2"],
            ["show", "2", "--json", "--json"], ["show", "2", "--log", "a", "--log", "b"], ["show", "2", "--log"],
            ["show", "2", "--log", "--json"], ["show", "2", "--log="], ["show", "2", "--log=-x"], ["show", "2", "--log", ""],
            ["show", "2", "--json=true"], ["show", "2", "--version"], ["show", "--generate-completion-script", "bash"],
            ["status", "2"], ["history"], ["list", "2"], ["list", "--mine"], ["list", "--status", "all"], ["list", "--view", "v"],
            ["list", "--text", "x"], ["list", "--json", "--sort", "id"], ["console"], ["Show", "2"], ["--log", "a", "status"],
        ]
        for line in lines {
            XCTAssertNil(QuickRead(line), "\(line)")
        }
    }

    /// Lines drawn from the words these commands take, and some they do not: whatever is read
    /// here the parser reads the same, and nothing the parser refuses is read here.
    func testAgreesWithTheArgumentParserOnDrawnLines() {
        let words = ["2", "17", "x", "--json", "--log", "/tmp/a.log", "--log=/tmp/b.log", "--at", "3h", "--at=2026-11-29 14:05",
                     "--as", "rosa", "--as=pablo", "--store", "postgres://db/x", "-h", "--help", "--", "-", "--log=", "+3", "help"]
        var random = SplitMix64(seed: 24)
        var read = 0
        for _ in 0..<3000 {
            var line = [["show", "history", "status", "list"][random.next(in: 0...3)]]
            for _ in 0..<random.next(in: 0...5) { line.append(words[random.next(in: 0...(words.count - 1))]) }
            guard let quick = QuickRead(line) else { continue }
            read += 1
            XCTAssertEqual(quick, try? parsed(line), "\(line)")
        }
        XCTAssertGreaterThan(read, 200, "too few lines were read here for the comparison to say much")
    }

    /// The line as the argument parser reads it, in the same terms.
    private func parsed(_ line: [String]) throws -> QuickRead? {
        switch try HelpdeskCommand.parseAsRoot(line) {
        case let show as ShowCommand:
            .show(ShowRead(desk: show.desk.choice, id: show.id, moment: show.moment.text, json: show.json))
        case let history as HistoryCommand:
            .history(HistoryRead(desk: history.desk.choice, id: history.id, moment: history.moment.text, json: history.json))
        case let status as StatusCommand:
            .status(StatusRead(desk: status.desk.choice, moment: status.moment.text, json: status.json))
        case let list as ListCommand:
            .list(ListRead(desk: list.desk.choice, selection: try list.selection(), moment: list.moment.text, json: list.json))
        default:
            nil
        }
    }
}
