import SQSEngine

// CreateQueue, GetQueueUrl, ListQueues and DeleteQueue.

struct CreateQueueRequest: Decodable, Sendable {
    var queueName: String?
    var attributes: [String: String]?
    var tags: [String: String]?

    enum CodingKeys: String, CodingKey {
        case queueName = "QueueName", attributes = "Attributes", tags
    }
}

struct GetQueueUrlRequest: Decodable, Sendable {
    var queueName: String?
    var queueOwnerAWSAccountId: String?

    enum CodingKeys: String, CodingKey {
        case queueName = "QueueName", queueOwnerAWSAccountId = "QueueOwnerAWSAccountId"
    }
}

struct ListQueuesRequest: Decodable, Sendable {
    var queueNamePrefix: String?
    var nextToken: String?
    var maxResults: Int?

    enum CodingKeys: String, CodingKey {
        case queueNamePrefix = "QueueNamePrefix", nextToken = "NextToken", maxResults = "MaxResults"
    }
}

/// The request of every action that takes only a queue URL.
struct QueueURLRequest: Decodable, Sendable {
    var queueUrl: String?

    enum CodingKeys: String, CodingKey {
        case queueUrl = "QueueUrl"
    }
}

extension SQSDispatcher {
    func createQueue(_ request: CreateQueueRequest, _ context: RequestContext) async throws(EngineError) -> SQSResponse {
        let name = try required(request.queueName, "QueueName")
        let key = QueueKey(account: context.account, region: context.region, name: name)
        let created = try await engine.createQueue(key, attributes: request.attributes ?? [:], tags: request.tags ?? [:])
        return .queueURL(context.queueURL(created))
    }

    func getQueueUrl(_ request: GetQueueUrlRequest, _ context: RequestContext) async throws(EngineError) -> SQSResponse {
        let name = try required(request.queueName, "QueueName")
        let owner = request.queueOwnerAWSAccountId.flatMap { $0.isEmpty ? nil : $0 } ?? context.account
        let key = try await engine.getQueue(QueueKey(account: owner, region: context.region, name: name))
        return .queueURL(context.queueURL(key))
    }

    func listQueues(_ request: ListQueuesRequest, _ context: RequestContext) async throws(EngineError) -> SQSResponse {
        let page = try await engine.listQueues(
            account: context.account, region: context.region, prefix: request.queueNamePrefix,
            maxResults: request.maxResults, nextToken: request.nextToken)
        return .queueURLs(page.queues.map(context.queueURL), nextToken: page.nextToken)
    }

    func deleteQueue(_ request: QueueURLRequest, _ context: RequestContext) async throws(EngineError) -> SQSResponse {
        try await engine.deleteQueue(context.queueKey(fromURL: required(request.queueUrl, "QueueUrl")))
        return .empty
    }

}
