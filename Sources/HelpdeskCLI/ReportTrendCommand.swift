import Foundation
import HelpdeskCore

/// `report --by`: the figures per period, for people, scripts, spreadsheets or a page to mail.
extension ReportCommand {
    func runByPeriod(_ length: PeriodLength, format: Format, desk: Desk, now: Date) throws {
        if let agent, desk.agents[agent] == nil {
            throw Refusal(.notFound, "account '\(agent)' is not on the desk's roster")
        }
        try checkGroup(on: desk)
        // A day typed alone is 00:00 where the periods are cut.
        let zone = TrendReport.timeZone(of: desk, otherwise: .current)
        let from = try TimeText.parse(since ?? length.defaultSpan, now: now, timeZone: zone, durations: .ago)
        let trend = TrendReport.make(desk: desk, by: length, since: from, now: now, timeZone: zone, agent: agent,
                                     group: group)
        var answer = Answer()
        switch format {
        case .text:
            let environment = ProcessInfo.processInfo.environment
            let charts = try isatty(STDOUT_FILENO) == 1
                ? TrendText.Charts(theme: FullScreen.theme(named: nil, environment: environment),
                                   colour: FullScreen.useColour(environment: environment)) : nil
            TrendText.render(trend, charts: charts, to: &answer)
        case .json:
            answer.json(TrendData.json(trend))
        case .csv:
            return try write(TrendData.csv(trend))
        case .html:
            let whole = DeskReport.make(desk: desk, since: trend.periods[0].since, now: now, group: group)
            return try write(Array(HTMLReport.page(trend, whole: whole).utf8))
        }
        answer.write()
    }

    /// A file made whole before it is written (-o FILE, never through a symlink), or standard output.
    private func write(_ bytes: [UInt8]) throws {
        let sink = try ExportCommand.Sink(path: output)
        sink.write(bytes)
        sink.close()
        if let output {
            FileHandle.standardError.write(Data((VisibleText.sanitize("wrote the report to \(output)") + "\n").utf8))
        }
    }
}
