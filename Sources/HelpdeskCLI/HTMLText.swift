import Foundation

/// Text placed in HTML: every character that could end an element or an attribute, escaped.
enum HTMLText {
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default:
                // Controls are no text a person wrote to be seen; drop them as the terminal output does.
                if character.value < 0x20 && character != "\n" && character != "\t" || (0x7F...0x9F).contains(character.value) {
                    continue
                }
                result.unicodeScalars.append(character)
            }
        }
        return result
    }
}
