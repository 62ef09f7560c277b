import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Who has which ticket open on a database desk, for the console's "also here": one row per open
/// console in `helpdesk_presence` (an unlogged table, never the log). A thread of its own keeps
/// the row, so a slow or lost database never holds up the console: it writes the ticket the
/// console shows, beats every `heartbeatInterval` seconds, LISTENs on the board's channel, and
/// rings a pipe (the descriptor a poll() loop waits on, which never changes) when what the others
/// show has changed. A row counts while its heartbeat is fresh and its connection is alive: a
/// console killed outright loses its connection at once and its heartbeat within `staleAfter`.
/// Every console sweeps the rows that no longer count, and notifies when it did.
public final class PostgresPresence {
    public struct Viewer: Equatable, Sendable {
        public var account: String
        public var host: String
        public var ticket: Int
    }

    public static let heartbeatInterval: TimeInterval = 2
    public static let staleAfter: TimeInterval = 6

    private let worker: PresenceWorker

    /// Connects (so a board that cannot be set up fails here, not later), makes the table when
    /// the desk has none yet, and starts the thread. `account` and `host` are what others see.
    public init(url: String, account: String, host: String) throws {
        worker = try PresenceWorker(url: url, account: account, host: host)
        let worker = worker
        Thread.detachNewThread { worker.run() }
    }

    deinit { leave() }

    /// Readable when the others' tickets changed; `drain` it, then read `others`.
    public var fd: Int32 { worker.fd }

    /// Says which ticket this console shows (nil: none); the thread writes it.
    public func show(_ ticket: Int?) { worker.show(ticket) }

    /// The other consoles' tickets, as the thread last read them (empty while disconnected).
    public var others: [Viewer] { worker.others }

    /// The accounts of the other consoles, whatever they show, as the thread last read them.
    public var otherAccounts: Set<String> { worker.otherAccounts }

    public func drain() {
        var buffer = [UInt8](repeating: 0, count: 256)
        while buffer.withUnsafeMutableBytes({ Glibc.read(fd, $0.baseAddress, $0.count) }) > 0 {}
    }

    /// Takes this console off the board: the thread removes its row and ends (waited for up to
    /// a second, so a console that quits is gone from the others' screens at once).
    public func leave() { worker.stop(waitingUpTo: 1) }
}

private final class PresenceWorker: @unchecked Sendable {
    let fd: Int32
    private let bell: Int32
    private let wakeIn: Int32
    private let wakeOut: Int32
    private let url: String
    private let displayName: String
    private let account: String
    private let host: String
    /// This console's row (a process id alone could repeat on another host).
    private let console = UUID().uuidString.lowercased()
    private let finished = DispatchSemaphore(value: 0)
    /// The thread's alone once it runs.
    private var connection: PGConnection?

    private let state = NSLock()
    private var wanted: Int?
    private var viewers: [PostgresPresence.Viewer] = []
    private var accounts: Set<String> = []
    private var stopping = false

    private static let stale = "interval '\(Int(PostgresPresence.staleAfter)) seconds'"
    private static let counts = "heartbeat >= clock_timestamp() - \(stale) AND backend IN (SELECT pid FROM pg_stat_activity)"
    private static let notify = "SELECT pg_notify('\(PostgresSchema.presenceChannel)', '')"

    init(url: String, account: String, host: String) throws {
        self.url = url
        self.account = account
        self.host = host
        displayName = StoreLocation.redacted(url)
        var bellPipe: [Int32] = [-1, -1], wakePipe: [Int32] = [-1, -1]
        guard WakePipe.make(&bellPipe) else { throw LogError.io(path: displayName, operation: "pipe", errno: errno) }
        guard WakePipe.make(&wakePipe) else {
            bellPipe.forEach { close($0) }
            throw LogError.io(path: displayName, operation: "pipe", errno: errno)
        }
        (fd, bell, wakeOut, wakeIn) = (bellPipe[0], bellPipe[1], wakePipe[0], wakePipe[1])
        do {
            connection = try connect()
        } catch {
            (bellPipe + wakePipe).forEach { close($0) }
            throw error
        }
    }

    deinit { [fd, bell, wakeIn, wakeOut].forEach { close($0) } }

    // MARK: The console's side

    func show(_ ticket: Int?) {
        let changed = state.withLock {
            defer { wanted = ticket }
            return wanted != ticket
        }
        if changed { _ = Glibc.write(wakeIn, "x", 1) }
    }

    var others: [PostgresPresence.Viewer] { state.withLock { viewers } }
    var otherAccounts: Set<String> { state.withLock { accounts } }

    func stop(waitingUpTo seconds: TimeInterval) {
        let first = state.withLock {
            defer { stopping = true }
            return !stopping
        }
        guard first else { return }
        _ = Glibc.write(wakeIn, "x", 1)
        _ = finished.wait(timeout: .now() + seconds)
    }

    // MARK: The thread

    private var isStopping: Bool { state.withLock { stopping } }

    func run() {
        defer { finished.signal() }
        var backoff: Int64 = 250
        var retryAt: Int64 = 0
        var nextBeat: Int64 = 0
        /// The ticket the row holds on this connection (.none: no row written on it yet).
        var written: Int?? = .none
        while !isStopping {
            if connection == nil, Self.milliseconds() >= retryAt {
                do {
                    connection = try connect()
                    (backoff, written, nextBeat) = (250, .none, 0)
                } catch {
                    retryAt = Self.milliseconds() + backoff
                    backoff = min(backoff * 2, 8_000)
                }
            }
            guard let live = connection else {
                if wait(on: -1, until: retryAt) == .woken { drainWake() }
                continue
            }
            do {
                let ticket = state.withLock { wanted }
                if written != .some(ticket) {
                    try publish(ticket, on: live)
                    written = .some(ticket)
                    try look(on: live)
                }
                if Self.milliseconds() >= nextBeat {
                    if try live.execute("UPDATE helpdesk_presence SET heartbeat = clock_timestamp(), backend = pg_backend_pid() "
                                        + "WHERE console = $1 RETURNING 1", [.text(console)]).rows == 0 {
                        try publish(ticket, on: live)  // swept while this console could not beat
                    }
                    try live.execute("WITH gone AS (DELETE FROM helpdesk_presence WHERE NOT (\(Self.counts)) RETURNING 1) "
                                     + "\(Self.notify) FROM gone")
                    try look(on: live)
                    nextBeat = Self.milliseconds() + Int64(PostgresPresence.heartbeatInterval * 1000)
                }
                switch wait(on: live.socket, until: nextBeat) {
                case .woken: drainWake()
                case .readable: if try !live.notifications().isEmpty { try look(on: live) }
                case .timedOut: break
                }
            } catch {
                live.close()
                connection = nil
                written = .none
                retryAt = Self.milliseconds() + backoff
                backoff = min(backoff * 2, 8_000)
                // Who is here cannot be known until it is back.
                publishViewers([])
            }
        }
        if let live = connection {
            _ = try? live.execute("WITH gone AS (DELETE FROM helpdesk_presence WHERE console = $1 RETURNING 1) "
                                  + "\(Self.notify) FROM gone", [.text(console)])
            live.close()
        }
        connection = nil
    }

    /// A connection listening on the board's channel, the table made if the desk has none yet
    /// (looked for first: a role without CREATE may still use a table that is there).
    private func connect() throws -> PGConnection {
        let connection = try PGConnection(url: url, displayName: displayName)
        do {
            if try connection.execute("SELECT to_regclass('helpdesk_presence')").text(0, 0) == nil {
                do {
                    try connection.execute(PostgresSchema.createPresence)
                } catch let error as PGError where error.isUniqueViolation || error.sqlState == "42P07" {
                    // Another console made it at the same moment.
                }
            }
            try connection.execute("LISTEN \(PostgresSchema.presenceChannel)")
        } catch let error as PGError {
            connection.close()
            throw LogError.database(store: displayName, reason: error.message)
        }
        return connection
    }

    private func publish(_ ticket: Int?, on live: PGConnection) throws {
        try live.execute("""
            WITH up AS (
                INSERT INTO helpdesk_presence (console, host, pid, account, ticket, backend, heartbeat)
                VALUES ($1, $2, $3, $4, $5, pg_backend_pid(), clock_timestamp())
                ON CONFLICT (console) DO UPDATE
                SET ticket = EXCLUDED.ticket, backend = EXCLUDED.backend, heartbeat = EXCLUDED.heartbeat
                RETURNING 1)
            \(Self.notify) FROM up
            """, [.text(console), .text(host), .int(getpid()), .text(account), ticket.map { .int($0) }])
    }

    /// Reads the others' rows that count; rings when they changed. Notifications libpq took in
    /// during the statements before are covered by this read; one taken in during the read itself
    /// may not be, so it reads again (the socket would not say so: libpq has already read it).
    private func look(on live: PGConnection) throws {
        _ = try live.notifications()
        repeat {
            let rows = try live.execute("""
                SELECT account, host, ticket FROM helpdesk_presence
                WHERE console <> $1 AND \(Self.counts)
                ORDER BY ticket, account, host
                """, [.text(console)])
            let present = Set((0..<rows.rows).compactMap { rows.text($0, 0) })
            state.withLock { accounts = present }
            publishViewers((0..<rows.rows).compactMap { row in
                guard let account = rows.text(row, 0), let host = rows.text(row, 1),
                      let ticket = rows.int(row, 2).flatMap({ Int(exactly: $0) }) else { return nil }
                return PostgresPresence.Viewer(account: account, host: host, ticket: ticket)
            })
        } while try !live.notifications().isEmpty
    }

    private func publishViewers(_ new: [PostgresPresence.Viewer]) {
        let changed = state.withLock {
            defer { viewers = new }
            return viewers != new
        }
        if changed { _ = Glibc.write(bell, "x", 1) }
    }

    private func drainWake() {
        var buffer = [UInt8](repeating: 0, count: 256)
        while buffer.withUnsafeMutableBytes({ Glibc.read(wakeOut, $0.baseAddress, $0.count) }) > 0 {}
    }

    private enum Woken { case woken, readable, timedOut }

    /// Waits for the console's wake-up, the connection's socket (-1: none) or `deadline`.
    private func wait(on socket: Int32, until deadline: Int64) -> Woken {
        var fds = [pollfd(fd: wakeOut, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: socket, events: Int16(POLLIN), revents: 0)]
        while true {
            let timeout = Int32(clamping: max(deadline - Self.milliseconds(), 0))
            let n = poll(&fds, socket >= 0 ? 2 : 1, timeout)
            if n < 0, errno == EINTR { continue }
            if n > 0, fds[0].revents != 0 { return .woken }
            return n > 0 ? .readable : .timedOut
        }
    }

    private static func milliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
