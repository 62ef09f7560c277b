import Foundation

/// A change to the desk's SLA policy (targets, business hours, holidays).
public enum SLAPolicyCommand: Equatable, Sendable {
    /// Targets not given keep their current value.
    case setTargets(priority: Priority, firstResponse: TimeInterval?, nextResponse: TimeInterval?, resolution: TimeInterval?)
    case setHours(String, timeZone: String)
    case clearHours
    case addHoliday(String)
    case removeHoliday(String)
}

/// Who may change the policy (supervisors) and what a valid policy is.
public enum SLARules {
    /// The longest target the desk accepts: a year.
    static let longest: TimeInterval = 366 * 86_400

    public static func decide(_ command: SLAPolicyCommand, by actor: String, on desk: Desk) throws(Refusal) -> [Event] {
        let agent = try Rules.onRoster(actor, desk)
        guard agent.isSupervisor else {
            throw Refusal(.notAllowed, "only supervisors change the SLA policy; \(actor) is an agent")
        }
        let policy = desk.slaPolicy
        switch command {
        case .setTargets(let priority, let first, let next, let resolution):
            guard first != nil || next != nil || resolution != nil else {
                throw Refusal(.invalid, "give at least one of --first-response, --next-response and --resolution")
            }
            let current = policy.targets(for: priority)
            func checked(_ value: TimeInterval?, _ name: String, _ old: TimeInterval) throws(Refusal) -> Int {
                guard let value else { return Int(old) }
                guard value >= 1, value <= longest, value == value.rounded() else {
                    throw Refusal(.invalid, "the \(name) target must be whole seconds from 1s to 366d")
                }
                return Int(value)
            }
            let f = try checked(first, "first response", current.firstResponse)
            let n = try checked(next, "next response", current.nextResponse)
            let r = try checked(resolution, "resolution", current.resolution)
            guard SLATargets(firstResponse: TimeInterval(f), nextResponse: TimeInterval(n), resolution: TimeInterval(r)) != current
            else {
                throw Refusal(.conflict, "the \(priority.rawValue) targets are already those; nothing to change")
            }
            return [.slaTargetsSet(priority: priority, firstResponse: f, nextResponse: n, resolution: r)]
        case .setHours(let text, let zone):
            let hours = try BusinessHours.parse(text, timeZone: zone)
            guard hours.weeklySeconds > 0 else { throw Refusal(.invalid, "those business hours have no time in them") }
            guard policy.hours?.text != hours.text || policy.hours?.timeZoneID != zone else {
                throw Refusal(.conflict, "the business hours are already \(hours.text) (\(zone))")
            }
            return [.businessHoursSet(hours: hours.text, timeZone: zone)]
        case .clearHours:
            guard policy.hours != nil else { throw Refusal(.conflict, "no business hours are set; clocks already run around the clock") }
            return [.businessHoursCleared]
        case .addHoliday(let text):
            let day = try holiday(text)
            guard !policy.holidays.contains(day.text) else { throw Refusal(.conflict, "\(day.text) is already a holiday") }
            return [.holidayAdded(date: day.text)]
        case .removeHoliday(let text):
            let day = try holiday(text)
            guard policy.holidays.contains(day.text) else { throw Refusal(.notFound, "\(day.text) is not a holiday") }
            return [.holidayRemoved(date: day.text)]
        }
    }

    private static func holiday(_ text: String) throws(Refusal) -> CivilDay {
        guard let day = CivilDay(text: text.trimmingCharacters(in: .whitespaces)) else {
            throw Refusal(.invalid, "bad date '\(text)': write a holiday as YYYY-MM-DD, e.g. 2026-12-25")
        }
        return day
    }
}
