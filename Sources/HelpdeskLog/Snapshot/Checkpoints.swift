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
    /// The checkpoints' total size, in sizes of the newest one. The newest and the day-old one take
    /// two; the other four leave no replay longer than about a ninth of the log's records (on the
    /// 10M-event desk about 1.1M, which `status --at` replays in well under 2 s), where a cap of 4
    /// left a fifth.
    public static let sizeCap = 6.0

    struct Entry: Equatable {
        var name: String
        var seq: Int
        var at: Date
        var size: Int64
    }

    static func folderName(of snapshotPath: String) -> String { DeskFolder.name(of: snapshotPath) + ".checkpoints" }

    /// After a snapshot covering up to a record at `at` was written at `snapshotPath`: keeps it as
    /// the newest checkpoint, then prunes (of the hour's others only the newest stays: see
    /// `kept`). The newest is the snapshot itself, so it stands in for a snapshot deleted or
    /// damaged at no cost but its records since. Failures are left unsaid: checkpoints only save time.
    static func keep(snapshotPath: String, seq: Int, at: Date) {
        guard let desk = try? DeskFolder.containing(snapshotPath),
              let folder = try? desk.folder(folderName(of: snapshotPath), create: true) else { return }
        let entries = list(folder)
        if let newest = entries.first, newest.seq >= seq { return }
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
    /// more than `sizeCap` times the newest's size, those that leave the longest replay (in
    /// records, from one kept to the next or from the log's start) shortest within the cap. Older
    /// ones are smaller, so they lie closer together where that costs less. The newest one a day
    /// or more older than the newest always stays: any moment of the last day, the one looked at
    /// most, stays a replay of about a day's records.
    static func kept(_ entries: [Entry]) -> [Entry] {
        guard let newest = entries.first else { return [] }
        var buckets = Set<Int64>()
        var candidates: [Entry] = []
        for entry in entries {
            let age = newest.at.timeIntervalSince(entry.at)
            let width: TimeInterval = age < 86_400 ? 3600 : age < 30 * 86_400 ? 86_400 : 7 * 86_400
            let bucket = Int64((entry.at.timeIntervalSince1970 / width).rounded(.down)) * 10 + (width == 3600 ? 1 : width == 86_400 ? 2 : 3)
            if entry == newest || buckets.insert(bucket).inserted { candidates.append(entry) }
        }
        let cap = Int64(Double(newest.size) * sizeCap)
        guard candidates.reduce(0, { $0 + $1.size }) > cap else { return candidates }
        let dayOld = candidates.first { newest.at.timeIntervalSince($0.at) >= 86_400 }
        // The shortest longest replay whose checkpoints fit the cap: a binary search over its length.
        var fitting = covering(candidates, longestReplay: newest.seq, keeping: dayOld)
        var low = 1, high = newest.seq
        while low < high {
            let middle = (low + high) / 2
            let chosen = covering(candidates, longestReplay: middle, keeping: dayOld)
            if let chosen, chosen.reduce(0, { $0 + $1.size }) <= cap {
                fitting = chosen
                high = middle
            } else {
                low = middle + 1
            }
        }
        return fitting ?? [newest] + (dayOld.map { [$0] } ?? [])
    }

    /// The fewest of `candidates` (newest first) from the newest back that leave no replay longer
    /// than `longestReplay` records, each step reaching as far back as it can (older is smaller),
    /// with `dayOld` among them; nil when a gap between candidates is longer.
    private static func covering(_ candidates: [Entry], longestReplay: Int, keeping dayOld: Entry?) -> [Entry]? {
        var chosen = [candidates[0]]
        var index = 0
        while candidates[index].seq > longestReplay {
            let current = candidates[index]
            var next = index + 1
            guard next < candidates.count, current.seq - candidates[next].seq <= longestReplay else { return nil }
            while next + 1 < candidates.count, current.seq - candidates[next + 1].seq <= longestReplay,
                  candidates[next] != dayOld {
                next += 1
            }
            chosen.append(candidates[next])
            index = next
        }
        if let dayOld, !chosen.contains(dayOld) {
            chosen.append(dayOld)
            chosen.sort { ($0.seq, $0.at) > ($1.seq, $1.at) }
        }
        return chosen
    }

    private static func prune(_ folder: DeskFolder, keeping entries: [Entry]) {
        let keep = Set(kept(entries).map(\.name))
        for entry in entries where !keep.contains(entry.name) {
            // Whoever wrote it may remove it; in the sticky folder others' files stay until their owner prunes.
            folder.removeOwnFile(entry.name)
        }
    }
}
