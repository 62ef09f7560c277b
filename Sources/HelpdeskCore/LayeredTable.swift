import Foundation

/// Where a saved desk keeps its tickets or its customers: read one at a time, when asked for,
/// so that a command about one ticket of a desk of a million does not decode the million.
public protocol SavedRecords<Element>: AnyObject, Sendable {
    associatedtype Element
    var count: Int { get }
    /// The `index`-th record saved. A source checks each record before it hands it out; one
    /// that cannot be read stops the process rather than hand out a wrong one.
    func element(at index: Int) -> Element
}

/// Elements by position: those a saved desk kept (read on demand), with the ones changed since
/// held on top of them, then the ones added since. A desk built by replaying a log has only
/// the last kind, held in one array.
public struct LayeredTable<Element: Sendable>: RandomAccessCollection, Sendable {
    /// The saved records underneath, if any.
    public let saved: (any AnyObject & Sendable)?
    /// Reads the `index`-th saved record (bound to the concrete source, so a read costs no
    /// dynamic look-up of the protocol).
    @usableFromInline let read: (@Sendable (Int) -> Element)?
    @usableFromInline let savedCount: Int
    @usableFromInline var changed: [Int: Element] = [:]
    @usableFromInline var added: [Element]

    public init(_ elements: [Element] = []) {
        saved = nil
        read = nil
        savedCount = 0
        added = elements
    }

    public init<Source: SavedRecords>(saved: Source) where Source.Element == Element {
        self.saved = saved
        read = { saved.element(at: $0) }
        savedCount = saved.count
        added = []
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { savedCount + added.count }

    public subscript(index: Int) -> Element {
        // Inlined, also into other modules, so that reading one field of a held element
        // (`tickets[i].status`) copies nothing else, as with an array.
        @inlinable get {
            if index >= savedCount { return added[index - savedCount] }
            return changed[index] ?? readSaved(index)
        }
        _modify {
            if index >= savedCount {
                yield &added[index - savedCount]
            } else {
                precondition(index >= 0, "index out of range")
                if changed[index] == nil { changed[index] = read!(index) }
                yield &changed[index]!
            }
        }
    }

    /// A part of the `index`-th element, copying nothing else of it: where the subscript is not
    /// inlined it copies the whole element (a ticket: a dozen references) to read one field.
    @inlinable func read<Part>(_ index: Int, _ part: (borrowing Element) -> Part) -> Part {
        precondition(index < endIndex, "index out of range")
        if index >= savedCount { return added.withUnsafeBufferPointer { part($0[index - savedCount]) } }
        return part(changed[index] ?? readSaved(index))
    }

    @usableFromInline func readSaved(_ index: Int) -> Element {
        precondition(index >= 0, "index out of range")
        return read!(index)
    }

    /// Where the elements the table holds in its own array lie in memory, when it holds them all
    /// there: only for a hint to the processor that some will be used soon (see
    /// `Desk.ticketsMemory`), never to read or write through, since the array may move as soon
    /// as this returns.
    func memoryHint() -> (base: UnsafeRawPointer, count: Int)? {
        guard savedCount == 0, !added.isEmpty else { return nil }
        return added.withUnsafeBufferPointer { (UnsafeRawPointer($0.baseAddress!), $0.count) }
    }

    public mutating func append(_ element: Element) {
        added.append(element)
    }

    /// Every element in one array: with nothing saved underneath (a replayed desk, or one
    /// opened holding every ticket) the very array the table keeps, copied only on write, so
    /// code that reads one field of every element, again and again (the console), copies no
    /// element to do it.
    public var array: [Element] {
        savedCount == 0 ? added : Array(self)
    }

    /// How many elements the saved records underneath hold.
    public var savedElementCount: Int { savedCount }

    /// The positions of the saved elements changed since they were saved, in no order.
    public var changedIndices: Dictionary<Int, Element>.Keys { changed.keys }

    /// Whether the `index`-th element is still the saved one (so a new save may copy it as it is).
    @inlinable public func isSavedUnchanged(_ index: Int) -> Bool {
        index < savedCount && changed[index] == nil
    }
}

extension LayeredTable: Equatable where Element: Equatable {
    public static func == (a: LayeredTable, b: LayeredTable) -> Bool {
        a.elementsEqual(b)
    }
}

/// A saved desk's index of customers by address.
public protocol SavedEmailIndex: AnyObject, Sendable {
    /// The customers whose address had `key` (see `Desk.emailKey`) when the desk was saved.
    func candidates(forEmailKey key: String) -> [Int]
}

/// A saved desk's `ChannelIndex`.
public protocol SavedChannelIndex: AnyObject, Sendable {
    var count: Int { get }
    func ticket(forKey key: UInt64) -> Int32?
    /// Every (key, ticket) pair, in key order.
    var entries: [(key: UInt64, ticket: Int32)] { get }
}
