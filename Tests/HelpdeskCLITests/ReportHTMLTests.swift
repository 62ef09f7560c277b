import XCTest

/// `report --format html -o FILE`: one page that needs nothing from outside, names escaped,
/// written never through a symlink, and drawn by a real browser (headless chromium).
final class ReportHTMLTests: CLITestCase {
    static let charts = ["chart-tickets", "chart-backlog", "chart-first-response", "chart-resolution", "chart-sla",
                         "chart-satisfaction"]

    func html(_ arguments: String...) throws -> String {
        let path = cli.desk.folder.file("report.html")
        let result = try cli.run(["report", "--format", "html", "-o", path] + arguments)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "")
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    func testThePageNeedsNothingFromOutsideAndEscapesNames() throws {
        try cli.setUpDesk(agents: [("zoe", ["--name", "<b>\"Zoë\" & 'co'</b><script>alert(1)</script>"])])
        try cli.newTicket(subject: "<img src=x onerror=alert(1)>")
        let page = try html()
        XCTAssertTrue(page.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(page.contains("<td>&lt;b&gt;&quot;Zoë&quot; &amp; &#39;co&#39;&lt;/b&gt;&lt;script&gt;alert(1)&lt;/script&gt;</td>"),
                      "the agent's name, escaped")
        XCTAssertFalse(page.contains("<b>\"Zoë\""))
        for outside in ["<script", "<link", "<img", "<iframe", "<object", "src=", "href=", "url(", "@import"] {
            XCTAssertFalse(page.contains(outside), "the page holds \(outside)")
        }
        XCTAssertEqual(page.components(separatedBy: "http").count - 1,
                       page.components(separatedBy: "xmlns=\"http://www.w3.org/2000/svg\"").count - 1,
                       "no address but the SVG namespace (a name, never fetched)")
        for chart in Self.charts { XCTAssertTrue(page.contains("<svg class=\"chart\" id=\"\(chart)\""), chart) }
        XCTAssertEqual(page.components(separatedBy: "<table>").count - 1, 2, "per period and per agent")
    }

    func testTheFileIsNeverWrittenThroughASymlink() throws {
        try cli.setUpDesk()
        let victim = cli.desk.folder.file("victim"), planted = cli.desk.folder.file("report.html")
        try Data("precious\n".utf8).write(to: URL(fileURLWithPath: victim))
        try FileManager.default.createSymbolicLink(atPath: planted, withDestinationPath: victim)
        let result = try cli.run(["report", "--format", "html", "-o", planted])
        let message = cli.assertOneLineError(result, status: 74, ["report", "--format", "html", "-o", planted])
        XCTAssertTrue(message.contains("cannot write \(planted)"), message)
        XCTAssertEqual(try String(contentsOfFile: victim, encoding: .utf8), "precious\n")
    }

    /// Every chart drawn with marks of non-zero size, nothing fetched, and a screenshot of the page
    /// (kept in $HELPDESK_TEST_SCREENSHOTS when that names a folder).
    func testEveryChartRendersInHeadlessChromium() throws {
        guard let chromium = Processes.which("chromium") else {
            throw XCTSkip("chromium is not installed (apt-get install chromium): the HTML report is not drawn in a browser")
        }
        try cli.ok("generate", "--tickets", "500", "--seed", "11", "--out", cli.logPath)
        try cli.desk.moveFileFixtureIntoStore()
        let page = try html("--by", "day", "--since", "2026-10-15")
        let measured = cli.desk.folder.file("measured.html")
        try page.replacingOccurrences(of: "</body>", with: Self.measuringScript + "</body>")
            .write(toFile: measured, atomically: false, encoding: .utf8)

        let dom = try runChromium(chromium, ["--dump-dom", "file://" + measured])
        let start = try XCTUnwrap(dom.range(of: "<pre id=\"measured\">"), "the page's script did not run: \(dom.prefix(300))")
        let end = try XCTUnwrap(dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex))
        let json = String(dom[start.upperBound..<end.lowerBound])
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], json)
        XCTAssertEqual(report["fetched"] as? Int, 0, "the page fetched nothing")
        let charts = try XCTUnwrap(report["charts"] as? [[String: Any]])
        XCTAssertEqual(charts.compactMap { $0["id"] as? String }, Self.charts)
        for chart in charts {
            let id = chart["id"] as? String ?? "?"
            XCTAssertGreaterThan(chart["width"] as? Double ?? 0, 300, "\(id) is drawn wide")
            XCTAssertGreaterThan(chart["height"] as? Double ?? 0, 100, "\(id) is drawn tall")
            XCTAssertGreaterThan(chart["marks"] as? Int ?? 0, 5, "\(id) has bars or lines")
            XCTAssertEqual(chart["unseen"] as? Int, 0, "\(id): every bar, line and point has a size on the page")
            XCTAssertGreaterThanOrEqual(chart["ticks"] as? Int ?? 0, 3, "\(id) has a labelled axis")
        }

        let screenshot = cli.desk.folder.file("report.png")
        _ = try runChromium(chromium, ["--hide-scrollbars", "--window-size=1280,1600", "--screenshot=" + screenshot,
                                       "file://" + cli.desk.folder.file("report.html")])
        let png = try Data(contentsOf: URL(fileURLWithPath: screenshot))
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG")
        let size = png.subdata(in: 16..<24).map { UInt32($0) }
        XCTAssertEqual(size[0] << 24 | size[1] << 16 | size[2] << 8 | size[3], 1280)
        XCTAssertGreaterThan(png.count, 50_000, "a page with charts, not a blank one")
        if let folder = ProcessInfo.processInfo.environment["HELPDESK_TEST_SCREENSHOTS"], !folder.isEmpty {
            try? FileManager.default.removeItem(atPath: folder + "/report.png")
            try FileManager.default.copyItem(atPath: screenshot, toPath: folder + "/report.png")
        }
    }

    /// Runs headless chromium with a profile of its own in the test's folder; its stdout.
    func runChromium(_ chromium: String, _ arguments: [String]) throws -> String {
        let profile = cli.desk.folder.file("chromium-profile")
        let started = try Processes.start(
            chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                       "--user-data-dir=" + profile] + arguments,
            environment: ["HOME": cli.desk.path, "PATH": "/usr/bin:/bin"], in: cli.desk.path)
        guard Processes.waitUntil(timeout: 120, { !Processes.alive(started.pid) }) else {
            kill(started.pid, SIGKILL)
            _ = started.wait()
            XCTFail("chromium did not finish within 120 s")
            throw TestStop("chromium did not finish within 120 s")
        }
        let ran = started.wait()
        XCTAssertEqual(ran.status, 0, "chromium: \(ran.stderr.suffix(2000))")
        return ran.stdout
    }

    /// Added to a copy of the page for the test only (the report itself has no script): measures
    /// what the browser drew.
    static let measuringScript = """
        <script>
        const charts = [...document.querySelectorAll('svg.chart')].map(svg => {
          const box = svg.getBoundingClientRect();
          const marks = [...svg.querySelectorAll('rect.bar, path.line, circle.point')];
          const unseen = marks.filter(mark => {
            const r = mark.getBoundingClientRect();
            return !(r.width > 0 || r.height > 0) || getComputedStyle(mark).visibility === 'hidden';
          });
          return {id: svg.id, width: box.width, height: box.height, marks: marks.length, unseen: unseen.length,
                  ticks: svg.querySelectorAll('text.tick').length};
        });
        const pre = document.createElement('pre');
        pre.id = 'measured';
        pre.textContent = JSON.stringify({charts, fetched: performance.getEntriesByType('resource').length});
        document.body.appendChild(pre);
        </script>

        """
}
