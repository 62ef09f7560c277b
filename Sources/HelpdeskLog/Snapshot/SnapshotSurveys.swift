import Foundation
import HelpdeskCore

/// The survey state in the snapshot's eager part: settings, opt-outs, and who waits to be asked.
extension SnapshotCodec {
    static func surveyState(_ state: SurveyState, _ out: inout BinaryWriter) {
        out.optionalInt(state.settings.csatDelay)
        out.optionalInt(state.settings.npsEvery)
        out.varint(UInt64(state.optedOut.count))
        for customer in state.optedOut.sorted() { out.int(customer) }
        out.varint(UInt64(state.csatWaiting.count))
        for (ticket, at) in state.csatWaiting.sorted(by: { $0.key < $1.key }) { out.int(ticket); out.date(at) }
        out.varint(UInt64(state.npsSolved.count))
        for (customer, solve) in state.npsSolved.sorted(by: { $0.key < $1.key }) {
            out.int(customer); out.int(solve.ticket); out.date(solve.at)
        }
        out.varint(UInt64(state.npsAsked.count))
        for (customer, at) in state.npsAsked.sorted(by: { $0.key < $1.key }) { out.int(customer); out.date(at) }
        out.varint(UInt64(state.recentNPS.count))
        for answer in state.recentNPS { out.int(answer.score); out.date(answer.at) }
    }

    static func surveyState(_ input: inout BinaryReader) throws -> SurveyState {
        let settings = SurveySettings(csatDelay: try input.optionalInt(), npsEvery: try input.optionalInt())
        var optedOut = Set<Int>()
        for _ in 0..<(try input.elementCount()) { optedOut.insert(try input.int()) }
        var csatWaiting: [Int: Date] = [:]
        for _ in 0..<(try input.elementCount()) { csatWaiting[try input.int()] = try input.date() }
        var npsSolved: [Int: NPSSolve] = [:]
        for _ in 0..<(try input.elementCount()) {
            npsSolved[try input.int()] = NPSSolve(ticket: try input.int(), at: try input.date())
        }
        var npsAsked: [Int: Date] = [:]
        for _ in 0..<(try input.elementCount()) { npsAsked[try input.int()] = try input.date() }
        var recentNPS: [(score: Int, at: Date)] = []
        for _ in 0..<(try input.elementCount()) { recentNPS.append((try input.int(), try input.date())) }
        return SurveyState(settings: settings, optedOut: optedOut, csatWaiting: csatWaiting, npsSolved: npsSolved,
                           npsAsked: npsAsked, recentNPS: recentNPS)
    }
}
