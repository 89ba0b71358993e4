import SQSEngine

// DeleteMessage, DeleteMessageBatch, ChangeMessageVisibility and ChangeMessageVisibilityBatch.

/// One receipt-handle operation: DeleteMessage and ChangeMessageVisibility, or one entry of their batches.
struct ReceiptHandleEntry: Decodable, Sendable, Equatable {
    var id: String?
    var queueUrl: String?
    var receiptHandle: String?
    var visibilityTimeout: Int?

    enum CodingKeys: String, CodingKey {
        case id = "Id", queueUrl = "QueueUrl", receiptHandle = "ReceiptHandle", visibilityTimeout = "VisibilityTimeout"
    }
}

/// DeleteMessageBatch and ChangeMessageVisibilityBatch.
struct ReceiptHandleBatchRequest: Decodable, Sendable, Equatable {
    var queueUrl: String?
    var entries: [ReceiptHandleEntry]?

    enum CodingKeys: String, CodingKey {
        case queueUrl = "QueueUrl", entries = "Entries"
    }
}

extension SQSDispatcher {
    func deleteMessage(_ request: ReceiptHandleEntry, _ context: RequestContext) async throws(EngineError) -> SQSResponse {
        let key = try context.queueKey(fromURL: required(request.queueUrl, "QueueUrl"))
        try await engine.deleteMessage(key, receiptHandle: required(request.receiptHandle, "ReceiptHandle"))
        return .empty
    }

    func deleteMessageBatch(_ request: ReceiptHandleBatchRequest, _ context: RequestContext) async throws(EngineError) -> SQSResponse {
        let key = try context.queueKey(fromURL: required(request.queueUrl, "QueueUrl"))
        let entries = (request.entries ?? []).map { BatchEntry(id: $0.id ?? "", value: $0.receiptHandle ?? "") }
        let outcomes = try await engine.deleteMessageBatch(key, entries)
        return .batch(BatchResult(outcomes))
    }

    func changeMessageVisibility(_ request: ReceiptHandleEntry, _ context: RequestContext) async throws(EngineError) -> SQSResponse {
        let key = try context.queueKey(fromURL: required(request.queueUrl, "QueueUrl"))
        let handle = try required(request.receiptHandle, "ReceiptHandle")
        let timeout = try required(request.visibilityTimeout, "VisibilityTimeout")
        try await engine.changeMessageVisibility(key, receiptHandle: handle, visibilityTimeout: timeout)
        return .empty
    }

    func changeMessageVisibilityBatch(_ request: ReceiptHandleBatchRequest, _ context: RequestContext) async throws(EngineError) -> SQSResponse {
        let key = try context.queueKey(fromURL: required(request.queueUrl, "QueueUrl"))
        let entries = (request.entries ?? []).map {
            BatchEntry(id: $0.id ?? "", value: (receiptHandle: $0.receiptHandle ?? "", visibilityTimeout: $0.visibilityTimeout ?? 0))
        }
        let outcomes = try await engine.changeMessageVisibilityBatch(key, entries)
        return .batch(BatchResult(outcomes))
    }
}
