import NIOCore
import Synchronization

/// The open connections of one ``HTTPServer``, kept so that they can all be closed at once when the
/// server's task is cancelled.
///
/// Graceful shutdown does not use this: `ServerQuiescingHelper` lets in-flight requests finish. This
/// is the hard stop, which closes connections mid-request (their responders' tasks are then cancelled).
final class HTTPChannelRegistry: Sendable {
    private struct State {
        var channels: [ObjectIdentifier: any Channel] = [:]
        var isClosed = false
    }

    private let state = Mutex(State())

    /// Tracks `channel` until it closes; closes it at once if ``closeAll()`` was already called.
    ///
    /// - Parameter channel: A newly accepted connection.
    func register(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        let accepted = self.state.withLock { state in
            guard !state.isClosed else { return false }
            state.channels[id] = channel
            return true
        }
        guard accepted else {
            channel.close(promise: nil)
            return
        }
        channel.closeFuture.whenComplete { [weak self] _ in
            _ = self?.state.withLock { $0.channels.removeValue(forKey: id) }
        }
    }

    /// Closes every tracked connection, and every connection registered from now on.
    func closeAll() {
        let channels = self.state.withLock { state in
            state.isClosed = true
            defer { state.channels.removeAll() }
            return Array(state.channels.values)
        }
        for channel in channels {
            channel.close(promise: nil)
        }
    }
}
