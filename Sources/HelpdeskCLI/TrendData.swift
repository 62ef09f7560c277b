import CSV
import Foundation
import HelpdeskCore
import HelpdeskLog

/// `report --by` for scripts and spreadsheets: JSON (field names are a contract) and CSV.
enum TrendData {
    static func json(_ trend: TrendReport) -> JSONValue {
        .object([
            ("by", .string(trend.length.rawValue)), ("time_zone", .string(trend.timeZone.identifier)),
            ("agent", JSONValue(trend.agent)), ("group", JSONValue(trend.group)),
            ("since", Output.time(trend.periods.first?.since)), ("until", Output.time(trend.periods.last?.until)),
            ("periods", .array(trend.periods.map { period in
                .object([
                    ("period", .string(period.label)), ("since", Output.time(period.since)),
                    ("until", Output.time(period.until)),
                    ("opened", JSONValue(period.opened)), ("solved", JSONValue(period.solved)),
                    ("backlog", JSONValue(period.backlog)),
                    ("first_response", ReportCommand.distributionJSON(period.firstResponse)),
                    ("resolution", ReportCommand.distributionJSON(period.resolution)),
                    ("sla_compliance", ReportCommand.complianceJSON(period.compliance)),
                    ("satisfaction", .object([
                        ("average", ReportCommand.ratingJSON(period.averageRating)),
                        ("ratings", JSONValue(period.ratings)),
                    ])),
                ])
            })),
        ])
    }

    static let csvHeader: [String] = {
        var header = ["period", "since", "until", "opened", "solved", "backlog"]
        for figure in ["first_response", "resolution"] {
            header += ["\(figure)_count", "\(figure)_median_seconds", "\(figure)_p90_seconds"]
        }
        for target in SLATarget.allCases {
            header += ["sla_\(target.rawValue)_met", "sla_\(target.rawValue)_breached", "sla_\(target.rawValue)_rate"]
        }
        return header + ["satisfaction_average", "satisfaction_ratings"]
    }()

    /// A header row, then a row per period, quoted as RFC 4180 says (what `export --format csv` writes).
    static func csv(_ trend: TrendReport) throws -> [UInt8] {
        func number(_ value: JSONValue) -> String {
            value == .null ? "" : value.serializedString()
        }
        let writer = try CSVWriter(stream: .toMemory())
        try writer.write(row: csvHeader)
        for period in trend.periods {
            var row = [period.label, Timestamp.format(period.since), Timestamp.format(period.until),
                       String(period.opened), String(period.solved), String(period.backlog)]
            for spread in [period.firstResponse, period.resolution] {
                row += [String(spread.count), number(Output.seconds(spread.median)), number(Output.seconds(spread.p90))]
            }
            for entry in period.compliance {
                row += [String(entry.metInTime), String(entry.breached), number(Output.ratio(entry.rate))]
            }
            row += [number(ReportCommand.ratingJSON(period.averageRating)), String(period.ratings)]
            try writer.write(row: row)
        }
        writer.stream.close()
        let data = writer.stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        return [UInt8](data) + [10]
    }
}
