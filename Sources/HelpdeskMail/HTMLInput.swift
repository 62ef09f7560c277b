/// HTML as libxml2 2.9's parser should get it, where it reads some input differently from
/// browsers: it ends the document at a NUL (browsers ignore NULs); it shows `<!...>` markup that
/// is neither a comment nor a doctype as text, where browsers drop it as a "bogus comment" (Word
/// writes such markup around its fake list bullets: `<![if !supportLists]>·<![endif]>`); and it
/// drops a "&#" that starts no character reference, and a reference to no character, where
/// browsers keep the first as text and show U+FFFD for the second.
enum HTMLInput {
    static func prepared(_ html: String) -> [UInt8] {
        var html = html
        return html.withUTF8 { input in
            var output: [UInt8] = []
            output.reserveCapacity(input.count)
            var index = 0
            while index < input.count {
                let byte = input[index]
                let next = index + 1 < input.count ? input[index + 1] : 0
                if byte == 0 {
                    index += 1
                } else if byte == UInt8(ascii: "<"), next == UInt8(ascii: "!") {
                    index = markupDeclaration(input, at: index, into: &output)
                } else if byte == UInt8(ascii: "&"), next == UInt8(ascii: "#") {
                    index = characterReference(input, at: index, into: &output)
                } else {
                    output.append(byte)
                    index += 1
                }
            }
            return output
        }
    }

    /// Copies a comment (through its "-->") or a doctype, or drops anything else up to its ">";
    /// returns where to go on.
    private static func markupDeclaration(_ input: UnsafeBufferPointer<UInt8>, at start: Int, into output: inout [UInt8]) -> Int {
        let rest = input[(start + 2)...]
        if rest.starts(with: "--".utf8) {
            let end = find("-->", in: input, from: start + 4).map { $0 + 3 } ?? input.count
            output.append(contentsOf: input[start..<end].lazy.filter { $0 != 0 })
            return end
        }
        let end = find(">", in: input, from: start + 2).map { $0 + 1 } ?? input.count
        if rest.prefix(7).map({ $0 | 0x20 }).elementsEqual("doctype".utf8) {
            output.append(contentsOf: input[start..<end].lazy.filter { $0 != 0 })
        }
        return end
    }

    /// Copies a numeric character reference libxml2 decodes as browsers do; writes "&amp;" for a
    /// "&#" without digits, U+FFFD for a reference to no character; returns where to go on.
    private static func characterReference(_ input: UnsafeBufferPointer<UInt8>, at start: Int, into output: inout [UInt8]) -> Int {
        var index = start + 2
        let hex = index < input.count && input[index] | 0x20 == UInt8(ascii: "x")
        if hex { index += 1 }
        let digitsStart = index
        var value: UInt32 = 0
        while index < input.count, let digit = digitValue(input[index], hex: hex) {
            value = min(value * (hex ? 16 : 10) + digit, 0x110000)
            index += 1
        }
        guard index > digitsStart else {
            output.append(contentsOf: "&amp;".utf8)
            return start + 1
        }
        guard value == 0 || (0xD800...0xDFFF).contains(value) || value > 0x10FFFF else {
            output.append(contentsOf: input[start..<index])
            return index
        }
        output.append(contentsOf: "&#xFFFD;".utf8)
        return index < input.count && input[index] == UInt8(ascii: ";") ? index + 1 : index
    }

    private static func digitValue(_ byte: UInt8, hex: Bool) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f") where hex: UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F") where hex: UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    private static func find(_ literal: StaticString, in input: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        let pattern = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        var index = start
        while index + pattern.count <= input.count {
            if input[index] == pattern[0], input[index..<(index + pattern.count)].elementsEqual(pattern) { return index }
            index += 1
        }
        return nil
    }
}
