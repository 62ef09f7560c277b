import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Walks the log's lines from an offset, handing each intact record to a visitor, and tells
/// a torn tail (ignored) from damage in the middle (an error naming the byte offset).
struct LogScanner {
    /// How the scanned part of the file ended.
    struct End: Equatable {
        /// The offset just past the last intact record.
        var validEnd: Int64
        /// The file's size when the scan started.
        var size: Int64
        /// Why the bytes after `validEnd` are not a record (when there are any).
        var tailReason: String?

        var hasTail: Bool { validEnd < size }
    }

    let file: any LogStore
    var chunkSize = 1 << 20

    /// Visits every intact, newline-terminated record from `offset` to the file's current end.
    /// A line that fails its check is a torn tail only if no intact record follows it.
    func scan(from offset: Int64,
              visit: (UnsafeBufferPointer<UInt8>, Int64) throws -> Void) throws -> End {
        let size = try file.size()
        guard size >= offset else { throw LogError.truncated(path: file.path, size: size, expected: offset) }
        // No bigger than what is there to read: a small desk's command need not zero a megabyte.
        var buffer = [UInt8](repeating: 0, count: max(1, min(chunkSize, Int(size - offset))))
        var bufferStart = offset  // file offset of buffer[0]
        var filled = 0
        var validEnd = offset
        var suspect: (offset: Int64, reason: String)?

        while bufferStart + Int64(filled) < size {
            if filled == buffer.count { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
            let want = min(buffer.count - filled, Int(size - bufferStart) - filled)
            let n = try buffer.withUnsafeMutableBytes { raw throws in
                try file.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[filled..<filled + want]),
                              at: bufferStart + Int64(filled))
            }
            if n == 0 { break }  // the file shrank under us; what is left is the tail
            filled += n

            var consumed = 0
            var failure: (any Error)?
            buffer.withUnsafeBufferPointer { bytes in
                while consumed < filled {
                    let rest = UnsafeRawPointer(bytes.baseAddress! + consumed)
                    guard let newline = memchr(rest, 10, filled - consumed) else { break }
                    let length = rest.distance(to: UnsafeRawPointer(newline))
                    let line = UnsafeBufferPointer(rebasing: bytes[consumed..<consumed + length])
                    let lineOffset = bufferStart + Int64(consumed)
                    consumed += length + 1
                    let intact = RecordCodec.isIntact(line)
                    if let suspect {
                        if intact {
                            failure = LogError.damaged(path: file.path, offset: suspect.offset, reason: suspect.reason)
                            return
                        }
                        continue
                    }
                    guard intact else {
                        suspect = (lineOffset, LogScanner.describe(line))
                        continue
                    }
                    do {
                        try visit(line, lineOffset)
                    } catch {
                        failure = error
                        return
                    }
                    validEnd = bufferStart + Int64(consumed)
                }
            }
            if let failure { throw failure }
            buffer.removeSubrange(0..<consumed)
            buffer.append(contentsOf: repeatElement(0, count: consumed))
            bufferStart += Int64(consumed)
            filled -= consumed
        }
        let tailStart = suspect?.offset ?? validEnd
        let reason: String? = if let suspect { suspect.reason }
            else if tailStart < size { "the last record is incomplete (\(size - tailStart) bytes without an end)" }
            else { nil }
        return End(validEnd: validEnd, size: size, tailReason: reason)
    }

    static func describe(_ line: UnsafeBufferPointer<UInt8>) -> String {
        if line.isEmpty { return "an empty line where a record should be" }
        if line.allSatisfy({ $0 == 0 }) { return "\(line.count) zero bytes where a record should be" }
        return "a record that fails its checksum"
    }
}
