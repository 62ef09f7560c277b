import Foundation
import HelpdeskCore
import XCTest
@testable import HelpdeskMail

/// The corpus through GMime: bodies, charsets, encoded headers, attachments; and mail made by the
/// composer read back by the parser.
final class MimeTests: XCTestCase {
    func parse(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> ParsedMail {
        try MailParser.parse([UInt8](try MailHarness.corpus(name)))
    }

    func testPlainMail() throws {
        let mail = try parse("plain.eml")
        XCTAssertEqual(mail.from, Mailbox(address: "jane@example.com", name: "Jane Doe"))
        XCTAssertEqual(mail.to.map(\.address), ["support@acme.example"])
        XCTAssertEqual(mail.subject, "Printer on fire")
        XCTAssertEqual(mail.messageID, "CAF=plain.1@mail.example.com")
        XCTAssertEqual(mail.date, Date(timeIntervalSince1970: 1_793_610_840))
        XCTAssertTrue(mail.text.hasPrefix("Hello,\n\nThe printer on the third floor is on fire again. Smoke everywhere — please help!"))
        XCTAssertTrue(mail.attachments.isEmpty)
        XCTAssertNil(Intake.classify(headers: mail.headers, from: "jane@example.com", contentType: mail.contentType,
                                     deskAddresses: ["support@acme.example"]))
    }

    func testAlternativePrefersPlainTextAndDecodesQuotedPrintable() throws {
        let mail = try parse("alternative.eml")
        XCTAssertEqual(mail.contentType, "multipart/alternative")
        XCTAssertFalse(mail.textFromHTML)
        XCTAssertEqual(mail.text, "Hi team,\n\nOur *invoice* is wrong: we were charged €120 instead of €100.\n\nThanks,\nBob")
    }

    func testHTMLOnlyMailBecomesReadableText() throws {
        let mail = try parse("html-only.eml")
        XCTAssertTrue(mail.textFromHTML)
        XCTAssertEqual(mail.text, """
            Order #4411 problem

            Dear support,

            The parcel arrived damaged. Details:

            - Box crushed
            - Lid & hinge broken

            Photos: my album (https://photos.example.com/4411) — call me on +44 1234 (tel:+441234).

            Order  4411
            Total  £35.00

            Regards,
            Carla 😀
            """)
        XCTAssertFalse(mail.text.contains("alert"), "scripts are dropped")
        XCTAssertFalse(mail.text.contains("color"), "styles are dropped")
        XCTAssertFalse(mail.text.contains("ignored title"))
    }

    func testCharsets() throws {
        XCTAssertEqual(try parse("latin1.eml").text,
                       "Bonjour, je n'arrive pas à me connecter depuis la mise à jour. Très gênant !")
        XCTAssertEqual(try parse("latin1.eml").from, Mailbox(address: "andre@exemple.fr", name: "André Lefèvre"))
        XCTAssertEqual(try parse("latin1.eml").subject, "Problème de connexion")
        XCTAssertEqual(try parse("windows-1252.eml").text, "We were told it’s “free” but paid €50 – why?")
        XCTAssertEqual(try parse("mislabelled-latin1.eml").text, "It’s “broken” … café", "Latin-1 labels are read as Windows-1252")
        XCTAssertEqual(try parse("iso-8859-15.eml").text, "Der Preis beträgt 20 €, nicht 25 €.")
        XCTAssertEqual(try parse("iso-8859-15.eml").subject, "Preis in €")
        XCTAssertEqual(Charset.decode(Array("naïve".utf8), charset: nil), "naïve", "unlabelled UTF-8 stays UTF-8")
        XCTAssertEqual(Charset.decode([0x63, 0x61, 0x66, 0xE9], charset: "us-ascii"), "café")
        XCTAssertEqual(Charset.decode([0xC4, 0xE5], charset: "koi8-r"), "дЕ")
    }

    func testEncodedWordSubjectsAndNames() throws {
        let mail = try parse("encoded-subject.eml")
        XCTAssertEqual(mail.subject, "パスワードを忘れました (café) and plain")
        XCTAssertEqual(mail.from?.name, "山田太郎")
        XCTAssertEqual(mail.text, "パスワードを忘れました。")
    }

    func testAttachmentsWithRFC2231AndEncodedNames() throws {
        let mail = try parse("attachments-rfc2231.eml")
        XCTAssertEqual(mail.text, "See the attached files.")
        XCTAssertEqual(mail.attachments.map(\.name), ["écran de démarrage.png", "résumé.txt", "passwd"],
                       "names decoded; no directories")
        XCTAssertEqual(mail.attachments.map(\.type), ["image/png", "text/plain", "application/octet-stream"])
        XCTAssertEqual(Array(mail.attachments[0].data.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
        XCTAssertEqual(String(decoding: mail.attachments[1].data, as: UTF8.self), "line one\nline two café\n")
        XCTAssertEqual(mail.attachments[2].data, [0, 1, 2, 3, 4])
    }

    func testForwardedMessagesAndInlineImagesAreAttachments() throws {
        let forwarded = try parse("forwarded.eml")
        XCTAssertEqual(forwarded.text, "See the complaint below.")
        XCTAssertEqual(forwarded.attachments.map(\.name), ["complaint.eml"])
        XCTAssertEqual(forwarded.attachments.first?.type, "message/rfc822")
        XCTAssertTrue(String(decoding: forwarded.attachments[0].data, as: UTF8.self).contains("I am not happy."))

        let outlook = try parse("outlook-related.eml")  // CRLF line ends, multipart/related
        XCTAssertEqual(outlook.text, "Hello,\n\nScreenshot: [error dialog]\n\nFrank")
        XCTAssertEqual(outlook.attachments.map(\.name), ["image001.png"])
    }

    func testThreadingHeaders() throws {
        XCTAssertEqual(try parse("reply-in-reply-to.eml").threadReferences, ["CAF=plain.1@mail.example.com"])
        XCTAssertEqual(try parse("reply-references.eml").threadReferences,
                       ["not-ours@x.example", "CAF=plain.1@mail.example.com", "unknown.0@elsewhere.example"])
    }

    func testRobotsAreRecognised() throws {
        func kind(_ name: String) throws -> AutomaticMail? {
            let mail = try parse(name)
            return Intake.classify(headers: mail.headers, from: mail.sender?.address ?? "", contentType: mail.contentType,
                                   deskAddresses: ["support@acme.example"])
        }
        XCTAssertEqual(try kind("auto-reply.eml"), .autoReply)
        XCTAssertEqual(try kind("bulk.eml"), .bulk)
        XCTAssertEqual(try kind("bounce.eml"), .bounce)
        XCTAssertNil(try kind("reply-by-tag.eml"))
        let bounce = try parse("bounce.eml")
        XCTAssertTrue(bounce.text.contains("User unknown"))
        XCTAssertEqual(bounce.attachments.map(\.type), ["message/delivery-status", "message/rfc822"])
    }

    func testGarbageIsNotAMessage() throws {
        XCTAssertThrowsError(try MailParser.parse([UInt8](try MailHarness.corpus("garbage.bin"))))
        XCTAssertThrowsError(try MailParser.parse([]))
    }

    func testComposedMailReadsBackAsWritten() throws {
        let outgoing = OutgoingMail(
            from: Mailbox(address: "support@acme.example", name: "Acme Support"),
            replyTo: Mailbox(address: "help@acme.example", name: "Acme Support"),
            to: Mailbox(address: "andre@exemple.fr", name: "André Lefèvre"),
            subject: "Re: Problème de connexion [#4]\nBcc: injected@evil.example",
            messageID: "helpdesk.4.1.abc@acme.example", inReplyTo: "latin1.4@exemple.fr",
            references: ["first@x", "latin1.4@exemple.fr"], date: Date(timeIntervalSince1970: 1_800_000_000),
            body: "Bonjour André,\n\nEssayez ceci — merci.\n\nA line that is very long " + String(repeating: "word ", count: 40),
            autoSubmitted: "auto-replied", extraHeaders: [("X-Helpdesk-Ticket", "4")])
        let bytes = MailComposer.compose(outgoing)
        let text = String(decoding: bytes, as: UTF8.self)
        XCTAssertTrue(bytes.allSatisfy { $0 < 0x80 }, "the message is 7-bit clean: \(text)")
        XCTAssertFalse(text.contains("\r\n"), "LF line ends for sendmail")
        XCTAssertFalse(text.contains("\nBcc:"), "a subject cannot add headers")
        XCTAssertTrue(text.contains("Message-Id: <helpdesk.4.1.abc@acme.example>") || text.contains("Message-ID: <helpdesk.4.1.abc@acme.example>"))
        XCTAssertTrue(text.contains("In-Reply-To: <latin1.4@exemple.fr>"))
        XCTAssertTrue(text.contains("Auto-Submitted: auto-replied"))
        XCTAssertTrue(text.lowercased().contains("content-type: text/plain; charset=utf-8"))
        XCTAssertTrue(text.split(separator: "\n").allSatisfy { $0.count <= 998 })

        let back = try MailParser.parse(bytes)
        XCTAssertEqual(back.from, outgoing.from)
        XCTAssertEqual(back.replyTo, outgoing.replyTo)
        XCTAssertEqual(back.to, [outgoing.to])
        XCTAssertEqual(back.subject, "Re: Problème de connexion [#4] Bcc: injected@evil.example")
        XCTAssertEqual(back.messageID, outgoing.messageID)
        XCTAssertEqual(back.inReplyTo, ["latin1.4@exemple.fr"])
        XCTAssertEqual(back.references, outgoing.references)
        XCTAssertEqual(back.date, outgoing.date)
        XCTAssertEqual(back.text, outgoing.body)
        XCTAssertEqual(back.header("X-Helpdesk-Ticket"), "4")
    }

    func testStoreKeepsBytesUnderTheirHashDurably() throws {
        let root = try makeTemporaryDirectory().file("store")
        let store = MailStore(root: root)
        let bytes = Array("hello\n".utf8)
        let hash = try store.put(bytes)
        XCTAssertEqual(hash, "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03")
        XCTAssertEqual(try store.put(bytes), hash, "the same bytes are kept once")
        XCTAssertEqual(try store.get(hash), bytes)
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(root)/blobs/58/\(hash)"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: "\(root)/tmp"), [], "no temporary files left")
        // A damaged blob is noticed, not served.
        try Data("jello\n".utf8).write(to: URL(fileURLWithPath: store.path(ofBlob: hash)))
        XCTAssertThrowsError(try store.get(hash))

        try store.quarantine(QuarantineEntry(sha256: hash, reason: "cannot be read", receivedAt: Date(timeIntervalSince1970: 5),
                                             size: 6, from: nil, subject: "s"))
        XCTAssertEqual(try store.quarantined().map(\.reason), ["cannot be read"])
        XCTAssertEqual(try store.quarantined(matching: String(hash.prefix(6))).count, 1)
        try store.markReleased(hash)
        XCTAssertTrue(try store.quarantined().isEmpty)
        XCTAssertEqual(try store.released().map(\.sha256), [hash])
    }

    func testConfigurationErrorsNameTheLineAndKey() throws {
        let config = try MailConfig.parse("""
            address: support@acme.example
            name: Acme Support
            subject_tag: "Acme #"
            acknowledge: true
            acknowledgement:
              subject: "Got it: {subject}"
              body: "Hi {name}, ticket {tag}."
            """, path: "c.yaml")
        XCTAssertEqual(config.domain, "acme.example")
        XCTAssertEqual(config.intakeSettings, IntakeSettings(subjectTag: "Acme #", acknowledge: true))
        XCTAssertEqual(config.render(config.acknowledgementBody, customerName: "Jane", ticket: 7, subject: "x"),
                       "Hi Jane, ticket [Acme #7].")
        XCTAssertThrowsError(try MailConfig.parse("address: support@acme.example\nsendmial: x\n", path: "c.yaml")) { error in
            XCTAssertEqual("\(error)", "c.yaml, line 2: unknown key sendmial")
        }
        XCTAssertThrowsError(try MailConfig.parse("address: nobody\n", path: "c.yaml"))
    }
}
