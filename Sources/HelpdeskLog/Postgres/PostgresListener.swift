import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Wakes a follower of a database desk: a thread of its own keeps a connection LISTENing on the
/// log's channel and rings a pipe (the descriptor a poll() loop waits on, which never changes)
/// when a record is appended, when the connection is lost, and when it is back, so the follower
/// catches up by query each time. A notification is only a wake-up: it carries nothing, and one
/// lost while disconnected is made up for by the catch-up after reconnecting. Every few seconds
/// the thread checks the connection (a silently dead one sends nothing) and rings anyway.
final class PostgresListener {
    private let worker: Worker

    init(url: String) throws {
        worker = try Worker(url: url)
        let worker = worker
        Thread.detachNewThread { worker.run() }
    }

    deinit { worker.stop() }

    var fd: Int32 { worker.fd }

    /// Why the connection is down (for "reconnecting…" on a status line), nil while it is up.
    var connectionTrouble: String? { worker.connectionTrouble }
}

private final class Worker: @unchecked Sendable {
    /// The bell's end a follower polls; the thread rings the other.
    let fd: Int32
    private let bell: Int32
    private let url: String
    private let displayName: String
    private let state = NSLock()
    private var trouble: String?
    private var stopPipe: [Int32] = [-1, -1]
    private var connection: PGConnection?

    init(url: String) throws {
        self.url = url
        displayName = StoreLocation.redacted(url)
        var bellPipe: [Int32] = [-1, -1]
        guard WakePipe.make(&bellPipe) else { throw LogError.io(path: displayName, operation: "pipe", errno: errno) }
        (fd, bell) = (bellPipe[0], bellPipe[1])
        guard WakePipe.make(&stopPipe) else {
            close(fd); close(bell)
            throw LogError.io(path: displayName, operation: "pipe", errno: errno)
        }
        // The first connection is made here, so a desk that cannot be reached fails at once.
        do {
            connection = try Self.listen(url: url, displayName: displayName)
        } catch {
            close(fd); close(bell); close(stopPipe[0]); close(stopPipe[1])
            throw error
        }
    }

    func stop() { _ = Glibc.write(stopPipe[1], "x", 1) }

    var connectionTrouble: String? { state.withLock { trouble } }

    private static func listen(url: String, displayName: String) throws -> PGConnection {
        let connection = try PGConnection(url: url, displayName: displayName)
        do {
            try connection.execute("LISTEN \(PostgresSchema.notifyChannel)")
        } catch let error as PGError {
            throw LogError.database(store: displayName, reason: error.message)
        }
        return connection
    }

    private func ring() {
        _ = Glibc.write(bell, "x", 1)
    }

    private func lost(_ error: any Error) {
        state.withLock { trouble = "\(error)" }
        ring()
    }

    func run() {
        var backoff: Int32 = 250
        loop: while true {
            guard let live = connection else {
                if wait(on: -1, milliseconds: backoff) == .stop { break loop }
                do {
                    connection = try Self.listen(url: url, displayName: displayName)
                    state.withLock { trouble = nil }
                    backoff = 250
                    ring()  // caught up by query: what was appended meanwhile sent no notification
                } catch {
                    backoff = min(backoff * 2, 8_000)
                    lost(error)
                }
                continue
            }
            do {
                switch wait(on: live.socket, milliseconds: 5_000) {
                case .stop: break loop
                case .readable: if try !live.notifications().isEmpty { ring() }
                case .timedOut:
                    try live.execute("SELECT 1")
                    ring()
                }
            } catch {
                live.close()
                connection = nil
                lost(error)
            }
        }
        connection?.close()
        close(stopPipe[0]); close(stopPipe[1]); close(fd); close(bell)
    }

    private enum Woken { case stop, readable, timedOut }

    private func wait(on socket: Int32, milliseconds: Int32) -> Woken {
        var fds = [pollfd(fd: stopPipe[0], events: Int16(POLLIN), revents: 0),
                   pollfd(fd: socket, events: Int16(POLLIN), revents: 0)]
        while true {
            let n = poll(&fds, socket >= 0 ? 2 : 1, milliseconds)
            if n < 0, errno == EINTR { continue }
            if n > 0, fds[0].revents != 0 { return .stop }
            return n > 0 ? .readable : .timedOut
        }
    }
}
