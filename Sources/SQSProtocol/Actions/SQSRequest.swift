/// One decoded SQS request: the action and its parameters, whichever protocol carried it.
///
/// The JSON codec (``JSONProtocolHandler``) and the Query codec (``QueryProtocolHandler``) both
/// decode into this enum, and ``SQSDispatcher`` is the only code that turns it into engine calls,
/// so no action's logic exists twice.
enum SQSRequest: Sendable {
    case addPermission(AddPermissionRequest)
    case cancelMessageMoveTask(CancelMessageMoveTaskRequest)
    case changeMessageVisibility(ReceiptHandleEntry)
    case changeMessageVisibilityBatch(ReceiptHandleBatchRequest)
    case createQueue(CreateQueueRequest)
    case deleteMessage(ReceiptHandleEntry)
    case deleteMessageBatch(ReceiptHandleBatchRequest)
    case deleteQueue(QueueURLRequest)
    case getQueueAttributes(GetQueueAttributesRequest)
    case getQueueUrl(GetQueueUrlRequest)
    case listDeadLetterSourceQueues(ListDeadLetterSourceQueuesRequest)
    case listMessageMoveTasks(ListMessageMoveTasksRequest)
    case listQueueTags(QueueURLRequest)
    case listQueues(ListQueuesRequest)
    case purgeQueue(QueueURLRequest)
    case receiveMessage(ReceiveMessageRequest)
    case removePermission(RemovePermissionRequest)
    case sendMessage(SendMessageRequest)
    case sendMessageBatch(SendMessageBatchRequest)
    case setQueueAttributes(SetQueueAttributesRequest)
    case startMessageMoveTask(StartMessageMoveTaskRequest)
    case tagQueue(TagQueueRequest)
    case untagQueue(UntagQueueRequest)
}
