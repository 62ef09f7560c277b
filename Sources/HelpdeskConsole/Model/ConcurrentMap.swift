import Dispatch

/// `transform` of each of 0..<count, in order, worked out on every core when there are many:
/// reading a large desk's tickets at open (each decoded from the snapshot, its clocks walked)
/// is what the first frame waits for.
func concurrentMap<T>(_ count: Int, _ transform: (Int) -> T) -> [T] {
    let chunk = 2048
    guard count > 2 * chunk else { return (0..<count).map(transform) }
    return withoutActuallyEscaping(transform) { transform in
        [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            let shared = SharedForWorkers(base: buffer.baseAddress!, transform: transform)
            DispatchQueue.concurrentPerform(iterations: (count + chunk - 1) / chunk) { k in
                for index in k * chunk..<min(count, (k + 1) * chunk) {
                    (shared.base + index).initialize(to: shared.transform(index))
                }
            }
            initialized = count
        }
    }
}

/// What the workers of `concurrentMap` share: each writes its own part of the buffer, and the
/// transform only reads (a desk is a value; its saved records may be read from any thread).
private struct SharedForWorkers<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
    let transform: (Int) -> T
}
