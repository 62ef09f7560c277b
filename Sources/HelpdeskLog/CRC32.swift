import CRecordScan

/// CRC-32 as zlib computes it (IEEE 802.3, reflected, polynomial 0xEDB88320), so a record's
/// checksum can be checked by anyone: `python3 -c 'import zlib; print(hex(zlib.crc32(b"...")))'`.
/// Every byte of the log passes through here on a replay: long runs are folded with
/// carry-less multiplication where the processor has it (Sources/CRecordScan, about ten times
/// faster), the rest go slicing-by-8 (eight bytes per step through eight tables).
enum CRC32 {
    /// Whether long runs go to `helpdesk_crc32_fold`.
    static let folds = helpdesk_crc32_fold_available() != 0

    /// Table k maps a byte to its contribution k bytes further on; table 0 is the classic one.
    static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 8 * 256)
        for n in 0..<256 {
            var c = UInt32(n)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            tables[n] = c
        }
        for k in 1..<8 {
            for n in 0..<256 {
                let previous = tables[(k - 1) * 256 + n]
                tables[k * 256 + n] = tables[Int(previous & 0xFF)] ^ (previous >> 8)
            }
        }
        return tables
    }()

    static func checksum(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        update(0, with: bytes)
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer(checksum)
    }

    /// The checksum of what `crc` covered followed by `bytes` (0 for nothing yet).
    static func update(_ crc: UInt32, with bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        guard let start = bytes.baseAddress, bytes.count >= 64, folds else { return tableUpdate(crc, with: bytes) }
        let folded = bytes.count & ~15
        let crc = ~helpdesk_crc32_fold(start, folded, ~crc)
        return tableUpdate(crc, with: UnsafeBufferPointer(rebasing: bytes[folded...]))
    }

    /// `update` through the tables alone.
    static func tableUpdate(_ crc: UInt32, with bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        guard var p = bytes.baseAddress else { return crc }
        var remaining = bytes.count
        var crc = ~crc
        tables.withUnsafeBufferPointer { tables in
            let t = tables.baseAddress!
            while remaining >= 8 {
                let word = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self).littleEndian ^ UInt64(crc)
                crc = t[7 * 256 + Int(word & 0xFF)] ^ t[6 * 256 + Int((word >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((word >> 16) & 0xFF)] ^ t[4 * 256 + Int((word >> 24) & 0xFF)]
                    ^ t[3 * 256 + Int((word >> 32) & 0xFF)] ^ t[2 * 256 + Int((word >> 40) & 0xFF)]
                    ^ t[1 * 256 + Int((word >> 48) & 0xFF)] ^ t[Int(word >> 56)]
                p += 8
                remaining -= 8
            }
            while remaining > 0 {
                crc = t[Int((crc ^ UInt32(p.pointee)) & 0xFF)] ^ (crc >> 8)
                p += 1
                remaining -= 1
            }
        }
        return ~crc
    }
}
