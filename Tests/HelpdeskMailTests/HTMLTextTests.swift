import Foundation
import XCTest
@testable import HelpdeskMail

/// HTML as mail clients really write it, through libxml2 to text: broken markup, Word and
/// Outlook's extras, entities, hostile nesting and bytes.
final class HTMLTextTests: XCTestCase {
    func text(_ html: String) -> String { HTMLText.text(fromHTML: html) }

    func testUnclosedParagraphsItemsAndCells() {
        XCTAssertEqual(text("<p>one<p>two<ul><li>a<li>b</ul><table><tr><td>x<td>y<tr><th>z<td>w</table>after</div></span>"),
                       "one\n\ntwo\n\n- a\n- b\n\nx  y\nz  w\n\nafter")
        XCTAssertEqual(text("<body><p>no end tags at all<p>second"), "no end tags at all\n\nsecond")
    }

    func testNestedListsAreIndentedUnderTheirItem() {
        XCTAssertEqual(text("<p>Steps:<ol><li>open<li>click<ul><li>left<li>right<ol><li>twice</ol></ul><li>done</ol>Thanks"),
                       "Steps:\n\n- open\n- click\n  - left\n  - right\n    - twice\n- done\n\nThanks")
    }

    func testWordAndOutlookMarkup() {
        let html = """
            <html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"
            xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">
            <head><meta http-equiv=Content-Type content="text/html; charset=windows-1252">
            <meta name=Generator content="Microsoft Word 15 (filtered medium)">
            <!--[if gte mso 9]><xml>
            <o:shapedefaults v:ext="edit" spidmax="1026" />
            </xml><![endif]-->
            <xml><w:WordDocument><w:TrackMoves>false</w:TrackMoves><w:View>Normal</w:View></w:WordDocument></xml>
            <style><!--
            /* Font Definitions */
            p.MsoNormal, li.MsoNormal {margin:0cm; font-size:11.0pt; font-family:"Calibri",sans-serif;}
            span.EmailStyle17 {mso-style-type:personal-compose;}
            @page WordSection1 {size:612.0pt 792.0pt;}
            --></style>
            </head>
            <body lang=EN-GB link="#0563C1" vlink="#954F72" style='word-wrap:break-word'>
            <div class=WordSection1>
            <p class=MsoNormal>Hi team,<o:p></o:p></p>
            <p class=MsoNormal><o:p>&nbsp;</o:p></p>
            <p class=MsoNormal>The export fails since Monday&#8217;s update:<o:p></o:p></p>
            <p class=MsoListParagraph style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span
            style='font-family:Symbol'><span style='mso-list:Ignore'>&middot;<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;
            </span></span></span><![endif]>Excel export<o:p></o:p></p>
            <!--[if mso]><p>Only Outlook shows this</p><![endif]-->
            <p class=MsoNormal><b><span style='color:#1F497D;mso-fareast-language:EN-US'>Frank Miller</span></b>
            <span style='mso-fareast-language:EN-US'><br>Support &amp; Services<o:p></o:p></span></p>
            </div>
            </body>
            </html>
            """
        XCTAssertEqual(text(html), """
            Hi team,

            The export fails since Monday’s update:

            ·  Excel export

            Frank Miller
            Support & Services
            """)
    }

    func testEntitiesDecode() {
        XCTAssertEqual(text("Wait&hellip; 10&nbsp;kg &#x1F600; &#128512; &mdash; caf&eacute; &amp;lt; &lt;b&gt; &quot;q&quot; &apos; &copy; &euro;"),
                       "Wait… 10 kg 😀 😀 — café &lt; <b> \"q\" ' © €")
        XCTAssertEqual(text("&Eacute;&AElig;&szlig;&rsquo;&ldquo;&rdquo;&trade;&frac12;&alpha;&Omega;&larr;&hearts;"), "ÉÆß’“”™½αΩ←♥")
        XCTAssertEqual(text("it&#146;s &#150; &#x80;5"), "it’s – €5", "C1 references mean Windows-1252, as browsers read them")
        XCTAssertEqual(text("<a href='https://x.example/?a=1&amp;b=2&#38;c=&#x33;'>go</a>"), "go (https://x.example/?a=1&b=2&c=3)")
        XCTAssertEqual(text("AT&T & co &unknownentity; &#xZZ; &# &#; #&#39 &#0; &#xD800; &#1114112"),
                       "AT&T & co &unknownentity; &#xZZ; &# &#; #' \u{FFFD} \u{FFFD} \u{FFFD}", "what is no reference stays as written")
    }

    func testScriptsStylesAndCommentsVanish() {
        let html = """
            <head><title>Invoice</title><script>var a = "<p>not text</p>";</script></head>
            <body><style>.x { color: red }</style><!-- hidden --><p>Visible</p>
            <script type="text/javascript">if (a < b && c > d) { alert('x') }</script>
            <!--[if !mso]><!-- --><p>shown</p><!--<![endif]--><![CDATA[bogus]]><!foo bar>end
            """
        XCTAssertEqual(text(html), "Visible\n\nshown\n\nend")
    }

    func testPreformattedTextKeepsItsSpaces() {
        XCTAssertEqual(text("<p>a   <b>b</b>\n <i>c</i></p><pre>  x   y\r\n    z\n</pre>after"),
                       "a b c\n\n  x   y\n    z\n\nafter")
    }

    func testLinksAndImages() {
        XCTAssertEqual(text("""
            <a href="https://shop.example/o/1">your order</a>, <a href="https://shop.example">https://shop.example</a>,
            <a href="mailto:help@shop.example">help@shop.example</a>, <a href="mailto:help@shop.example">write</a>,
            <a href="#top">top</a>, <a href="javascript:void(0)">menu</a>, <a href="https://e.example/x"></a>
            <a href="https://shop.example/logo"><img src="cid:logo" alt="Shop logo"></a> <img src="spacer.gif"> <img alt="  ">
            """), "your order (https://shop.example/o/1), https://shop.example, help@shop.example, write (help@shop.example), "
            + "top, menu, https://e.example/x [Shop logo] (https://shop.example/logo)")
    }

    func testTablesBlocksAndRules() {
        XCTAssertEqual(text("<table><tr><th>Item</th><th>Price</th></tr>\n<tr>\n<td>Lid</td>\n<td>&pound;5</td>\n</tr></table>"
                            + "<blockquote>quoted<blockquote>deeper</blockquote></blockquote>one<br>two<br><br><br>three<hr>four"),
                       "Item  Price\nLid  £5\n\nquoted\n\ndeeper\n\none\ntwo\n\nthree\n----\nfour")
    }

    func testAMetaCharsetDoesNotOverrideTheDecodedText() {
        XCTAssertEqual(text("<meta charset=iso-8859-1><p>café — 東京</p>"), "café — 東京")
    }

    func testNestingBombReturnsWithoutCrashing() {
        let bomb = "<p>before</p>" + String(repeating: "<div><b><table><tr><td>", count: 10_000) + "deep" + "<p>after</p>"
        XCTAssertTrue(text(bomb).hasPrefix("before"))
        let lists = "<p>before</p>" + String(repeating: "<ul><li>x", count: 10_000)
        XCTAssertTrue(text(lists).hasPrefix("before\n\n- x\n  - x"))
        // Nesting a real mail thread reaches (200 quotes) is kept whole.
        let thread = String(repeating: "<blockquote>q", count: 200) + "deep" + String(repeating: "</blockquote>", count: 200) + "<p>after"
        XCTAssertTrue(text(thread).hasSuffix("q\n\nqdeep\n\nafter"))
    }

    func testNULsAndInvalidBytes() throws {
        XCTAssertEqual(text("\u{0}<p title='a\u{0}b'>start\u{0}ed</p><pre>p\u{0}q</pre><!-- \u{0} --><p>end"), "started\n\npq\n\nend")
        XCTAssertEqual(text(String(decoding: [0x3C, 0x70, 0x3E, 0x61, 0xFF, 0xFE, 0x62, 0xC3], as: UTF8.self)), "a\u{FFFD}\u{FFFD}b\u{FFFD}")
        XCTAssertEqual(text(""), "")
        XCTAssertEqual(text("<html><body></body></html>"), "")

        // Through the mail parser: bytes that are not UTF-8 despite the label read as Windows-1252.
        var mail = Array("From: a@example.com\nTo: support@acme.example\nSubject: x\nMIME-Version: 1.0\n".utf8)
        mail += Array("Content-Type: text/html; charset=utf-8\n\n<p>caf".utf8) + [0xE9, 0x00, 0x96] + Array(" ok</p>\n".utf8)
        let parsed = try MailParser.parse(mail)
        XCTAssertTrue(parsed.textFromHTML)
        XCTAssertEqual(parsed.text, "café– ok")
    }
}
