// swift-tools-version: 6.0
import PackageDescription

// GMime's and libxml2's headers, where `pkg-config --cflags gmime-3.0 libxml-2.0` puts them. Given
// as include paths, not by `pkgConfig:`, which would also link the libraries, and the dynamic
// loader would map them and the 14 they bring at every start: CMailLibraries loads them on first use.
#if arch(arm64)
let multiarch = "aarch64-linux-gnu"
#else
let multiarch = "x86_64-linux-gnu"
#endif
let mailHeaderPaths = ["/usr/include/gmime-3.0", "/usr/include/glib-2.0", "/usr/lib/\(multiarch)/glib-2.0/include",
                       "/usr/include/libxml2"]

let package = Package(
    name: "helpdesk",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "helpdesk", targets: ["helpdesk"]),
    ],
    dependencies: [
        // Subcommands as small types, with help, usage errors (exit 64) and completions for free.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Theme files: YAML with line numbers on every node, so a bad key is named with its line.
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // CSV export and customer import: RFC 4180 quoting both ways.
        .package(url: "https://github.com/yaslab/CSV.swift", exact: "2.5.2"),
        // Macros' placeholders ({{customer.first_name}}): a maintained Mustache, spec-conformant,
        // pure Swift, no dependencies of its own; rendered as plain text (no HTML escaping).
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
    ],
    targets: [
        // ncursesw through a shim header (see Sources/CNcurses/shim.h for why not pkgConfig); its
        // library loaded by CTerminalAndSearchLibraries.
        .systemLibrary(
            name: "CNcurses",
            path: "Sources/CNcurses",
            providers: [.apt(["libncurses-dev"])]
        ),
        // GMime 3, the MIME parser notmuch uses, through a shim header (see Sources/CGMime/shim.h);
        // its headers by mailHeaderPaths, its library loaded by CMailLibraries.
        .systemLibrary(
            name: "CGMime",
            path: "Sources/CGMime",
            providers: [.apt(["libgmime-3.0-dev"])]
        ),
        // libxml2's HTML parser, for HTML-only mail: a real parser recovers from broken markup the
        // way browsers do (unclosed tags, Word's markup) and knows the entities, where a hand-written
        // scanner kept meeting cases it did not.
        .systemLibrary(
            name: "CLibXML2",
            path: "Sources/CLibXML2",
            providers: [.apt(["libxml2-dev"])]
        ),
        // libpq, PostgreSQL's C client, for the PostgreSQL store (see Sources/HelpdeskLog/Postgres/):
        // its header only; CLoadOnFirstUse loads the library when the store first calls it.
        .systemLibrary(
            name: "CLibPQ",
            path: "Sources/CLibPQ",
            providers: [.apt(["libpq-dev"])]
        ),
        // SQLite with FTS5, for the full-text search index beside the log (see Sources/HelpdeskSearch);
        // its header only, its library loaded by CTerminalAndSearchLibraries.
        .systemLibrary(
            name: "CSQLite",
            path: "Sources/CSQLite",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // setresgid for one thread (see Sources/CThreadIDs/shim.h): a setgid binary's own ids.
        .systemLibrary(name: "CThreadIDs", path: "Sources/CThreadIDs"),
        // The version string: .ci/package defines it from git describe (-Xcc -DHELPDESK_VERSION=…).
        .target(name: "CBuildInfo"),
        // libpq loaded by its first call, not at every start (see its header).
        .target(name: "CLoadOnFirstUse"),
        // GMime and libxml2 likewise, for mail only (see its header).
        .target(
            name: "CMailLibraries",
            dependencies: ["CGMime", "CLibXML2", "CLoadOnFirstUse"],
            cSettings: [.unsafeFlags(mailHeaderPaths.map { "-I" + $0 })]
        ),
        // ncurses and SQLite likewise, for the console and search only (see its header).
        .target(name: "CTerminalAndSearchLibraries", dependencies: ["CNcurses", "CSQLite", "CLoadOnFirstUse"]),
        // The pure domain: events, state, rules, queries. Foundation at most.
        .target(name: "HelpdeskCore"),
        // Every byte on disk: records, checksums, locking, appending, following, repair.
        .target(name: "HelpdeskLog", dependencies: ["HelpdeskCore", "CThreadIDs", "CLibPQ", "CLoadOnFirstUse", "CRecordScan"]),
        // The replay's two byte loops with vector instructions: CRC-32 and stepping over bodies.
        .target(name: "CRecordScan"),
        // The full-text index (SQLite FTS5) derived from the log like the snapshot: built, kept up
        // to date and queried; never a source of truth.
        .target(name: "HelpdeskSearch", dependencies: ["HelpdeskCore", "HelpdeskLog", "CSQLite", "CTerminalAndSearchLibraries"]),
        // The console's crash handler, in C (see its header): async-signal-safe, its state its own.
        .target(name: "CTerminalGuard"),
        // The console: panes drawn onto a cell grid, themes, keys, the poll loop, ncurses.
        .target(
            name: "HelpdeskConsole",
            dependencies: ["HelpdeskCore", "HelpdeskLog", "HelpdeskDesk", "HelpdeskSearch", "CNcurses", "CLoadOnFirstUse",
                           "CTerminalAndSearchLibraries", "CTerminalGuard",
                           .product(name: "Yams", package: "Yams")]
        ),
        // Mail in and out: MIME parsing and composing (GMime), sendmail, the store beside the log.
        .target(
            name: "HelpdeskMail",
            dependencies: ["HelpdeskCore", "HelpdeskLog", "CGMime", "CLibXML2", "CMailLibraries",
                           .product(name: "Yams", package: "Yams")]
        ),
        // The one road by which the desk changes, between the adapters and the log: who acts,
        // commands decided under the lock, escalations due, mail sent after a reply.
        .target(
            name: "HelpdeskDesk",
            dependencies: ["HelpdeskCore", "HelpdeskLog", "HelpdeskMail", "HelpdeskSearch",
                           .product(name: "Mustache", package: "swift-mustache")]
        ),
        // The command line: one small type per subcommand.
        .target(
            name: "HelpdeskCLI",
            dependencies: [
                "CBuildInfo",
                "HelpdeskCore",
                "HelpdeskLog",
                "HelpdeskConsole",
                "HelpdeskDesk",
                "HelpdeskMail",
                "HelpdeskSearch",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "CSV", package: "CSV.swift"),
            ]
        ),
        .executableTarget(name: "helpdesk", dependencies: ["HelpdeskCLI"]),

        // A writer that appends and acknowledges in a loop: the kill -9 tests' victim.
        .executableTarget(
            name: "log-stress-writer",
            dependencies: ["HelpdeskCore", "HelpdeskLog"],
            path: "Tests/LogStressWriter"
        ),
        // The scale benchmarks (replay, snapshots, propagation, memory, appends): Benchmarks/run-scale.
        .executableTarget(
            name: "helpdesk-bench",
            dependencies: ["HelpdeskCore", "HelpdeskLog", "HelpdeskSearch"],
            path: "Benchmarks/ScaleBench"
        ),
        // Keystroke latency of the console against the in-memory screen (Benchmarks/README.md).
        .executableTarget(
            name: "console-bench",
            dependencies: ["HelpdeskConsole", "HelpdeskCore", "HelpdeskLog"],
            path: "Benchmarks/ConsoleBench"
        ),
        .testTarget(name: "HelpdeskCoreTests", dependencies: ["HelpdeskCore"]),
        // The search index on disk: built, updated, rebuilt when damaged, planted files refused.
        .testTarget(
            name: "HelpdeskSearchTests",
            dependencies: ["HelpdeskSearch", "HelpdeskCore", "HelpdeskLog", "HelpdeskTestSupport"]
        ),
        .testTarget(
            name: "HelpdeskLogTests",
            dependencies: ["HelpdeskCore", "HelpdeskLog", "log-stress-writer", "helpdesk", "HelpdeskTestSupport"]
        ),
        .testTarget(name: "HelpdeskCLITests", dependencies: ["helpdesk", "HelpdeskCLI", "HelpdeskTestSupport"]),
        .testTarget(
            name: "HelpdeskMailTests",
            dependencies: ["HelpdeskMail", "HelpdeskCore", "HelpdeskLog", "HelpdeskSearch", "helpdesk", "HelpdeskTestSupport"],
            resources: [.copy("Corpus")]
        ),
        .testTarget(name: "CNcursesTests", dependencies: ["CNcurses", "CTerminalAndSearchLibraries"]),
        // The one road: commands decided under the lock, escalations first, the desk's own actors.
        .testTarget(name: "HelpdeskDeskTests", dependencies: ["HelpdeskDesk", "HelpdeskCore", "HelpdeskLog"]),
        .testTarget(
            name: "HelpdeskConsoleTests",
            dependencies: ["HelpdeskConsole", "HelpdeskCore", "HelpdeskDesk", "HelpdeskLog", "HelpdeskTestSupport"]
        ),
        .testTarget(name: "HelpdeskConsoleE2ETests", dependencies: ["helpdesk", "HelpdeskTestSupport"]),
        // The wallboard drawn on the in-memory grid (issue 4).
        .testTarget(
            name: "HelpdeskWallboardTests",
            dependencies: ["HelpdeskConsole", "HelpdeskCore", "HelpdeskDesk", "HelpdeskLog", "HelpdeskTestSupport"]
        ),
        // Real processes: auto-escalation under concurrency, and `helpdesk watch` over a real sshd.
        .testTarget(name: "HelpdeskSSHTests", dependencies: ["helpdesk", "HelpdeskTestSupport"]),
        // Real throwaway Unix accounts attacking one another through the desk (issue 10; as root).
        .testTarget(name: "HelpdeskTrustTests", dependencies: ["helpdesk", "HelpdeskTestSupport"]),
        // Mail through a real, private, local-only Postfix: in by an alias pipe, out by sendmail,
        // deferral under a held lock, bounces back to the desk (issue 16; as root).
        .testTarget(name: "HelpdeskPostfixTests", dependencies: ["helpdesk", "HelpdeskTestSupport"]),
        // The real PostgreSQL server the store's tests run against: TestPostgres and its cluster.
        // The PostgreSQL store on a real server (TestPostgres): the test cluster, races, kill -9, snapshots.
        .testTarget(
            name: "HelpdeskPostgresTests",
            dependencies: ["HelpdeskCore", "HelpdeskLog", "HelpdeskTestSupport", "helpdesk", "log-stress-writer"]
        ),
        // What the suites share: the built binaries, running them (posix_spawn, output in files),
        // temporary folders and desks, free ports, a private tmux, waits with deadlines.
        .target(name: "HelpdeskTestSupport", path: "Tests/HelpdeskTestSupport"),
    ]
)

// Every Swift module that sees HelpdeskMail's interface reads the GMime and libxml2 headers too.
// A concrete generic type's metadata is made by calling its accessor, not by demangling its name
// at run time: demangling, and the protocol conformances it searches for each requirement, cost
// `show` on the demo desk a tenth of its CPU (3.58 -> 3.20 ms).
for target in package.targets where [.regular, .executable, .test].contains(target.type) {
    target.swiftSettings = (target.swiftSettings ?? []) + [
        .unsafeFlags(mailHeaderPaths.flatMap { ["-Xcc", "-I" + $0] }),
        .unsafeFlags(["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"]),
    ]
}
