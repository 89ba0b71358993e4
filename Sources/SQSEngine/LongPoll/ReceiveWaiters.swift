import OrderedCollections

/// The receives waiting on each queue (long polls), woken when something changes.
///
/// Not `Sendable`: owned by the ``QueueEngine`` actor. A waiter is woken by a send, a visibility
/// change, a timer set for the moment the next message becomes visible, its own deadline, its
/// task's cancellation, or shutdown. A woken waiter re-checks the queue; nothing polls.
struct ReceiveWaiters {
    /// Per queue, its waiters in arrival order (ids only grow), so the longest-waiting is woken first.
    private var waiters: [Int64: OrderedDictionary<UInt64, CheckedContinuation<Void, Never>>] = [:]
    private var nextID: UInt64 = 0

    /// Reserves an id for a waiter.
    mutating func makeID() -> UInt64 {
        nextID &+= 1
        return nextID
    }

    /// Registers a waiter on `queueID`.
    mutating func add(queueID: Int64, id: UInt64, continuation: CheckedContinuation<Void, Never>) {
        waiters[queueID, default: [:]][id] = continuation
    }

    /// Wakes one waiter, if still waiting.
    mutating func wake(queueID: Int64, id: UInt64) {
        if let continuation = waiters[queueID]?.removeValue(forKey: id) {
            if waiters[queueID]?.isEmpty == true { waiters[queueID] = nil }
            continuation.resume()
        }
    }

    /// Wakes the `count` longest-waiting receives of a queue: one per message made available, so a
    /// send does not wake every long poll of the queue only for all but one to find nothing.
    mutating func wake(queueID: Int64, count: Int) {
        guard count > 0, var queueWaiters = waiters[queueID] else { return }
        let woken = queueWaiters.elements.prefix(count).map(\.value)
        queueWaiters.removeFirst(woken.count)
        waiters[queueID] = queueWaiters.isEmpty ? nil : queueWaiters
        for continuation in woken {
            continuation.resume()
        }
    }

    /// Wakes every waiter of a queue.
    mutating func wakeAll(queueID: Int64) {
        guard let queueWaiters = waiters.removeValue(forKey: queueID) else { return }
        for continuation in queueWaiters.values {
            continuation.resume()
        }
    }

    /// Wakes every waiter of every queue.
    mutating func wakeEverything() {
        let all = waiters
        waiters.removeAll()
        for queueWaiters in all.values {
            for continuation in queueWaiters.values {
                continuation.resume()
            }
        }
    }

    /// Whether anyone waits on `queueID`.
    func hasWaiters(queueID: Int64) -> Bool {
        waiters[queueID]?.isEmpty == false
    }

    /// The number of waiting receives.
    var count: Int { waiters.values.reduce(0) { $0 + $1.count } }
}
