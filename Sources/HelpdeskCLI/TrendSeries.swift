import Foundation
import HelpdeskConsole
import HelpdeskCore

/// One figure of the report per period, as the table, the terminal's charts, CSV and the HTML
/// page show it: the one list of what `report --by` shows, in order.
struct TrendSeries {
    enum Unit { case count, seconds, ratio, rating }

    /// The HTML report's chart the figure is drawn in, in this order.
    enum Chart: String, CaseIterable {
        case tickets, backlog, firstResponse = "first-response", resolution, sla, satisfaction

        var title: String {
            switch self {
            case .tickets: "Tickets opened and solved"
            case .backlog: "Backlog at each period's end"
            case .firstResponse: "First response time (median and 90th percentile)"
            case .resolution: "Resolution time (median and 90th percentile)"
            case .sla: "SLA compliance per target"
            case .satisfaction: "Satisfaction (average rating, 1-5)"
            }
        }
    }

    /// "first response median"
    var name: String
    /// Its column in the table: "1ST RESP".
    var column: String
    var unit: Unit
    /// One value per period; nil where there was nothing to measure.
    var values: [Double?]
    /// The theme role its chart is drawn in.
    var role: HelpdeskConsole.Role
    var chart: Chart

    static func all(_ trend: TrendReport) -> [TrendSeries] {
        let periods = trend.periods
        func count(_ name: String, _ column: String, _ role: HelpdeskConsole.Role, _ chart: Chart,
                   _ value: (TrendReport.Period) -> Int) -> TrendSeries {
            TrendSeries(name: name, column: column, unit: .count, values: periods.map { Double(value($0)) }, role: role,
                        chart: chart)
        }
        func time(_ name: String, _ column: String, _ chart: Chart, _ value: (TrendReport.Period) -> TimeInterval?) -> TrendSeries {
            TrendSeries(name: name, column: column, unit: .seconds, values: periods.map(value), role: .note, chart: chart)
        }
        var series = [
            count("opened", "OPENED", .customerMessage, .tickets) { $0.opened },
            count("solved", "SOLVED", .reply, .tickets) { $0.solved },
            count("backlog", "BACKLOG", .atRisk, .backlog) { $0.backlog },
            time("first response median", "1ST RESP", .firstResponse) { $0.firstResponse.median },
            time("first response p90", "P90", .firstResponse) { $0.firstResponse.p90 },
            time("resolution median", "RESOLUTION", .resolution) { $0.resolution.median },
            time("resolution p90", "P90", .resolution) { $0.resolution.p90 },
        ]
        for target in SLATarget.allCases {
            series.append(TrendSeries(
                name: "SLA \(target.name)", column: "SLA " + target.shortColumn, unit: .ratio,
                values: periods.map { period in period.compliance.first { $0.target == target }?.rate },
                role: .reply, chart: .sla))
        }
        series.append(TrendSeries(name: "satisfaction", column: "CSAT", unit: .rating,
                                  values: periods.map(\.averageRating), role: .presence,
                                  chart: .satisfaction))
        return series
    }

    /// A value as people read it: 12, 1h 5m, 93.5%, 4.2; "-" for none.
    func format(_ value: Double?) -> String {
        guard let value else { return "-" }
        switch unit {
        case .count: return String(Int(value))
        case .seconds: return Output.duration(value)
        case .ratio: return Output.percent(value)
        case .rating: return String(format: "%.1f", value)
        }
    }
}

extension SLATarget {
    /// "FIRST", "NEXT", "RES": the table's SLA columns.
    var shortColumn: String {
        switch self {
        case .firstResponse: "FIRST"
        case .nextResponse: "NEXT"
        case .resolution: "RES"
        }
    }
}
