#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The real clock: `CLOCK_REALTIME` for timestamps, `Task.sleep` for waits.
public struct SystemClock: EngineClock {
    /// Creates the system clock.
    public init() {}

    public func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(milliseconds: Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000)
    }

    public func sleep(until deadline: Timestamp) async throws {
        let delta = deadline.milliseconds - now().milliseconds
        if delta > 0 {
            try await Task.sleep(for: .milliseconds(delta))
        } else {
            try Task.checkCancellation()
        }
    }
}
