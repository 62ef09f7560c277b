/// The arguments the bench knows, so that a misspelt one is refused rather than ignored (a run
/// of every benchmark on big desks takes the better part of an hour).
enum BenchArguments {
    static let withValue: Set<String> = ["--sizes", "--dir", "--postgres", "--helpdesk", "--replay-runs"]
    static let flags: Set<String> = [
        "--keep", "--only-postgres", "--only-search", "--skip-search", "--only-ingest", "--only-console",
        "--only-replay", "--only-startup", "--only-at", "--only-memory", "--only-reports", "--skip-python",
    ]

    /// What is wrong with the first argument that is neither a known flag nor a known option
    /// followed by its value; nil when every one is.
    static func problem(in arguments: [String]) -> String? {
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            if withValue.contains(argument) {
                guard index + 1 < arguments.endIndex else { return "\(argument) needs a value" }
                index += 2
            } else if flags.contains(argument) {
                index += 1
            } else {
                return "unknown argument \(argument)"
            }
        }
        return nil
    }
}
