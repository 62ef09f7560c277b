/// The text HTMLText writes, as UTF-8: white space collapsed as a browser collapses it (kept in
/// <pre>), a no-break space shown as a space, lines and paragraphs ended on request.
struct PlainTextWriter {
    private(set) var bytes: [UInt8] = []
    private var pendingSpace = false
    var preformatted = false

    /// Adds text (UTF-8) from the page.
    mutating func text(_ utf8: UnsafeBufferPointer<UInt8>) {
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            index += 1
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0C, 0x0D:
                if !preformatted {
                    pendingSpace = true
                } else if byte != 0x0D {
                    bytes.append(byte)
                }
            case 0xC2 where index < utf8.count && (0x80...0xA0).contains(utf8[index]):
                // U+00A0 no-break space, or a C1 control: what &#150; and friends decode to, where
                // every browser shows the Windows-1252 character (an en dash) instead.
                let second = utf8[index]
                index += 1
                flushSpace()
                if second == 0xA0 {
                    bytes.append(0x20)
                } else {
                    bytes.append(contentsOf: Charset.windows1252([second]).utf8)
                }
            default:
                flushSpace()
                bytes.append(byte)
            }
        }
    }

    mutating func text(_ string: String) {
        var string = string
        string.withUTF8 { text($0) }
    }

    /// Adds characters as they are, white space and all (bullets, cell gaps, rules).
    mutating func literal(_ string: String) {
        bytes.append(contentsOf: string.utf8)
    }

    var atLineStart: Bool { bytes.last == nil || bytes.last == 0x0A }

    /// A <br>: ends the line even when it is empty.
    mutating func lineBreak() {
        dropTrailingSpaces()
        bytes.append(0x0A)
    }

    /// Ends the current line unless it is already ended; `blank` leaves an empty line after it.
    mutating func breakLine(blank: Bool = false) {
        dropTrailingSpaces()
        guard !bytes.isEmpty else { return }
        let trailing = bytes.reversed().prefix { $0 == 0x0A }.count
        let wanted = blank ? 2 : 1
        if trailing < wanted { bytes.append(contentsOf: repeatElement(0x0A, count: wanted - trailing)) }
    }

    /// What was written from `start` on, as text (a link's label).
    func written(from start: Int) -> String {
        String(decoding: bytes[start...], as: UTF8.self)
    }

    /// The lines with trailing blanks trimmed, at most one empty line in a row, none at either end.
    func finish() -> String {
        var result: [Substring] = []
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            var line = line
            while line.last == " " || line.last == "\t" { line.removeLast() }
            if line.isEmpty && (result.last?.isEmpty ?? true) { continue }
            result.append(line)
        }
        while result.last?.isEmpty == true { result.removeLast() }
        return result.joined(separator: "\n")
    }

    private mutating func flushSpace() {
        guard pendingSpace else { return }
        pendingSpace = false
        if let last = bytes.last, last != 0x0A, last != 0x20 { bytes.append(0x20) }
    }

    private mutating func dropTrailingSpaces() {
        pendingSpace = false
        while bytes.last == 0x20 { bytes.removeLast() }
    }
}
