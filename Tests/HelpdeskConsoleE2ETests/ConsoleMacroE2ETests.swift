import Foundation
import XCTest

/// `m` in the real console: a macro with a reply goes through $EDITOR prefilled with its rendered
/// text; an emptied file applies nothing, an edited one applies the macro with the edit.
final class ConsoleMacroE2ETests: ConsoleE2ECase {
    private func recordCount() throws -> Int {
        try cli("events", "--json").stdoutLines.count
    }

    func testApplyAMacroThroughTheEditor() throws {
        try makeDemoDesk()
        try cli("macro", "add", "upgraded", "--reply", "Hello {{customer.first_name}}, #{{ticket.id}} is done.",
                "--status", "solved", "--tag", "+upgraded")
        let mode = directory.appendingPathComponent("mode").path
        try "empty".write(toFile: mode, atomically: true, encoding: .utf8)
        // Empties the file, or signs the text the console put in it.
        let editor = try script("macro-editor.sh", """
            if [ "$(cat \(shellQuoted(mode)))" = empty ]; then : > "$1"; else printf 'Cheers\\n' >> "$1"; fi

            """)
        try openConsole(environment: ["EDITOR": editor])
        try select(6)
        let before = try recordCount()
        let customer = try XCTUnwrap((try ticket(6)["customer"] as? [String: Any])?.string("name"))
        let firstName = String(customer.split(separator: " ")[0])

        try tmux.type("main", "m")
        try waitForScreen(contains: "Macros for #6")
        try tmux.type("main", "upgr")
        try waitForScreen(contains: "filter: upgr")
        try tmux.press("main", "Enter")
        try waitForScreen(contains: "nothing written; the macro upgraded was not applied")
        XCTAssertEqual(try recordCount(), before, "an empty file applies nothing")

        try "sign".write(toFile: mode, atomically: true, encoding: .utf8)
        try tmux.type("main", "m")
        try waitForScreen(contains: "Macros for #6")
        try tmux.press("main", "Enter")
        let screen = try waitForScreen(contains: "the macro upgraded on #6")
        XCTAssertTrue(screen.contains(" Queue · all open"), "the console is back after the editor:\n\(screen)")
        XCTAssertEqual(try recordCount(), before + 1, "one record")
        let ticket = try ticket(6)
        XCTAssertEqual(ticket.string("status"), "solved")
        XCTAssertTrue((ticket["tags"] as? [String])?.contains("upgraded") == true, "\(ticket)")
        let last = try XCTUnwrap((ticket["messages"] as? [[String: Any]])?.last)
        XCTAssertEqual(last.string("kind"), "reply")
        XCTAssertEqual(last.string("body"), "Hello \(firstName), #6 is done.\nCheers")
    }
}
