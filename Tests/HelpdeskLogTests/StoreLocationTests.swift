import XCTest
import Glibc
@testable import HelpdeskLog

final class StoreLocationTests: XCTestCase {
    func testAnOptionBeatsTheEnvironmentAndAStoreBeatsALog() {
        let environment: EnvironmentVariables = ["HELPDESK_STORE": "postgres://db/desk", "HELPDESK_LOG": "/env/desk.log",
                                                 "HOME": "/home/ana"]
        XCTAssertEqual(StoreLocation.resolve(store: "/given.log", log: "/other.log", environment: environment),
                       .file(path: "/given.log"))
        XCTAssertEqual(StoreLocation.resolve(store: nil, log: "/given.log", environment: environment), .file(path: "/given.log"))
        XCTAssertEqual(StoreLocation.resolve(store: "", log: nil, environment: environment), .postgres(url: "postgres://db/desk"))
        XCTAssertEqual(StoreLocation.resolve(store: nil, log: nil, environment: ["HELPDESK_STORE": "", "HELPDESK_LOG": "/env/desk.log"]),
                       .file(path: "/env/desk.log"))
    }

    func testWithoutOptionsOrVariablesTheLogIsInTheDataFolder() {
        XCTAssertEqual(StoreLocation.resolve(store: nil, log: nil, environment: ["XDG_DATA_HOME": "/data", "HOME": "/home/ana"]),
                       .file(path: "/data/helpdesk/desk.log"))
        XCTAssertEqual(StoreLocation.resolve(store: nil, log: nil, environment: ["XDG_DATA_HOME": "", "HOME": "/home/ana"]),
                       .file(path: "/home/ana/.local/share/helpdesk/desk.log"))
    }

    func testTheProcessEnvironmentIsReadWhenLookedAt() {
        let name = "HELPDESK_TEST_VARIABLE_\(getpid())"
        XCTAssertNil(EnvironmentVariables.process[name])
        setenv(name, "the value: ünïcode", 1)
        defer { unsetenv(name) }
        XCTAssertEqual(EnvironmentVariables.process[name], "the value: ünïcode")
        XCTAssertEqual(EnvironmentVariables([name: "given"])[name], "given")
    }
}
