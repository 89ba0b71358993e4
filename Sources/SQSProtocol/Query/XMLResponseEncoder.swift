import FoundationEssentials
import SQSEngine

/// Writes an ``SQSResponse`` as the Query protocol's XML:
/// `<XResponse xmlns="…"><XResult>…</XResult><ResponseMetadata><RequestId>…</RequestId></ResponseMetadata></XResponse>`,
/// with element names and order of AWS's Query API model (flattened lists and maps, `Result`
/// omitted for actions without output).
enum XMLResponseEncoder {
    /// The namespace of the 2012-11-05 Query API.
    static let namespace = "http://queue.amazonaws.com/doc/2012-11-05/"
    static let declaration = #"<?xml version="1.0"?>"#

    static func encode(_ response: SQSResponse, for action: SQSAction, requestID: String) -> XMLWriter {
        var writer = XMLWriter(capacity: response.estimatedSize + 256)
        let name = action.rawValue
        writer.raw(declaration)
        writer.raw("<\(name)Response xmlns=\"\(namespace)\">")
        if case .empty = response {} else {
            writer.element("\(name)Result") { w in result(&w, response, action: action) }
        }
        writer.element("ResponseMetadata") { $0.element("RequestId", requestID) }
        writer.close("\(name)Response")
        return writer
    }

    private static func result(_ w: inout XMLWriter, _ response: SQSResponse, action: SQSAction) {
        switch response {
        case .empty:
            break
        case .queueURL(let url):
            w.element("QueueUrl", url)
        case .queueURLs(let urls, let nextToken):
            for url in urls { w.element("QueueUrl", url) }
            w.element("NextToken", nextToken)
        case .attributes(let attributes):
            pairs(&w, "Attribute", attributes, key: "Name")
        case .tags(let tags):
            pairs(&w, "Tag", tags, key: "Key")
        case .sent(let sent):
            sentElements(&w, sent)
        case .sentBatch(let result):
            batch(&w, result, entry: "SendMessageBatchResultEntry") { w, sent in
                w.element("MessageId", sent.messageID)
                sentElements(&w, sent, messageID: false)
            }
        case .batch(let result):
            batch(&w, result, entry: "\(action.rawValue)ResultEntry") { _, _ in }
        case .messages(let messages):
            for message in messages {
                w.element("Message") { m in
                    m.element("MessageId", message.messageID)
                    m.element("ReceiptHandle", message.receiptHandle)
                    m.element("MD5OfBody", message.md5OfBody)
                    m.element("Body", message.body)
                    pairs(&m, "Attribute", message.attributes, key: "Name")
                    m.element("MD5OfMessageAttributes", message.md5OfMessageAttributes)
                    for key in message.messageAttributes.keys.sorted() {
                        let value = message.messageAttributes[key]!
                        m.element("MessageAttribute") { a in
                            a.element("Name", key)
                            a.element("Value") { v in
                                v.element("StringValue", value.stringValue)
                                v.element("BinaryValue", value.binaryValue.map { Data($0).base64EncodedString() })
                                v.element("DataType", value.dataType)
                            }
                        }
                    }
                }
            }
        case .taskHandle(let handle):
            w.element("TaskHandle", handle)
        case .moveTasks(let tasks):
            for task in tasks {
                w.element("ListMessageMoveTasksResultEntry") { t in
                    t.element("TaskHandle", task.status == .running ? QueueEngine.taskHandle(task) : nil)
                    t.element("Status", task.status.rawValue)
                    t.element("SourceArn", task.sourceArn)
                    t.element("DestinationArn", task.destinationArn)
                    t.element("MaxNumberOfMessagesPerSecond", task.maxNumberOfMessagesPerSecond)
                    t.element("ApproximateNumberOfMessagesMoved", task.moved)
                    t.element("ApproximateNumberOfMessagesToMove", task.toMove)
                    t.element("FailureReason", task.failureReason)
                    t.element("StartedTimestamp", Int(task.startedAt.milliseconds))
                }
            }
        case .messagesMoved(let moved):
            w.element("ApproximateNumberOfMessagesMoved", moved)
        }
    }

    /// A flattened map: one `<element><key>…</key><Value>…</Value></element>` per entry, keys sorted.
    private static func pairs(_ w: inout XMLWriter, _ element: String, _ map: [String: String], key: String) {
        for name in map.keys.sorted() {
            w.element(element) { e in
                e.element(key, name)
                e.element("Value", map[name])
            }
        }
    }

    private static func sentElements(_ w: inout XMLWriter, _ sent: SentMessage, messageID: Bool = true) {
        w.element("MD5OfMessageBody", sent.md5OfBody)
        w.element("MD5OfMessageAttributes", sent.md5OfAttributes)
        w.element("MD5OfMessageSystemAttributes", sent.md5OfSystemAttributes)
        if messageID { w.element("MessageId", sent.messageID) }
        w.element("SequenceNumber", sent.sequenceNumber)
    }

    /// `Successful` entries (`<entry><Id>…`), then `Failed` ones (`<BatchResultErrorEntry>`), flattened.
    private static func batch<Success>(
        _ w: inout XMLWriter, _ result: BatchResult<Success>, entry: String, success: (inout XMLWriter, Success) -> Void
    ) {
        for item in result.successful {
            w.element(entry) { e in
                e.element("Id", item.id)
                success(&e, item.value)
            }
        }
        for item in result.failed {
            w.element("BatchResultErrorEntry") { e in
                e.element("Id", item.id)
                e.element("SenderFault", AWSErrorMapping.wire(for: item.error.code).senderFault)
                e.element("Code", AWSErrorMapping.batchCode(for: item.error.code))
                e.element("Message", item.error.message)
            }
        }
    }

    /// `<ErrorResponse><Error><Type>Sender|Receiver</Type><Code>…</Code><Message>…</Message><Detail/></Error><RequestId>…`.
    static func error(code: String, message: String, senderFault: Bool, requestID: String) -> XMLWriter {
        var writer = XMLWriter(capacity: 256 + message.utf8.count)
        writer.raw(declaration)
        writer.raw("<ErrorResponse xmlns=\"\(namespace)\">")
        writer.element("Error") { e in
            e.element("Type", senderFault ? "Sender" : "Receiver")
            e.element("Code", code)
            e.element("Message", message)
            e.raw("<Detail/>")
        }
        writer.element("RequestId", requestID)
        writer.close("ErrorResponse")
        return writer
    }
}
