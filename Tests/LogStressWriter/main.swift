// log-stress-writer LOGPATH|URL TAG COUNT
//
// Opens an existing desk (a log file, or a PostgreSQL URL) and appends COUNT tickets as actor "root", one record each.
// After each append has returned (the record is on disk), writes `ack TAG-i <ticket> <seq>`
// straight to file descriptor 1, so that a test which kills this process with SIGKILL sees
// every acknowledgement the process made and nothing it did not.
import Foundation
import HelpdeskCore
import HelpdeskLog
#if canImport(Glibc)
import Glibc
#endif

func writeAll(_ fd: Int32, _ text: String) {
    let bytes = Array(text.utf8)
    var done = 0
    while done < bytes.count {
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, bytes.count - done) }
        if n < 0 {
            if errno == EINTR { continue }
            exit(3)  // the reader went away: nothing left to acknowledge to
        }
        done += n
    }
}

func fail(_ message: String, code: Int32) -> Never {
    writeAll(2, "log-stress-writer: \(message)\n")
    exit(code)
}

let arguments = CommandLine.arguments
guard arguments.count == 4, let count = Int(arguments[3]), count >= 0 else {
    fail("usage: log-stress-writer LOGPATH|URL TAG COUNT", code: 64)
}
let path = arguments[1]
let tag = arguments[2]

do {
    let log = try DeskLog(location: StoreLocation.parse(path), writable: true)
    log.onNotice = { writeAll(2, "log-stress-writer: \($0)\n") }
    log.lockTimeout = 60
    for index in 0..<count {
        let subject = "\(tag)-\(index + 1)"
        let command = Command.openTicket(customerEmail: "stress@example.com", customerName: nil, subject: subject,
                                         channel: .email, priority: .normal,
                                         body: "Stress body for \(subject).\nSecond line.")
        let appended = try log.append(actor: "root", now: Date()) { desk, now throws(Refusal) in
            try Rules.decide(command, by: "root", at: now, on: desk)
        }
        guard let record = appended.record else { fail("append of \(subject) wrote nothing", code: 1) }
        let ticket = record.events.lazy.compactMap { event -> Int? in
            if case .ticketOpened(let id, _, _, _, _) = event { return id } else { return nil }
        }.first
        guard let ticket else { fail("record \(record.seq) for \(subject) opened no ticket", code: 1) }
        writeAll(1, "ack \(subject) \(ticket) \(record.seq)\n")
    }
} catch {
    fail("\(error)", code: 1)
}
exit(0)
