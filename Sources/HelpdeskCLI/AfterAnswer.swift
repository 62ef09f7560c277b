import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Work a command leaves for after its answer, that only saves later commands time (a snapshot
/// of the desk it had to replay): run once the answer is out and standard output closed, so a
/// script reading the answer sees its end without waiting for it.
enum AfterAnswer {
    nonisolated(unsafe) private static var jobs: [() -> Void] = []

    static func add(_ job: @escaping () -> Void) { jobs.append(job) }

    /// Called once, by `HelpdeskCommand.run` after a command succeeded.
    static func run() {
        guard !jobs.isEmpty else { return }
        fflush(nil)  // every stream: print's buffer too
        let null = open("/dev/null", O_WRONLY | O_CLOEXEC)
        if null >= 0 {
            dup2(null, STDOUT_FILENO)
            close(null)
        }
        for job in jobs { job() }
        jobs = []
    }
}
