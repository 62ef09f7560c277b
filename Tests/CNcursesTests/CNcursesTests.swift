import CNcurses
import Foundation
import XCTest

/// ncursesw is loaded on first use (CTerminalAndSearchLibraries) and the shim exposes what Swift cannot import.
final class CNcursesTests: XCTestCase {
    func testTheWideCharacterLibraryIsLinked() {
        let version = String(cString: curses_version())
        XCTAssertTrue(version.hasPrefix("ncurses 6"), version)
    }

    func testTheShimMeasuresWideCharacters() {
        setlocale(LC_ALL, "C.UTF-8")
        XCTAssertEqual(wcwidth(wchar_t(0x61)), 1)
        XCTAssertEqual(wcwidth(wchar_t(0x65E5)), 2, "CJK takes two cells")
        XCTAssertEqual(wcwidth(wchar_t(0x0301)), 0, "a combining mark takes none")
    }

    func testTheShimExposesAttributeMacros() {
        XCTAssertNotEqual(hd_a_bold(), hd_a_normal())
        XCTAssertNotEqual(hd_a_reverse(), hd_a_bold())
        XCTAssertEqual(hd_key_f(1), Int32(KEY_F0) + 1)
    }
}
