import SQSEngine

/// One action's result, before a codec writes it: ``JSONResponseEncoder`` writes it as JSON,
/// ``XMLResponseEncoder`` as the Query protocol's XML. Element and member names are the
/// encoders' business; this is only the data.
enum SQSResponse: Sendable {
    /// Actions without output (DeleteQueue, TagQueue, DeleteMessage…).
    case empty
    /// CreateQueue and GetQueueUrl.
    case queueURL(String)
    /// ListQueues and ListDeadLetterSourceQueues.
    case queueURLs([String], nextToken: String?)
    /// GetQueueAttributes.
    case attributes([String: String])
    /// ListQueueTags.
    case tags([String: String])
    /// SendMessage.
    case sent(SentMessage)
    /// SendMessageBatch.
    case sentBatch(BatchResult<SentMessage>)
    /// DeleteMessageBatch and ChangeMessageVisibilityBatch (successes carry only their id).
    case batch(BatchResult<Void>)
    /// ReceiveMessage.
    case messages([OutgoingMessage])
    /// StartMessageMoveTask.
    case taskHandle(String)
    /// ListMessageMoveTasks.
    case moveTasks([MoveTaskRecord])
    /// CancelMessageMoveTask.
    case messagesMoved(Int)
}

/// The digests and ids SendMessage (and each successful SendMessageBatch entry) returns.
struct SentMessage: Sendable {
    var md5OfBody: String
    var md5OfAttributes: String?
    /// Present only when the request carried message system attributes, as AWS answers.
    var md5OfSystemAttributes: String?
    var messageID: String
    var sequenceNumber: String?
}

/// A batch action's outcome split into its `Successful` and `Failed` lists, in request order.
struct BatchResult<Success: Sendable>: Sendable {
    var successful: [(id: String, value: Success)] = []
    var failed: [(id: String, error: EngineError)] = []

    init(_ outcomes: [BatchOutcome<Success>]) {
        // Grown one append at a time, ten entries took five allocations.
        successful.reserveCapacity(outcomes.count)
        for outcome in outcomes {
            switch outcome.result {
            case .success(let value): successful.append((outcome.id, value))
            case .failure(let error): failed.append((outcome.id, error))
            }
        }
    }

    /// The same result with each success transformed.
    func map<Other: Sendable>(_ transform: (String, Success) -> Other) -> BatchResult<Other> {
        var result = BatchResult<Other>([])
        result.successful = successful.map { ($0.id, transform($0.id, $0.value)) }
        result.failed = failed
        return result
    }
}

/// A received message as ReceiveMessage returns it, attributes already filtered by the request.
struct OutgoingMessage: Sendable {
    var messageID: String
    var receiptHandle: String
    var md5OfBody: String
    var body: String
    /// The system attributes the request asked for.
    var attributes: [String: String]
    var md5OfMessageAttributes: String?
    /// The message attributes the request asked for.
    var messageAttributes: [String: MessageAttributeValue]
}

extension SQSResponse {
    /// A starting capacity for the output buffer.
    var estimatedSize: Int {
        switch self {
        case .empty: return 2
        case .messages(let messages): return 512 * max(1, messages.count)
        default: return 256
        }
    }
}
