import SQSEngine

// ListDeadLetterSourceQueues, StartMessageMoveTask, ListMessageMoveTasks and CancelMessageMoveTask.

struct ListDeadLetterSourceQueuesRequest: Decodable, Sendable {
    var queueUrl: String?
    var nextToken: String?
    var maxResults: Int?

    enum CodingKeys: String, CodingKey {
        case queueUrl = "QueueUrl", nextToken = "NextToken", maxResults = "MaxResults"
    }
}

struct StartMessageMoveTaskRequest: Decodable, Sendable {
    var sourceArn: String?
    var destinationArn: String?
    var maxNumberOfMessagesPerSecond: Int?

    enum CodingKeys: String, CodingKey {
        case sourceArn = "SourceArn", destinationArn = "DestinationArn", maxNumberOfMessagesPerSecond = "MaxNumberOfMessagesPerSecond"
    }
}

struct ListMessageMoveTasksRequest: Decodable, Sendable {
    var sourceArn: String?
    var maxResults: Int?

    enum CodingKeys: String, CodingKey {
        case sourceArn = "SourceArn", maxResults = "MaxResults"
    }
}

struct CancelMessageMoveTaskRequest: Decodable, Sendable {
    var taskHandle: String?

    enum CodingKeys: String, CodingKey {
        case taskHandle = "TaskHandle"
    }
}

extension SQSDispatcher {
    func listDeadLetterSourceQueues(_ request: ListDeadLetterSourceQueuesRequest, _ context: RequestContext) async throws(EngineError) -> SQSResponse {
        let key = try context.queueKey(fromURL: required(request.queueUrl, "QueueUrl"))
        let page = try await engine.listDeadLetterSourceQueues(key, maxResults: request.maxResults, nextToken: request.nextToken)
        return .queueURLs(page.queues.map(context.queueURL), nextToken: page.nextToken)
    }

    func startMessageMoveTask(_ request: StartMessageMoveTaskRequest) async throws(EngineError) -> SQSResponse {
        let handle = try await engine.startMessageMoveTask(
            sourceArn: required(request.sourceArn, "SourceArn"), destinationArn: request.destinationArn,
            maxNumberOfMessagesPerSecond: request.maxNumberOfMessagesPerSecond)
        return .taskHandle(handle)
    }

    func listMessageMoveTasks(_ request: ListMessageMoveTasksRequest) async throws(EngineError) -> SQSResponse {
        let tasks = try await engine.listMessageMoveTasks(sourceArn: required(request.sourceArn, "SourceArn"), maxResults: request.maxResults)
        return .moveTasks(tasks)
    }

    func cancelMessageMoveTask(_ request: CancelMessageMoveTaskRequest) async throws(EngineError) -> SQSResponse {
        let moved = try await engine.cancelMessageMoveTask(taskHandle: required(request.taskHandle, "TaskHandle"))
        return .messagesMoved(moved)
    }
}
