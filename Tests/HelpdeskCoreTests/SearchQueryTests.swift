import HelpdeskCore
import XCTest

/// What a search asks for, parsed from what the agent typed, and the snippet that shows it.
final class SearchQueryTests: XCTestCase {
    private typealias Term = SearchQuery.Term

    func testWordsPhrasesExclusionsAndPrefixes() throws {
        XCTAssertEqual(try SearchQuery.parse("Printer  JAM").terms, [Term(words: ["printer"]), Term(words: ["jam"])])
        XCTAssertEqual(try SearchQuery.parse("\"paper jam\" -toner refund*").terms, [
            Term(words: ["paper", "jam"]), Term(words: ["toner"], excluded: true), Term(words: ["refund"], prefix: true),
        ])
        XCTAssertEqual(try SearchQuery.parse("-\"out of stock\" invoice").terms,
                       [Term(words: ["out", "of", "stock"], excluded: true), Term(words: ["invoice"])])
        XCTAssertEqual(try SearchQuery.parse("\"log in\"*").terms, [Term(words: ["log", "in"], prefix: true)])
    }

    func testWordsAreSplitAndFoldedAsTheIndexDoes() throws {
        XCTAssertEqual(try SearchQuery.parse("e-mail").terms, [Term(words: ["e", "mail"])], "a phrase of its parts")
        XCTAssertEqual(try SearchQuery.parse("Ann.Lee@Example.com").terms, [Term(words: ["ann", "lee", "example", "com"])])
        XCTAssertEqual(try SearchQuery.parse("Café ÜBER").terms, [Term(words: ["cafe"]), Term(words: ["uber"])])
        XCTAssertEqual(try SearchQuery.parse("#42").terms, [Term(words: ["42"])])
        XCTAssertEqual(SearchText.words(in: "Hi, Zoë!").map(\.folded), ["hi", "zoe"])
    }

    func testBadSearchesAreRefusedNamingWhatIsWrong() {
        for (text, words) in [
            ("\"paper jam", ["quote", "not closed"]),
            ("paper\"jam\"", ["inside a word"]),
            ("-toner", ["-word", "give a word"]),
            ("-toner -refund", ["-word"]),
            ("-", ["-", "no letters or digits"]),
            ("*", ["*", "no letters or digits"]),
            ("\"...\"", ["no letters or digits"]),
            ("r*", ["prefix", "two letters"]),
            ("   ", ["give at least one word"]),
        ] {
            XCTAssertThrowsError(try SearchQuery.parse(text), text) { error in
                let refusal = error as? Refusal
                XCTAssertEqual(refusal?.kind, .invalid, text)
                for word in words { XCTAssertTrue(refusal?.message.contains(word) == true, "\(text): \(String(describing: refusal))") }
            }
        }
    }

    func testARefusalShowsTheSearchSafely() {
        XCTAssertThrowsError(try SearchQuery.parse("\u{1B}[2J \"oops")) { error in
            XCTAssertFalse((error as? Refusal)?.message.contains("\u{1B}") ?? true)
        }
    }

    func testSnippetIsTheLineAroundTheFirstMatchWithEveryMatchMarked() throws {
        let query = try SearchQuery.parse("toner -paper")
        let text = "one two three four five six the toner is low and the toner light blinks all day long every day"
        XCTAssertEqual(SearchSnippet.make(query, fields: ["Subject", text]),
                       "…four five six the [toner] is low and the [toner] light blinks all day long…", "4 words before, 10 after")
        XCTAssertEqual(SearchSnippet.make(query, fields: ["Toner low."]), "[Toner] low.", "the end of a field is kept")
        XCTAssertEqual(SearchSnippet.make(try SearchQuery.parse("print*"), fields: ["Printer jams", "print it"]),
                       "[Printer] jams", "a prefix; the first field that matches")
        XCTAssertEqual(SearchSnippet.make(try SearchQuery.parse("\"paper jam\""), fields: ["x", "a paper jam"]),
                       "a [paper] [jam]")
        XCTAssertEqual(SearchSnippet.make(try SearchQuery.parse("zebra"), fields: ["Only the subject"]), "Only the subject",
                       "nothing found in the text shown: the subject")
        XCTAssertEqual(SearchSnippet.make(try SearchQuery.parse("cafe"), fields: ["Le Café"], marks: ("<", ">")), "Le <Café>")
    }

    func testTheConsoleMarksWordsStartingWithTheFilter() {
        let line = "The toner, Toner-cartridge and tone"
        let marked = SearchText.ranges(in: line, startingWith: ["toner"]).map { String(line[$0]) }
        XCTAssertEqual(marked, ["toner", "Toner"])
        XCTAssertEqual(SearchText.ranges(in: line, startingWith: []), [])
    }
}
