import Glibc

/// The process's environment, read one variable at a time.
/// `ProcessInfo.environment` builds a dictionary of every variable first: measured at 8% of a
/// `helpdesk show` on the demo desk, which reads two of them.
public struct EnvironmentVariables: ExpressibleByDictionaryLiteral, Sendable {
    private let variables: [String: String]?

    /// This process's own environment.
    public static let process = EnvironmentVariables(variables: nil)

    /// Given variables, for a caller that has them as a dictionary already (and for tests).
    public init(_ variables: [String: String]) { self.init(variables: variables) }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(variables: Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    private init(variables: [String: String]?) { self.variables = variables }

    public subscript(name: String) -> String? {
        guard let variables else { return getenv(name).map { String(cString: $0) } }
        return variables[name]
    }
}
