import SQSEngine

// CreateQueue, GetQueueUrl, ListQueues and DeleteQueue.

struct CreateQueueRequest: Decodable {
    var queueName: String?
    var attributes: [String: String]?
    var tags: [String: String]?

    enum CodingKeys: String, CodingKey {
        case queueName = "QueueName", attributes = "Attributes", tags
    }
}

struct GetQueueUrlRequest: Decodable {
    var queueName: String?
    var queueOwnerAWSAccountId: String?

    enum CodingKeys: String, CodingKey {
        case queueName = "QueueName", queueOwnerAWSAccountId = "QueueOwnerAWSAccountId"
    }
}

struct ListQueuesRequest: Decodable {
    var queueNamePrefix: String?
    var nextToken: String?
    var maxResults: Int?

    enum CodingKeys: String, CodingKey {
        case queueNamePrefix = "QueueNamePrefix", nextToken = "NextToken", maxResults = "MaxResults"
    }
}

/// The request of every action that takes only a queue URL.
struct QueueURLRequest: Decodable {
    var queueUrl: String?

    enum CodingKeys: String, CodingKey {
        case queueUrl = "QueueUrl"
    }
}

extension JSONProtocolHandler {
    func createQueue(_ request: CreateQueueRequest, _ context: RequestContext) async throws(EngineError) -> JSONWriter {
        let name = try required(request.queueName, "QueueName")
        let key = QueueKey(account: context.account, region: context.region, name: name)
        let created = try await engine.createQueue(key, attributes: request.attributes ?? [:], tags: request.tags ?? [:])
        return Self.queueURLOutput(context.queueURL(created))
    }

    func getQueueUrl(_ request: GetQueueUrlRequest, _ context: RequestContext) async throws(EngineError) -> JSONWriter {
        let name = try required(request.queueName, "QueueName")
        let owner = request.queueOwnerAWSAccountId.flatMap { $0.isEmpty ? nil : $0 } ?? context.account
        let key = try await engine.getQueue(QueueKey(account: owner, region: context.region, name: name))
        return Self.queueURLOutput(context.queueURL(key))
    }

    func listQueues(_ request: ListQueuesRequest, _ context: RequestContext) async throws(EngineError) -> JSONWriter {
        let page = try await engine.listQueues(
            account: context.account, region: context.region, prefix: request.queueNamePrefix,
            maxResults: request.maxResults, nextToken: request.nextToken)
        var writer = JSONWriter()
        writer.object { o in
            o.member("QueueUrls", page.queues.map(context.queueURL))
            o.member("NextToken", page.nextToken)
        }
        return writer
    }

    func deleteQueue(_ request: QueueURLRequest, _ context: RequestContext) async throws(EngineError) -> JSONWriter {
        try await engine.deleteQueue(context.queueKey(fromURL: required(request.queueUrl, "QueueUrl")))
        return Self.emptyOutput
    }

    static func queueURLOutput(_ url: String) -> JSONWriter {
        var writer = JSONWriter()
        writer.object { $0.member("QueueUrl", url) }
        return writer
    }

    static var emptyOutput: JSONWriter {
        var writer = JSONWriter(capacity: 2)
        writer.object { _ in }
        return writer
    }
}
