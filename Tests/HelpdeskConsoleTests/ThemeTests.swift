import XCTest
@testable import HelpdeskConsole

final class ThemeTests: XCTestCase {
    func testAThemeFileMapsRolesOverAPalette() throws {
        let theme = try ThemeFile.parse("""
            palette:
              accent: cyan
            roles:
              header: { fg: accent, bold: true }
              urgent: { fg: bright-red, bg: default, underline: true }
              selected-row: { reverse: true, fg: 202 }
            """, name: "test", file: "test.yaml")
        XCTAssertEqual(theme.look(.header), Look(foreground: .ansi(6, bright: false), bold: true))
        XCTAssertEqual(theme.look(.urgent), Look(foreground: .ansi(1, bright: true), underline: true))
        XCTAssertEqual(theme.look(.selectedRow), Look(foreground: .indexed(202), reverse: true))
        XCTAssertEqual(theme.look(.reply), Theme.builtIn.look(.reply), "unmentioned roles keep the built-in look")
        XCTAssertEqual(theme.monochrome.look(.urgent), Look(underline: true))
    }

    func testMistakesAreNamedWithFileLineAndKey() {
        func problem(_ yaml: String) -> String {
            do {
                _ = try ThemeFile.parse(yaml, name: "bad", file: "Themes/bad.yaml")
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        XCTAssertEqual(problem("roles:\n  header: { fg: cyan }\n  hedaer: { bold: true }\n"),
                       "Themes/bad.yaml:3: unknown role 'hedaer' (known: \(Role.allCases.map(\.rawValue).joined(separator: ", ")))")
        XCTAssertEqual(problem("roles:\n  header:\n    colour: red\n"),
                       "Themes/bad.yaml:3: unknown key 'colour' in role 'header' (expected fg, bg, bold, reverse, underline, dim)")
        XCTAssertEqual(problem("roles:\n  header: { fg: purple }\n"),
                       "Themes/bad.yaml:2: unknown colour 'purple' for 'fg' in role 'header'")
        XCTAssertEqual(problem("colours:\n  a: red\n"), "Themes/bad.yaml:1: unknown key 'colours' (expected palette, roles)")
        XCTAssertEqual(problem("roles:\n  header: { bold: maybe }\n"),
                       "Themes/bad.yaml:2: 'bold' in role 'header' must be true or false")
        XCTAssertTrue(problem("roles: [").hasPrefix("Themes/bad.yaml: not valid YAML"))
    }

    func testTheShippedThemesLoad() throws {
        let themes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Themes").standardized
        let names = try FileManager.default.contentsOfDirectory(atPath: themes.path).filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertEqual(names, ["dark.yaml", "high-contrast.yaml", "light.yaml", "monochrome.yaml"])
        for name in names {
            XCTAssertNoThrow(try ThemeFile.load(path: themes.appendingPathComponent(name).path), name)
        }
        let mono = try ThemeFile.load(path: themes.appendingPathComponent("monochrome.yaml").path)
        for role in Role.allCases {
            XCTAssertEqual(mono.look(role).foreground, .terminalDefault, "\(role) has no colour in monochrome")
        }
    }

    func testThemesAreLookedForInTheEnvironmentsFolderThenBesideTheInstalledBinary() {
        let folders = ThemeChoice.folders(environment: ["HELPDESK_THEMES": "/srv/themes", "HOME": "/home/ann"],
                                          executable: "/usr/bin/helpdesk")
        XCTAssertEqual(folders.first, "/srv/themes")
        XCTAssertEqual(folders[1], "/home/ann/.config/helpdesk/themes")
        XCTAssertTrue(folders.contains("/usr/share/helpdesk/themes"), "\(folders)")
        let elsewhere = ThemeChoice.folders(environment: [:], executable: "/opt/tools/helpdesk")
        XCTAssertEqual(elsewhere.suffix(2), ["/usr/local/share/helpdesk/themes", "/usr/share/helpdesk/themes"])
    }
}
