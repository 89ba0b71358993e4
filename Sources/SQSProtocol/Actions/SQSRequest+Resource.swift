import SQSEngine

extension SQSRequest {
    /// What the request acts on, for authorization; `nil` when the request does not say (a missing
    /// or malformed `QueueUrl`), which the action itself then reports.
    func resource(_ context: RequestContext) -> SQSResource? {
        func queue(_ url: String?) -> SQSResource? {
            guard let url, let key = try? context.queueKey(fromURL: url) else { return nil }
            return .queue(key)
        }
        func queue(arn: String?) -> SQSResource? {
            arn.flatMap(QueueKey.init(arn:)).map(SQSResource.queue)
        }
        switch self {
        case .createQueue(let r):
            return r.queueName.map { .queue(QueueKey(account: context.account, region: context.region, name: $0)) }
        case .getQueueUrl(let r):
            return r.queueName.map {
                .queue(QueueKey(account: r.queueOwnerAWSAccountId ?? context.account, region: context.region, name: $0))
            }
        case .listQueues:
            return .account(account: context.account, region: context.region)
        case .deleteQueue(let r), .purgeQueue(let r), .listQueueTags(let r): return queue(r.queueUrl)
        case .getQueueAttributes(let r): return queue(r.queueUrl)
        case .setQueueAttributes(let r): return queue(r.queueUrl)
        case .sendMessage(let r): return queue(r.queueUrl)
        case .sendMessageBatch(let r): return queue(r.queueUrl)
        case .receiveMessage(let r): return queue(r.queueUrl)
        case .deleteMessage(let r), .changeMessageVisibility(let r): return queue(r.queueUrl)
        case .deleteMessageBatch(let r), .changeMessageVisibilityBatch(let r): return queue(r.queueUrl)
        case .tagQueue(let r): return queue(r.queueUrl)
        case .untagQueue(let r): return queue(r.queueUrl)
        case .listDeadLetterSourceQueues(let r): return queue(r.queueUrl)
        case .addPermission(let r): return queue(r.queueUrl)
        case .removePermission(let r): return queue(r.queueUrl)
        case .startMessageMoveTask(let r): return queue(arn: r.sourceArn)
        case .listMessageMoveTasks(let r): return queue(arn: r.sourceArn)
        case .cancelMessageMoveTask(let r): return queue(arn: r.taskHandle.flatMap { QueueEngine.decodeTaskHandle($0)?.sourceArn })
        }
    }
}
