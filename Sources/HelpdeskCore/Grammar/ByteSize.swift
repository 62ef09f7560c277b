import Foundation

/// Sizes as people write them in configuration: `20MB`, `500 KB`, `1GB`, `4096` (bytes). Units are
/// binary (1 MB = 1,048,576 bytes), as `attachment` prints them.
public enum ByteSize {
    static let units: [String: Int] = ["": 1, "b": 1, "kb": 1 << 10, "k": 1 << 10, "mb": 1 << 20, "m": 1 << 20,
                                       "gb": 1 << 30, "g": 1 << 30]

    public static func parse(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        guard !digits.isEmpty, digits.count <= 12, let number = Int(digits), let scale = units[unit] else { return nil }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: scale)
        return overflow ? nil : bytes
    }

    /// A size as people read it: "512 B", "12.5 KB", "20.0 MB".
    public static func words(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1024 * 1024 { return String(format: "%.1f KB", Double(bytes) / 1024) }
        return String(format: "%.1f MB", Double(bytes) / 1024 / 1024)
    }
}
