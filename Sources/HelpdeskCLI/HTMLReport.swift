import Foundation
import HelpdeskCore

/// `report --format html`: one self-contained page to mail (inline CSS and SVG; nothing fetched,
/// no script): the whole range's figures, a chart per figure per period, the periods' table and
/// the agents' table. Every name and label is escaped.
enum HTMLReport {
    static let palettes: [TrendSeries.Chart: [String]] = [
        .tickets: ["#2f6fdf", "#2e9d5b"], .backlog: ["#d9822b"], .firstResponse: ["#7353ba", "#c2477f"],
        .resolution: ["#7353ba", "#c2477f"], .sla: ["#2f6fdf", "#1a9aa8", "#2e9d5b"], .satisfaction: ["#c99a06"],
    ]

    static func page(_ trend: TrendReport, whole: DeskReport) -> String {
        let series = TrendSeries.all(trend)
        // On the charts' axes: 10-19, W44, 2026-11.
        let labels = trend.periods.map { trend.length == .month ? $0.label : String($0.label.dropFirst(5)) }
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTMLText.escape(TrendText.heading(trend)))</title>
            <style>\(style)</style>
            </head>
            <body>
            <header>
            <h1>Helpdesk report by \(trend.length.rawValue)</h1>
            <p class="range">\(HTMLText.escape(range(trend)))</p>
            </header>

            """
        html += summary(whole, trend: trend)
        html += "<section class=\"charts\">\n"
        for chart in TrendSeries.Chart.allCases {
            let members = series.filter { $0.chart == chart }
            html += figure(chart, members, labels: labels)
        }
        html += "</section>\n"
        html += table(id: "periods", title: "Per \(trend.length.rawValue)", header: ["Period"] + series.map { $0.name.prefix(1).uppercased() + $0.name.dropFirst() },
                      rows: trend.periods.indices.map { index in
                          [trend.periods[index].label] + series.map { $0.format($0.values[index]) }
                      })
        html += table(id: "agents",
                      title: "Per agent, \(moment(whole.since, trend.timeZone)) to \(moment(whole.until, trend.timeZone))",
                      header: ["Agent", "Name", "Assigned open", "Solved", "Replies", "First responses", "Median first response"],
                      rows: whole.agents.map { agent in
                          var row = ReportCommand.agentRow(agent)
                          row.insert(agent.name, at: 1)
                          return row
                      })
        html += "<footer>Made by helpdesk report at \(moment(whole.until, trend.timeZone)) "
            + "\(HTMLText.escape(trend.timeZone.identifier)).</footer>\n"
        html += "</body>\n</html>\n"
        return html
    }

    static func range(_ trend: TrendReport) -> String {
        guard let first = trend.periods.first, let last = trend.periods.last else { return "" }
        return "\(moment(first.since, trend.timeZone)) to \(moment(last.until, trend.timeZone)) · \(trend.periods.count) "
            + "\(trend.length.rawValue)s in \(trend.timeZone.identifier)"
            + TrendText.scope(trend)
    }

    /// "2026-11-30 16:07" in the zone the periods are cut in.
    static func moment(_ date: Date, _ zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!)
    }

    /// The whole range at a glance, as the one-period report counts it.
    static func summary(_ whole: DeskReport, trend: TrendReport) -> String {
        var cards: [(String, String)] = [
            ("Opened", String(whole.opened)), ("Solved", String(whole.solved)), ("Backlog now", String(whole.backlog)),
            ("First response, median", Output.duration(whole.firstResponse.median)),
            ("Resolution, median", Output.duration(whole.resolution.median)),
        ]
        for entry in whole.compliance {
            cards.append(("SLA \(entry.target.name)", Output.percent(entry.rate)))
        }
        cards.append(("Satisfaction", whole.averageRating.map { String(format: "%.1f", $0) } ?? "-"))
        let note = trend.agent == nil ? "" : "<p class=\"note\">The summary and the agents' table count the whole desk.</p>\n"
        return "<section class=\"summary\">\n" + cards.map { title, value in
            "<div class=\"card\"><div class=\"value\">\(HTMLText.escape(value))</div>"
                + "<div class=\"title\">\(HTMLText.escape(title))</div></div>"
        }.joined(separator: "\n") + "\n</section>\n" + note
    }

    static func figure(_ chart: TrendSeries.Chart, _ members: [TrendSeries], labels: [String]) -> String {
        let palette = palettes[chart] ?? ["#2f6fdf"]
        let unit = members[0].unit
        // Durations are drawn in the unit that suits the longest, so that the ticks are round.
        let largest = members.flatMap { $0.values.compactMap { $0 } }.max() ?? 0
        let (scale, suffix): (Double, String) = unit != .seconds ? (1, "")
            : largest >= 3 * 86_400 ? (86_400, "d") : largest >= 2 * 3600 ? (3600, "h") : (60, "m")
        let lines = members.enumerated().map { index, member in
            SVGChart.Line(name: member.name, colour: palette[index % palette.count],
                          values: member.values.map { $0.map { $0 / scale } })
        }
        let svg = SVGChart(
            id: "chart-\(chart.rawValue)", style: chart == .tickets || chart == .satisfaction ? .bars : .lines,
            labels: labels, lines: lines, fixedAxis: unit == .ratio ? (1, 0.25) : unit == .rating ? (5, 1) : nil,
            tickText: { tick in
                switch unit {
                case .ratio: "\(Int((tick * 100).rounded()))%"
                case .seconds, .count, .rating: SVGChart.number(tick) + suffix
                }
            },
            valueText: { members[0].format($0 * scale) })
        let legend = lines.map { line in
            "<span class=\"key\"><span class=\"swatch\" style=\"background:\(line.colour)\"></span>\(HTMLText.escape(line.name))</span>"
        }.joined(separator: " ")
        return "<figure>\n<figcaption>\(HTMLText.escape(chart.title))</figcaption>\n\(svg.svg())\n"
            + "<div class=\"legend\">\(legend)</div>\n</figure>\n"
    }

    static func table(id: String, title: String, header: [String], rows: [[String]]) -> String {
        var html = "<section class=\"table\" id=\"\(id)\">\n<h2>\(HTMLText.escape(title))</h2>\n<table>\n<thead><tr>"
        html += header.map { "<th>\(HTMLText.escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in rows {
            html += "<tr>" + row.map { "<td>\(HTMLText.escape($0))</td>" }.joined() + "</tr>\n"
        }
        return html + "</tbody>\n</table>\n</section>\n"
    }

    static let style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2430;\
        background:#f5f6f8;margin:0;padding:24px 32px;font-size:14px}
        header h1{margin:0 0 4px;font-size:24px}
        .range{margin:0 0 20px;color:#5b6170}
        .summary{display:grid;grid-template-columns:repeat(auto-fit,minmax(116px,1fr));gap:12px;margin-bottom:8px}
        .card{background:#fff;border:1px solid #dde0e6;border-radius:8px;padding:12px 16px}
        .card .value{font-size:21px;font-weight:600;white-space:nowrap}
        .card .title{color:#5b6170;font-size:12px;margin-top:2px}
        .note{color:#5b6170;font-size:12px}
        .charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(460px,1fr));gap:16px;margin:20px 0}
        figure{background:#fff;border:1px solid #dde0e6;border-radius:8px;margin:0;padding:12px 14px}
        figcaption{font-weight:600;margin-bottom:6px}
        svg.chart{width:100%;height:auto;display:block}
        svg .grid{stroke:#e6e8ee;stroke-width:1}
        svg .axis{stroke:#9aa0ac;stroke-width:1}
        svg .tick,svg .label{fill:#5b6170;font-size:11px;font-family:inherit}
        svg .line{fill:none;stroke-width:2;stroke-linejoin:round;stroke-linecap:round}
        .legend{font-size:12px;color:#5b6170;margin-top:4px}
        .key{margin-right:14px;white-space:nowrap}
        .swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px}
        .table{background:#fff;border:1px solid #dde0e6;border-radius:8px;padding:12px 14px;margin-bottom:16px;overflow-x:auto}
        h2{font-size:16px;margin:0 0 8px}
        table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
        th,td{padding:4px 10px;text-align:right;white-space:nowrap;border-bottom:1px solid #eceef2}
        th:first-child,td:first-child{text-align:left}
        #agents th:nth-child(2),#agents td:nth-child(2){text-align:left}
        th{font-weight:600;color:#5b6170;font-size:12px;white-space:normal;vertical-align:bottom}
        footer{color:#8a909c;font-size:12px;margin-top:12px}
        """
}
