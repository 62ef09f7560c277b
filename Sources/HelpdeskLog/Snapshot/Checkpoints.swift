import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Older snapshots kept so that the desk at a past moment is a checkpoint and a short replay
/// (`DeskLog(location:asOf:)`). Each is a hard link to a snapshot as it was written, in
/// `<snapshot>.checkpoints/`, named `SEQ-MILLIS.snapshot` after its last record. Kept hourly
/// over the last day, daily over the last month, weekly beyond (the desk's time, from the newest
/// one), at most `sizeCap` times the newest one's size in all, thinned evenly over the log. Derived
/// like the snapshot: safe to delete, and one that does not fit the log is passed over.
public enum Checkpoints {
    /// A new checkpoint is kept when the newest is at least this much older.
    public static let spacing: TimeInterval = 3600
    /// The checkpoints' total size, in sizes of the newest one.
    public static let sizeCap = 4.0

    struct Entry: Equatable {
        var name: String
        var seq: Int
        var at: Date
        var size: Int64
    }

    static func folderName(of snapshotPath: String) -> String { DeskFolder.name(of: snapshotPath) + ".checkpoints" }

    /// After a snapshot covering up to a record at `at` was written at `snapshotPath`: keeps it as
    /// a checkpoint when one is due, then prunes. Failures are left unsaid: checkpoints only save time.
    static func keep(snapshotPath: String, seq: Int, at: Date) {
        guard let desk = try? DeskFolder.containing(snapshotPath),
              let folder = try? desk.folder(folderName(of: snapshotPath), create: true) else { return }
        let entries = list(folder)
        if let newest = entries.first, at.timeIntervalSince(newest.at) < spacing { return }
        let name = "\(seq)-\(Int64((at.timeIntervalSince1970 * 1000).rounded())).snapshot"
        guard (try? desk.link(DeskFolder.name(of: snapshotPath), to: name, in: folder)) == true else { return }
        prune(folder, keeping: list(folder))
    }

    /// The checkpoints' paths whose last record is at or before `moment`, newest first.
    static func paths(snapshotPath: String, before moment: Date) -> [String] {
        guard let desk = try? DeskFolder.containing(snapshotPath),
              let folder = try? desk.folder(folderName(of: snapshotPath), create: false) else { return [] }
        return list(folder).filter { $0.at <= moment }.map { folder.pathOf($0.name) }
    }

    /// The checkpoints in `folder`, newest first (regular files only, by their names).
    static func list(_ folder: DeskFolder) -> [Entry] {
        folder.names().compactMap { name -> Entry? in
            guard name.hasSuffix(".snapshot") else { return nil }
            let parts = name.dropLast(".snapshot".count).split(separator: "-")
            guard parts.count == 2, let seq = Int(parts[0]), let millis = Int64(parts[1]),
                  let info = folder.status(of: name), info.st_mode & S_IFMT == S_IFREG else { return nil }
            return Entry(name: name, seq: seq, at: Date(timeIntervalSince1970: Double(millis) / 1000), size: Int64(info.st_size))
        }.sorted { ($0.seq, $0.at) > ($1.seq, $1.at) }
    }

    /// Which of `entries` (newest first) are kept: the newest, and the newest of each hour in the
    /// day before it, of each day in the month before, of each week beyond; then, while they are
    /// more than `sizeCap` times the newest's size, the one whose going leaves the smallest gap
    /// (in records) goes, so that those left still cover the whole log evenly. The newest one a
    /// day or more older than the newest never goes: any moment of the last day, the one looked
    /// at most, stays a replay of about a day's records.
    static func kept(_ entries: [Entry]) -> [Entry] {
        guard let newest = entries.first else { return [] }
        var buckets = Set<Int64>()
        var kept: [Entry] = []
        for entry in entries {
            let age = newest.at.timeIntervalSince(entry.at)
            let width: TimeInterval = age < 86_400 ? 3600 : age < 30 * 86_400 ? 86_400 : 7 * 86_400
            let bucket = Int64((entry.at.timeIntervalSince1970 / width).rounded(.down)) * 10 + (width == 3600 ? 1 : width == 86_400 ? 2 : 3)
            if entry == newest || buckets.insert(bucket).inserted { kept.append(entry) }
        }
        let cap = Int64(Double(newest.size) * sizeCap)
        var total = kept.reduce(0) { $0 + $1.size }
        let dayOld = kept.first { newest.at.timeIntervalSince($0.at) >= 86_400 }
        while total > cap {
            // kept[i] sits between kept[i - 1] (newer) and kept[i + 1] (older, or the log's start).
            let candidates = (1..<kept.count).filter { kept[$0] != dayOld }
            func gap(_ index: Int) -> Int { kept[index - 1].seq - (index + 1 < kept.count ? kept[index + 1].seq : 0) }
            guard let index = candidates.min(by: { gap($0) < gap($1) }) else { break }
            total -= kept[index].size
            kept.remove(at: index)
        }
        return kept
    }

    private static func prune(_ folder: DeskFolder, keeping entries: [Entry]) {
        let keep = Set(kept(entries).map(\.name))
        for entry in entries where !keep.contains(entry.name) {
            // Whoever wrote it may remove it; in the sticky folder others' files stay until their owner prunes.
            folder.removeOwnFile(entry.name)
        }
    }
}
