import SQSEngine

/// The one place SQS actions meet the engine: runs a decoded ``SQSRequest`` and returns its
/// ``SQSResponse``, independent of the protocol that carried it.
///
/// The per-action methods live beside their request shapes in `Actions/`.
struct SQSDispatcher: Sendable {
    let engine: QueueEngine

    /// Runs one request.
    func perform(_ request: SQSRequest, _ context: RequestContext) async throws(EngineError) -> SQSResponse {
        switch request {
        case .createQueue(let r): return try await createQueue(r, context)
        case .getQueueUrl(let r): return try await getQueueUrl(r, context)
        case .listQueues(let r): return try await listQueues(r, context)
        case .deleteQueue(let r): return try await deleteQueue(r, context)
        case .getQueueAttributes(let r): return try await getQueueAttributes(r, context)
        case .setQueueAttributes(let r): return try await setQueueAttributes(r, context)
        case .purgeQueue(let r): return try await purgeQueue(r, context)
        case .sendMessage(let r): return try await sendMessage(r, context)
        case .sendMessageBatch(let r): return try await sendMessageBatch(r, context)
        case .receiveMessage(let r): return try await receiveMessage(r, context)
        case .deleteMessage(let r): return try await deleteMessage(r, context)
        case .deleteMessageBatch(let r): return try await deleteMessageBatch(r, context)
        case .changeMessageVisibility(let r): return try await changeMessageVisibility(r, context)
        case .changeMessageVisibilityBatch(let r): return try await changeMessageVisibilityBatch(r, context)
        case .tagQueue(let r): return try await tagQueue(r, context)
        case .untagQueue(let r): return try await untagQueue(r, context)
        case .listQueueTags(let r): return try await listQueueTags(r, context)
        case .listDeadLetterSourceQueues(let r): return try await listDeadLetterSourceQueues(r, context)
        case .startMessageMoveTask(let r): return try await startMessageMoveTask(r)
        case .listMessageMoveTasks(let r): return try await listMessageMoveTasks(r)
        case .cancelMessageMoveTask(let r): return try await cancelMessageMoveTask(r)
        case .addPermission(let r): return try await addPermission(r, context)
        case .removePermission(let r): return try await removePermission(r, context)
        }
    }
}

/// Returns a required member or throws `MissingParameter` naming it.
func required<T>(_ value: T?, _ name: String) throws(EngineError) -> T {
    guard let value else { throw EngineError.missingParameter(name) }
    return value
}
