/// Conversation text made from `WordLists`: sentences that read like support mail, at lengths
/// spread like real ones (mostly a few hundred bytes, some a few KB, now and then a long one).
enum TextMaker {
    /// Bytes to aim for: the long tail is what makes a conversation pane scroll.
    static func length(_ random: inout SeededRandom, scale: Double = 1) -> Int {
        let band = random.weighted([62, 27, 9, 2])
        let range = [100...400, 400...1000, 1000...3000, 3000...9_000][band]
        return Int(Double(random.int(in: range)) * scale)
    }

    static func number(_ random: inout SeededRandom) -> String {
        String(random.int(in: 10_000...99_999))
    }

    static func subject(_ random: inout SeededRandom) -> String {
        let template = random.pick(WordLists.subjects)
        return template.contains("{n}") ? template.replacingOccurrences(of: "{n}", with: number(&random)) : template
    }

    static func customerMessage(_ random: inout SeededRandom, signedBy name: String) -> String {
        var text = random.pick(WordLists.greetings) + "\n\n"
        let target = length(&random)
        text.reserveCapacity(target + 200)
        paragraphs(&text, until: target, &random) { random in
            random.chance(0.4)
                ? "\(random.pick(WordLists.openers)) \(random.pick(WordLists.nouns)), which \(random.pick(WordLists.verbs))."
                : random.pick(WordLists.details)
        }
        text += "\n\n" + random.pick(WordLists.signOffs) + "\n" + name
        return text
    }

    static func reply(_ random: inout SeededRandom, to customer: String, from agent: String) -> String {
        var text = random.pick(WordLists.replyGreetings).replacingOccurrences(of: "#", with: customer) + "\n\n"
        let target = length(&random, scale: 0.6)
        text.reserveCapacity(target + 200)
        paragraphs(&text, until: target, &random) { random in random.pick(WordLists.answers) }
        text += "\n\n" + random.pick(WordLists.signOffs) + "\n" + agent
        return text
    }

    static func note(_ random: inout SeededRandom) -> String {
        var text = ""
        for _ in 0..<random.int(in: 1...3) {
            if !text.isEmpty { text += " " }
            text += random.pick(WordLists.noteLines)
        }
        return text
    }

    private static func paragraphs(_ text: inout String, until target: Int, _ random: inout SeededRandom,
                                   sentence: (inout SeededRandom) -> String) {
        var first = true
        while text.utf8.count < target || first {
            if !first { text += "\n\n" }
            first = false
            for index in 0..<random.int(in: 2...4) {
                if index > 0 { text += " " }
                text += sentence(&random)
            }
        }
    }
}
