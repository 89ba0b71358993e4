import Synchronization

/// A store that keeps a snapshot in memory: for engine tests, and to observe what the engine saves.
///
/// It applies changes exactly as a durable store must, so a second engine loaded from it sees the
/// same state as a restart would.
public final class MemoryQueueStore: QueueStore {
    private struct State {
        var queues: [Int64: QueueRecord] = [:]
        var messages: [Int64: [Int64: MessageRecord]] = [:]
        var submissions = 0
        var highestQueueID: Int64 = 0
        var highestSequence: Int64 = 0
        var deduplications: [DeduplicationKey: DeduplicationRecord] = [:]
        var moveTasks: [String: MoveTaskRecord] = [:]
        var moveTaskOrder: [String] = []
    }

    private struct DeduplicationKey: Hashable {
        var queueID: Int64
        var scope: String
        var deduplicationID: String
    }

    private let state = Mutex(State())

    /// Creates an empty store.
    public init() {}

    /// The number of submissions applied so far.
    public var submissionCount: Int { state.withLock { $0.submissions } }

    public func load() async throws -> StoreSnapshot {
        state.withLock { state in
            let messages = state.messages.values.flatMap(\.values).sorted { $0.sequence < $1.sequence }
            return StoreSnapshot(
                queues: state.queues.values.sorted { $0.id < $1.id }, messages: messages,
                highestQueueID: state.highestQueueID, highestSequence: state.highestSequence,
                deduplications: Array(state.deduplications.values),
                moveTasks: state.moveTaskOrder.compactMap { state.moveTasks[$0] })
        }
    }

    public func submit(_ changes: [StoreChange], completion: @escaping @Sendable (Result<Void, any Error>) -> Void) {
        state.withLock { state in
            state.submissions += 1
            for change in changes {
                switch change {
                case .saveQueue(let queue):
                    state.queues[queue.id] = queue
                    state.highestQueueID = max(state.highestQueueID, queue.id)
                case .deleteQueue(let queueID, _):
                    state.queues[queueID] = nil
                    state.messages[queueID] = nil
                    state.deduplications = state.deduplications.filter { $0.key.queueID != queueID }
                case .insertMessage(let message):
                    state.messages[message.queueID, default: [:]][message.sequence] = message
                    state.highestSequence = max(state.highestSequence, message.sequence)
                case .updateDelivery(let delivery):
                    guard var message = state.messages[delivery.queueID]?[delivery.sequence] else { continue }
                    message.visibleAt = delivery.visibleAt
                    message.receiveCount = delivery.receiveCount
                    message.firstReceivedAt = delivery.firstReceivedAt
                    message.lastReceivedAt = delivery.lastReceivedAt
                    message.receiptToken = delivery.receiptToken
                    state.messages[delivery.queueID]?[delivery.sequence] = message
                case .deleteMessage(let queueID, let sequence):
                    state.messages[queueID]?[sequence] = nil
                case .purgeMessages(let queueID, _):
                    state.messages[queueID] = nil
                case .saveDeduplication(let record):
                    let key = DeduplicationKey(queueID: record.queueID, scope: record.scope, deduplicationID: record.deduplicationID)
                    state.deduplications[key] = record
                case .forgetDeduplications(let queueID):
                    state.deduplications = state.deduplications.filter { $0.key.queueID != queueID }
                case .deleteExpiredDeduplications(let before):
                    state.deduplications = state.deduplications.filter { $0.value.expiresAt > before }
                case .saveMoveTask(let task):
                    if state.moveTasks.updateValue(task, forKey: task.taskID) == nil {
                        state.moveTaskOrder.append(task.taskID)
                    }
                case .deleteEverything:
                    state.queues.removeAll()
                    state.messages.removeAll()
                    state.deduplications.removeAll()
                    state.moveTasks.removeAll()
                    state.moveTaskOrder.removeAll()
                case .moveMessage(let move):
                    guard let record = state.messages[move.fromQueueID]?.removeValue(forKey: move.fromSequence) else { continue }
                    state.messages[move.queueID, default: [:]][move.sequence] = move.applied(to: record)
                    state.highestSequence = max(state.highestSequence, move.sequence)
                }
            }
        }
        completion(.success(()))
    }

    public func close() async throws {}

    /// Nothing to do: this store never fails a submission.
    public func resumeAfterFailure() {}

    public func fetchMessages(queueID: Int64, sequences: [Int64]) async throws -> [MessageRecord] {
        state.withLock { state in sequences.compactMap { state.messages[queueID]?[$0] } }
    }
}
