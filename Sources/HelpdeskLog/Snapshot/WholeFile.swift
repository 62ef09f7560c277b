import Foundation

extension DeskFolder {
    /// Writes the file `name` whole: what `fill` writes goes to a new file under a name no one
    /// could guess and plant a link at (O_EXCL|O_NOFOLLOW), synced if `sync`, then renamed over
    /// `name`, so a reader sees the old file or the new one, never half of one. When `fill`
    /// returns false or throws, nothing is left behind and `name` is as it was.
    func writeWhole(_ name: String, mode: mode_t, sync: Bool, fill: (inout BufferedWriter) throws -> Bool) throws -> Bool {
        let temporary = try createTemporary(prefix: name + ".tmp-", mode: mode)
        let file = LogFile(path: pathOf(temporary.name), fd: temporary.fd)
        do {
            var output = BufferedWriter(file: file)
            guard try fill(&output) else {
                removeOwnFile(temporary.name)
                return false
            }
            try output.flush()
            if sync { try file.sync() }
            try rename(temporary.name, to: name)
            return true
        } catch {
            removeOwnFile(temporary.name)
            throw error
        }
    }
}
