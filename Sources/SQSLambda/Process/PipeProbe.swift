#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tells how many bytes wait in a function process's stdout or stderr pipe: what the process wrote
/// that its reader has not taken yet.
///
/// swift-subprocess reads the pipe and keeps its descriptor to itself, so the probe is a second
/// read end of the same pipe, opened through `/proc/<pid>/fd/<n>` while the process runs, and never
/// read from (it asks with `FIONREAD`, which never blocks). It is `nil` where `/proc` does not
/// give it (another platform, a `/proc` mounted with `hidepid`), or when the process has already
/// put something else than a pipe on that descriptor.
///
/// ## Sendable
/// The descriptor is immutable, and closed when the probe goes away.
final class PipeProbe: Sendable {
    private let descriptor: Int32

    /// Opens the probe for the descriptor `descriptor` (1 or 2) of process `processID`.
    init?(processID: Int32, descriptor: Int32) {
        let path = "/proc/\(processID)/fd/\(descriptor)"
        var target = [CChar](repeating: 0, count: 64)
        let length = readlink(path, &target, target.count - 1)
        guard length > 0, String(decoding: target.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self).hasPrefix("pipe:")
        else { return nil }
        let opened = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard opened >= 0 else { return nil }
        self.descriptor = opened
    }

    deinit {
        close(descriptor)
    }

    /// The number of bytes waiting to be read.
    var pendingBytes: Int {
        var count: Int32 = 0
        #if os(Linux)
        guard ioctl(descriptor, UInt(FIONREAD), &count) == 0 else { return 0 }
        #else
        guard ioctl(descriptor, FIONREAD, &count) == 0 else { return 0 }
        #endif
        return Int(count)
    }
}
