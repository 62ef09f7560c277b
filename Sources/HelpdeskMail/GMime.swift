import CGMime
import Foundation

/// GMime, started once per process.
enum GMime {
    static let started: Bool = {
        g_mime_init()
        return true
    }()
}
