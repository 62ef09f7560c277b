/// For each byte and byte pair of the search texts, the tickets whose text has it. The filter
/// intersects a word's sets, 64 tickets per AND, before it reads any text: a letter, a digit or
/// a common pair is answered by the sets alone however many tickets have it, and a longer word
/// reads only the texts that have all its bytes and pairs.
///
/// Bounded at 320 sets, 40 bytes a ticket: letters and digits have a set each; other bytes share
/// 28. The pairs found in at least 1/64 of a sample of the texts when the index was built have
/// a set each (up to 128); all other pairs share 128 sets by hash. A shared set only says
/// "maybe": the texts of its tickets are then read.
struct NgramIndex {
    typealias Features = SIMD8<UInt64>  // a bit per set; 320 of the 512 are used

    private static let byteSets = 64
    private static let sharedPairSets = 128
    private static let ownPairSetsMax = 128
    private static let space = UInt8(ascii: " ")

    private var sets: [TicketSet]
    /// Pair (first << 8 | second) → its own set, 0 when it shares one.
    private var ownPair: [UInt16]
    /// How many texts the pairs were chosen from: rebuild when the desk has outgrown it.
    private(set) var builtFor = 0

    init() {
        sets = Array(repeating: TicketSet(capacity: 0), count: NgramIndex.byteSets + NgramIndex.sharedPairSets)
        ownPair = Array(repeating: 0, count: 1 << 16)
    }

    /// An index of the texts at `spans` (ticket by ticket) in `texts`, choosing the pairs that
    /// get a set of their own by how many texts of a sample have them.
    init(texts corpus: UnsafeRawBufferPointer, spans: [(offset: Int, length: Int)]) {
        self.init()
        let count = spans.count
        var texts = Array(repeating: Int32(0), count: 1 << 16)
        var lastSeen = Array(repeating: Int32(-1), count: 1 << 16)
        var pairs: [Int] = []
        // Texts the index holds (a queue of the active tickets alone leaves most empty).
        let filled = spans.indices.filter { spans[$0].length > 0 }
        let sample = stride(from: 0, to: filled.count, by: max(filled.count / 4096, 1)).map { filled[$0] }
        for index in sample {
            var previous = NgramIndex.space
            for byte in NgramIndex.text(corpus, spans[index]) {
                let pair = Int(previous) << 8 | Int(byte)
                if previous != NgramIndex.space && byte != NgramIndex.space && lastSeen[pair] != Int32(index) {
                    lastSeen[pair] = Int32(index)
                    if texts[pair] == 0 { pairs.append(pair) }
                    texts[pair] += 1
                }
                previous = byte
            }
        }
        let common = pairs.filter { Int(texts[$0]) * 64 >= sample.count }.sorted { texts[$0] > texts[$1] }
            .prefix(NgramIndex.ownPairSetsMax)
        for pair in common {
            ownPair[pair] = UInt16(sets.count)
            sets.append(TicketSet(capacity: 0))
        }
        reserve(count)
        // 64 texts at a time into one word per set: a set's word is written once, not per text.
        var block = Array(repeating: UInt64(0), count: sets.count)
        for first in stride(from: 0, to: count, by: 64) {
            for index in first..<min(first + 64, count) {
                NgramIndex.forEach(features(NgramIndex.text(corpus, spans[index]))) { block[$0] |= 1 << UInt64(index & 63) }
            }
            for set in block.indices where block[set] != 0 {
                sets[set].insert(bits: block[set], atWord: first >> 6)
                block[set] = 0
            }
        }
        builtFor = count
    }

    mutating func reserve(_ capacity: Int) {
        for set in sets.indices { sets[set].reserve(capacity) }
    }

    mutating func add(_ index: Int, text corpus: UnsafeRawBufferPointer, span: (offset: Int, length: Int)) {
        NgramIndex.forEach(features(NgramIndex.text(corpus, span))) { sets[$0].insert(index) }
    }

    mutating func remove(_ index: Int, text corpus: UnsafeRawBufferPointer, span: (offset: Int, length: Int)) {
        NgramIndex.forEach(features(NgramIndex.text(corpus, span))) { sets[$0].remove(index) }
    }

    private static func text(_ corpus: UnsafeRawBufferPointer, _ span: (offset: Int, length: Int)) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: corpus[span.offset..<span.offset + span.length])
    }

    /// The candidates that have every byte and pair of every word, and the words whose match
    /// that does not prove, so their texts must still be searched.
    func narrow(_ candidates: TicketSet, words: [[UInt8]]) -> (TicketSet, unsettled: [[UInt8]]) {
        var required = Features()
        for word in words { required |= word.withUnsafeBytes(features) }
        var result = candidates
        NgramIndex.forEach(required) { result.formIntersection(sets[$0]) }
        return (result, words.filter { !settles($0) })
    }

    /// Whether having the word's sets proves a text contains the word: a letter or digit, or
    /// a pair with a set of its own.
    private func settles(_ word: [UInt8]) -> Bool {
        switch word.count {
        case 1: NgramIndex.isLetterOrDigit(word[0])
        case 2: ownPair[Int(word[0]) << 8 | Int(word[1])] != 0
        default: false
        }
    }

    private func features(_ text: UnsafeRawBufferPointer) -> Features {
        var features = Features()
        withUnsafeMutableBytes(of: &features) { raw in
            let lanes = raw.bindMemory(to: UInt64.self)  // a vector's lanes picked at run time are slow
            var previous = NgramIndex.space
            for byte in text {
                defer { previous = byte }
                // Words have no spaces, so spaces and pairs with one are never asked for.
                guard byte != NgramIndex.space else { continue }
                let set = NgramIndex.byteSet(byte)
                lanes[set >> 6] |= 1 << UInt64(set & 63)
                if previous != NgramIndex.space {
                    let pair = pairSet(previous, byte)
                    lanes[pair >> 6] |= 1 << UInt64(pair & 63)
                }
            }
        }
        return features
    }

    @inline(__always)
    private func pairSet(_ first: UInt8, _ second: UInt8) -> Int {
        let own = ownPair[Int(first) << 8 | Int(second)]
        if own != 0 { return Int(own) }
        let hash = (UInt32(first) << 8 | UInt32(second)) &* 0x9E37_79B1
        return NgramIndex.byteSets + Int((UInt64(hash) &* UInt64(NgramIndex.sharedPairSets)) >> 32)
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    @inline(__always)
    private static func byteSet(_ byte: UInt8) -> Int {
        if byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") { return Int(byte - UInt8(ascii: "a")) }
        if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") { return 26 + Int(byte - UInt8(ascii: "0")) }
        return 36 + Int(byte % 28)
    }

    @inline(__always)
    private static func forEach(_ features: Features, _ body: (Int) -> Void) {
        for lane in 0..<Features.scalarCount {
            var bits = features[lane]
            while bits != 0 {
                body(lane << 6 | bits.trailingZeroBitCount)
                bits &= bits - 1
            }
        }
    }
}
