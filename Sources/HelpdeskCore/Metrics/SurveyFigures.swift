import Foundation

/// What a survey came to over a period: how many were sent and answered, and the answers.
public struct SurveyFigures: Equatable, Sendable {
    public var kind: SurveyKind
    /// Surveys queued in the period.
    public var sent: Int
    /// The answers given in the period (of a customer who answered again, the latest).
    public var scores: [Int]

    public init(kind: SurveyKind, sent: Int = 0, scores: [Int] = []) {
        self.kind = kind
        self.sent = sent
        self.scores = scores
    }

    public var answered: Int { scores.count }
    /// Answers per survey sent (an answer in the period to a survey sent before it counts too).
    public var responseRate: Double? { sent == 0 ? nil : min(1, Double(answered) / Double(sent)) }
    public var average: Double? { scores.isEmpty ? nil : Double(scores.reduce(0, +)) / Double(scores.count) }

    /// CSAT: the share of answers that are 4 or 5.
    public var satisfiedRate: Double? { share { $0 >= 4 } }

    /// NPS: promoters answer 9-10, detractors 0-6, passives 7-8.
    public var promoters: Int { scores.filter { $0 >= 9 }.count }
    public var passives: Int { scores.filter { (7...8).contains($0) }.count }
    public var detractors: Int { scores.filter { $0 <= 6 }.count }
    /// % promoters minus % detractors, from -100 to 100; nil without answers.
    public var netPromoterScore: Double? {
        scores.isEmpty ? nil : (Double(promoters) - Double(detractors)) * 100 / Double(scores.count)
    }

    private func share(_ matches: (Int) -> Bool) -> Double? {
        scores.isEmpty ? nil : Double(scores.filter(matches).count) / Double(scores.count)
    }

    /// Adds the survey events of one ticket's history entry that fall in the period.
    mutating func count(_ event: Event) {
        switch event {
        case .surveyQueued(_, _, kind): sent += 1
        case .surveyAnswered(_, kind, let score, _): scores.append(score)
        default: break
        }
    }
}
