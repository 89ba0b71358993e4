import SQSEngine

// ListDeadLetterSourceQueues, StartMessageMoveTask, ListMessageMoveTasks and CancelMessageMoveTask.

struct ListDeadLetterSourceQueuesRequest: Decodable {
    var queueUrl: String?
    var nextToken: String?
    var maxResults: Int?

    enum CodingKeys: String, CodingKey {
        case queueUrl = "QueueUrl", nextToken = "NextToken", maxResults = "MaxResults"
    }
}

struct StartMessageMoveTaskRequest: Decodable {
    var sourceArn: String?
    var destinationArn: String?
    var maxNumberOfMessagesPerSecond: Int?

    enum CodingKeys: String, CodingKey {
        case sourceArn = "SourceArn", destinationArn = "DestinationArn", maxNumberOfMessagesPerSecond = "MaxNumberOfMessagesPerSecond"
    }
}

struct ListMessageMoveTasksRequest: Decodable {
    var sourceArn: String?
    var maxResults: Int?

    enum CodingKeys: String, CodingKey {
        case sourceArn = "SourceArn", maxResults = "MaxResults"
    }
}

struct CancelMessageMoveTaskRequest: Decodable {
    var taskHandle: String?

    enum CodingKeys: String, CodingKey {
        case taskHandle = "TaskHandle"
    }
}

extension JSONProtocolHandler {
    func listDeadLetterSourceQueues(_ request: ListDeadLetterSourceQueuesRequest, _ context: RequestContext) async throws(EngineError) -> JSONWriter {
        let key = try context.queueKey(fromURL: required(request.queueUrl, "QueueUrl"))
        let page = try await engine.listDeadLetterSourceQueues(key, maxResults: request.maxResults, nextToken: request.nextToken)
        var writer = JSONWriter()
        writer.object { o in
            // `queueUrls` is required in the API model, so it is sent even when empty.
            o.member("queueUrls", array: page.queues.map(context.queueURL), alwaysWrite: true) { $0.string($1) }
            o.member("NextToken", page.nextToken)
        }
        return writer
    }

    func startMessageMoveTask(_ request: StartMessageMoveTaskRequest, _ context: RequestContext) async throws(EngineError) -> JSONWriter {
        let handle = try await engine.startMessageMoveTask(
            sourceArn: required(request.sourceArn, "SourceArn"), destinationArn: request.destinationArn,
            maxNumberOfMessagesPerSecond: request.maxNumberOfMessagesPerSecond)
        var writer = JSONWriter()
        writer.object { $0.member("TaskHandle", handle) }
        return writer
    }

    func listMessageMoveTasks(_ request: ListMessageMoveTasksRequest, _ context: RequestContext) async throws(EngineError) -> JSONWriter {
        let tasks = try await engine.listMessageMoveTasks(sourceArn: required(request.sourceArn, "SourceArn"), maxResults: request.maxResults)
        var writer = JSONWriter()
        writer.object { o in
            o.member("Results", array: tasks) { w, task in
                w.object { t in
                    t.member("ApproximateNumberOfMessagesMoved", task.moved)
                    t.member("ApproximateNumberOfMessagesToMove", task.toMove)
                    t.member("DestinationArn", task.destinationArn)
                    t.member("FailureReason", task.failureReason)
                    t.member("MaxNumberOfMessagesPerSecond", task.maxNumberOfMessagesPerSecond)
                    t.member("SourceArn", task.sourceArn)
                    t.member("StartedTimestamp", Int(task.startedAt.milliseconds))
                    t.member("Status", task.status.rawValue)
                    t.member("TaskHandle", task.status == .running ? QueueEngine.taskHandle(task) : nil)
                }
            }
        }
        return writer
    }

    func cancelMessageMoveTask(_ request: CancelMessageMoveTaskRequest, _ context: RequestContext) async throws(EngineError) -> JSONWriter {
        let moved = try await engine.cancelMessageMoveTask(taskHandle: required(request.taskHandle, "TaskHandle"))
        var writer = JSONWriter()
        writer.object { $0.member("ApproximateNumberOfMessagesMoved", moved) }
        return writer
    }
}
