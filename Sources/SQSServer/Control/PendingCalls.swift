import Synchronization

/// The calls waiting for the next batch of ``CallDatabase``.
final class PendingCalls: Sendable {
    private let state = Mutex<[CallRecord]>([])

    /// Adds a call; `true` when it is the first of a new batch (the caller schedules the write).
    func append(_ call: CallRecord) -> Bool {
        state.withLock { pending in
            pending.append(call)
            return pending.count == 1
        }
    }

    /// Takes every pending call.
    func take() -> [CallRecord] {
        state.withLock { pending in
            defer { pending.removeAll(keepingCapacity: true) }
            return pending
        }
    }
}
