import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Work split over threads made with `pthread_create`, not Dispatch or Foundation's `Thread`:
/// a snapshot is often written by a child forked after the command has answered, and neither
/// of those can be used in a forked child (Foundation's `Thread` traps there), while a plain
/// thread can, the child being a copy of a process that had only the one thread.
enum OwnThreads {
    /// How many parts to split work over: the processors online, at most `limit`.
    static func parts(limit: Int) -> Int {
        max(1, min(limit, sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    /// `body(k)` for every k in `0..<count`, part 0 on the calling thread and each other on a
    /// thread of its own; returns once every part is done. A part whose thread cannot be made
    /// runs on the calling thread, after part 0.
    static func run(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        var started: [pthread_t] = []
        var inline: [Int] = []
        for k in 1..<max(1, count) {
            let job = Unmanaged.passRetained(Job { body(k) }).toOpaque()
            var thread = pthread_t()
            if pthread_create(&thread, nil, { raw in
                Unmanaged<Job>.fromOpaque(raw!).takeRetainedValue().work()
                return nil
            }, job) == 0 {
                started.append(thread)
            } else {
                Unmanaged<Job>.fromOpaque(job).release()
                inline.append(k)
            }
        }
        if count > 0 { body(0) }
        for k in inline { body(k) }
        for thread in started { pthread_join(thread, nil) }
    }

    private final class Job {
        let work: () -> Void
        init(_ work: @escaping () -> Void) { self.work = work }
    }
}
