import Foundation
import XCTest

/// Which store the suites' desks use: with HELPDESK_TEST_STORE=postgres each TemporaryDesk gets a
/// fresh database on TestPostgres's server; unset (or `file`), its log file as always.
enum TestStore {
    /// A fresh database when the suites run on PostgreSQL, else nil. Asking for PostgreSQL where
    /// there is none fails the test rather than skipping it.
    static func newDatabase(file: StaticString = #filePath, line: UInt = #line) throws -> (TestPostgres, TestDatabase)? {
        switch ProcessInfo.processInfo.environment["HELPDESK_TEST_STORE"] ?? "" {
        case "", "file":
            return nil
        case "postgres":
            do {
                let server = try TestPostgres.server()
                return (server, try server.createDatabase())
            } catch {
                XCTFail("HELPDESK_TEST_STORE=postgres, but no database for the desk: \(error)", file: file, line: line)
                throw TestStop("no PostgreSQL database")
            }
        case let other:
            XCTFail("HELPDESK_TEST_STORE is \(other); it takes postgres or file", file: file, line: line)
            throw TestStop("unknown HELPDESK_TEST_STORE")
        }
    }
}
