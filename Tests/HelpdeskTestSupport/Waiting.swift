import Foundation
import XCTest

/// A test step that could not happen; the failure itself is already recorded (with what was seen).
public struct TestStop: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Waits until `condition` holds, checking every 20 ms; after `timeout` seconds the test fails
/// with `what` and this throws.
public func waitFor(_ what: String, timeout: TimeInterval = 15, file: StaticString = #filePath, line: UInt = #line,
                    _ condition: () throws -> Bool) throws {
    let deadline = Date().addingTimeInterval(timeout)
    while try !condition() {
        guard Date() < deadline else {
            XCTFail("waited \(timeout) s for \(what)", file: file, line: line)
            throw TestStop("timed out waiting for \(what)")
        }
        usleep(20_000)
    }
}

/// Single-quotes a word for sh.
public func shellQuoted(_ word: String) -> String {
    "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
