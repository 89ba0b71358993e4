import FoundationEssentials
import SQSEngine
import SQSLambda

/// The documents of the admin JSON API (`/admin/api/…`), as README describes them.
enum AdminAPI {
    /// A queue in lists and on its own.
    struct Queue: Codable, Sendable {
        var id: String
        var name: String
        var account: String
        var region: String
        var url: String
        var arn: String
        var fifo: Bool
        var visible: Int
        var inFlight: Int
        var delayed: Int
        var total: Int
        var oldestMessageAgeSeconds: Int
        var sentPerMinute: Int
        var receivedPerMinute: Int
        var deletedPerMinute: Int
        var deadLetterTargetArn: String?
        var maxReceiveCount: Int?
        var deadLetterSourceArns: [String]
        var attributes: [String: String]?
        var moveTasks: [MoveTask]?

        init(_ summary: QueueSummary, rates: QueueActivity.Rates, baseURL: String) {
            let key = summary.key
            id = AdminPaths.id(key)
            name = key.name
            account = key.account
            region = key.region
            url = "\(baseURL)/\(key.account)/\(key.name)"
            arn = key.arn
            fifo = summary.isFIFO
            visible = summary.visible
            inFlight = summary.inFlight
            delayed = summary.delayed
            total = summary.total
            oldestMessageAgeSeconds = summary.oldestMessageAge
            sentPerMinute = rates.sent
            receivedPerMinute = rates.received
            deletedPerMinute = rates.deleted
            deadLetterTargetArn = summary.deadLetterTarget?.arn
            maxReceiveCount = summary.maxReceiveCount
            deadLetterSourceArns = summary.deadLetterSources.map(\.arn)
        }
    }

    /// A message move task (redrive) and its progress.
    struct MoveTask: Codable, Sendable {
        var taskId: String
        var status: String
        var sourceArn: String
        var destinationArn: String?
        var approximateNumberOfMessagesMoved: Int
        var approximateNumberOfMessagesToMove: Int
        var startedTimestamp: Int64
        var failureReason: String?

        init(_ task: MoveTaskRecord) {
            taskId = task.taskID
            status = task.status.rawValue
            sourceArn = task.sourceArn
            destinationArn = task.destinationArn
            approximateNumberOfMessagesMoved = task.moved
            approximateNumberOfMessagesToMove = task.toMove
            startedTimestamp = task.startedAt.milliseconds
            failureReason = task.failureReason
        }
    }

    /// A message attribute value.
    struct AttributeValue: Codable, Sendable {
        var dataType: String
        var stringValue: String?
        var binaryValue: String?

        init(_ value: MessageAttributeValue) {
            dataType = value.dataType
            stringValue = value.stringValue
            binaryValue = value.binaryValue.map { Data($0).base64EncodedString() }
        }
    }

    /// A message as a peek shows it.
    struct Message: Codable, Sendable {
        var messageId: String
        var state: String
        var body: String
        var md5OfBody: String
        var sentTimestamp: Int64
        var receiveCount: Int
        var messageGroupId: String?
        var messageDeduplicationId: String?
        var sequenceNumber: String?
        var attributes: [String: String]
        var messageAttributes: [String: AttributeValue]

        init(_ message: PeekedMessage) {
            let record = message.record
            messageId = record.messageID
            state = message.state.rawValue
            body = record.body
            md5OfBody = record.md5OfBody
            sentTimestamp = record.sentAt.milliseconds
            receiveCount = record.receiveCount
            messageGroupId = record.messageGroupID
            messageDeduplicationId = record.deduplicationID
            sequenceNumber = record.sequenceNumber
            attributes = message.systemAttributes
            messageAttributes = record.attributes.mapValues(AttributeValue.init)
        }
    }

    /// A page of messages.
    struct MessagePage: Codable, Sendable {
        var messages: [Message]
        var offset: Int
        var limit: Int
        var total: Int
    }

    /// A function and its recent activity.
    struct Function: Codable, Sendable {
        var name: String
        var kind: String
        var runtime: String
        var handler: String?
        var timeout: Int
        var memorySize: Int
        var recentInvocations: Int
        var lastStatus: String?

        init(_ configuration: FunctionConfiguration, recent: [InvocationRecord]) {
            name = configuration.name
            kind = configuration.kind.rawValue
            runtime = configuration.runtime
            handler = configuration.handler
            timeout = configuration.timeout
            memorySize = configuration.memorySize
            recentInvocations = recent.count
            lastStatus = recent.first?.status.rawValue
        }
    }

    /// An event-source mapping.
    struct Mapping: Codable, Sendable {
        var uuid: String
        var eventSourceArn: String
        var functionName: String
        var batchSize: Int
        var maximumBatchingWindowInSeconds: Int
        var state: String
        var lastProcessingResult: String

        init(_ mapping: EventSourceMapping) {
            uuid = mapping.uuid
            eventSourceArn = mapping.eventSourceArn
            functionName = mapping.functionName
            batchSize = mapping.batchSize
            maximumBatchingWindowInSeconds = mapping.maximumBatchingWindowInSeconds
            state = mapping.state
            lastProcessingResult = mapping.lastProcessingResult
        }
    }

    /// An invocation; ``event``, ``response`` and ``logLines`` only when asked for one.
    struct Invocation: Codable, Sendable {
        var id: Int
        var functionName: String
        var mappingUUID: String?
        var requestId: String
        var batchSize: Int
        var startedTimestamp: Int64
        var durationMilliseconds: Int64
        var status: String
        var error: String?
        var event: String?
        var response: String?
        var logLines: [String]?
        /// The MessageIds of the batch (mapping invocations).
        var messageIds: [String]

        init(_ record: InvocationRecord, full: Bool) {
            messageIds = record.messageIDs
            id = record.id
            functionName = record.functionName
            mappingUUID = record.mappingUUID
            requestId = record.requestID
            batchSize = record.batchSize
            startedTimestamp = record.startedAt
            durationMilliseconds = record.durationMilliseconds
            status = record.status.rawValue
            error = record.error
            if full {
                event = record.event
                response = record.response
                logLines = record.logLines
            }
        }
    }

    /// The answer to a POST that asked for JSON.
    struct Result: Codable, Sendable {
        var ok: Bool
        var message: String
        var messageId: String?
        var taskHandle: String?
        var invocationId: Int?
    }

    /// Encodes a document with sorted keys.
    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? Array(encoder.encode(value))) ?? Array("{}".utf8)
    }
}
