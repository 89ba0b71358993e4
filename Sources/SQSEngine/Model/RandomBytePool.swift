#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Random 64-bit words from the kernel's generator (`/dev/urandom`), read 2 KiB at a time.
///
/// Every request takes an id (its request id, a message id): one `getrandom` system call per
/// 64-bit word, as `SystemRandomNumberGenerator` makes, showed in SendMessage's profile. The words
/// are as unpredictable as the generator's (they come from the same source), only fetched in
/// bulk; the pool is behind a lock, uncontended in practice.
final class RandomBytePool: Sendable {
    /// The process's pool.
    static let shared = RandomBytePool()

    private static let words = 256

    private struct State: ~Copyable {
        var words = [UInt64](repeating: 0, count: RandomBytePool.words)
        var next = RandomBytePool.words
    }

    private let state = Mutex(State())

    /// The next random word.
    func next() -> UInt64 {
        state.withLock { state in
            if state.next == Self.words {
                state.words.withUnsafeMutableBytes { fill($0) }
                state.next = 0
            }
            defer { state.next += 1 }
            return state.words[state.next]
        }
    }

    /// `/dev/urandom`, opened once (`-1` where it cannot be: a jail without `/dev`).
    private let device: Int32

    private init() {
        #if canImport(Darwin)
        device = -1
        #else
        device = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        #endif
    }

    deinit {
        if device >= 0 { close(device) }
    }

    /// Fills `buffer` from the kernel; what it cannot read comes from the standard library's generator.
    private func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        var filled = 0
        #if canImport(Darwin)
        arc4random_buf(buffer.baseAddress!, buffer.count)
        filled = buffer.count
        #else
        while device >= 0, filled < buffer.count {
            let count = read(device, buffer.baseAddress! + filled, buffer.count - filled)
            if count > 0 {
                filled += count
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                break
            }
        }
        #endif
        if filled < buffer.count {
            var generator = SystemRandomNumberGenerator()
            for offset in stride(from: filled & ~7, to: buffer.count, by: 8) {
                buffer.storeBytes(of: generator.next(), toByteOffset: offset, as: UInt64.self)
            }
        }
    }
}

/// A `RandomNumberGenerator` over ``RandomBytePool/shared``.
struct PooledRandomNumberGenerator: RandomNumberGenerator {
    mutating func next() -> UInt64 { RandomBytePool.shared.next() }
}
