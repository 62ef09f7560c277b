import ArgumentParser
import Foundation
import HelpdeskCore

extension Priority: ExpressibleByArgument {}
extension Channel: ExpressibleByArgument {}
extension Role: ExpressibleByArgument {}
extension PeriodLength: ExpressibleByArgument {}

/// `--status S|all`
enum StatusChoice: ExpressibleByArgument, Equatable {
    case all
    case one(Status)

    init?(argument: String) {
        if argument == "all" { self = .all } else if let status = Status(rawValue: argument) { self = .one(status) } else { return nil }
    }

    static var allValueStrings: [String] { Status.allCases.map(\.rawValue) + ["all"] }
}

