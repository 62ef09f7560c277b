import Foundation
import HelpdeskConsole
import HelpdeskCore

/// `report --by` for people: a heading, in a terminal a sparkline per figure, then a row per period.
enum TrendText {
    /// How the charts are drawn: nil when stdout is not a terminal (no charts); colour unless NO_COLOR.
    struct Charts {
        var theme: Theme
        var colour: Bool
    }

    /// A terminal line holds this many periods' blocks beside the figure's name; older ones are left out.
    static let chartWidth = 60

    static func heading(_ trend: TrendReport) -> String {
        guard let first = trend.periods.first, let last = trend.periods.last else { return "report" }
        return "report by \(trend.length.rawValue) \(Timestamp.format(first.since)) → \(Timestamp.format(last.until))"
            + " (periods in \(trend.timeZone.identifier))" + scope(trend)
    }

    /// Whose tickets the figures count, when not the whole desk's: ` · tickets assigned to alice · group billing`.
    static func scope(_ trend: TrendReport) -> String {
        (trend.agent.map { " · tickets assigned to \($0)" } ?? "") + groupScope(trend.group)
    }

    static func groupScope(_ group: String?) -> String {
        group.map { $0 == "none" ? " · tickets in no group" : " · group \($0)" } ?? ""
    }

    static func render(_ trend: TrendReport, charts: Charts?, to answer: inout Answer) {
        let series = TrendSeries.all(trend)
        answer.line(VisibleText.sanitize(heading(trend)))
        if let charts {
            for figure in series {
                let shown = Array(figure.values.suffix(chartWidth))
                var look = charts.theme.look(figure.role)
                if !charts.colour { look = look.withoutColour }
                let summary = "last \(figure.format(shown.last ?? nil)) · max \(figure.format(shown.compactMap { $0 }.max()))"
                answer.line(figure.name.padding(toLength: 23, withPad: " ", startingAt: 0)
                            + GraphicRendition.paint(Sparkline.draw(shown, unit: figure.unit), look) + "  " + summary)
            }
            if trend.periods.count > chartWidth { answer.line("(charts: the last \(chartWidth) periods)") }
            answer.line()
        }
        answer.table(header: ["PERIOD"] + series.map(\.column),
                     rows: trend.periods.indices.map { index in
                         [trend.periods[index].label] + series.map { $0.format($0.values[index]) }
                     })
    }
}
