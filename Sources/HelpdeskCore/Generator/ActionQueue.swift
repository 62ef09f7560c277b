/// The generator's agenda: each open ticket's next step, earliest first (a binary min-heap).
/// Ties go to the step scheduled first, so the order never depends on the heap's layout.
struct ActionQueue {
    struct Entry {
        var at: Int64
        var order: Int
        var ticket: Int
    }

    private var heap: [Entry] = []
    private var scheduled = 0

    var first: Entry? { heap.first }
    var isEmpty: Bool { heap.isEmpty }

    private static func before(_ a: Entry, _ b: Entry) -> Bool {
        a.at != b.at ? a.at < b.at : a.order < b.order
    }

    mutating func schedule(ticket: Int, at: Int64) {
        heap.append(Entry(at: at, order: scheduled, ticket: ticket))
        scheduled += 1
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard ActionQueue.before(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func removeFirst() -> Entry? {
        guard !heap.isEmpty else { return nil }
        let top = heap[0]
        let last = heap.removeLast()
        guard !heap.isEmpty else { return top }
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count, ActionQueue.before(heap[left], heap[smallest]) { smallest = left }
            if right < heap.count, ActionQueue.before(heap[right], heap[smallest]) { smallest = right }
            guard smallest != parent else { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }

    mutating func removeAll() { heap.removeAll() }
}
