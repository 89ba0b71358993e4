import FoundationEssentials
import SQSEngine

/// Writes an ``SQSResponse`` as the JSON 1.0 protocol's output shape: members in the API model's
/// order, empty lists and maps omitted.
enum JSONResponseEncoder {
    static func encode(_ response: SQSResponse, for action: SQSAction) -> JSONWriter {
        var writer = JSONWriter(capacity: response.estimatedSize)
        writer.object { o in
            switch response {
            case .empty:
                break
            case .queueURL(let url):
                o.member("QueueUrl", url)
            case .queueURLs(let urls, let nextToken):
                if action == .listDeadLetterSourceQueues {
                    // `queueUrls` is required in the API model, so it is sent even when empty.
                    o.member("queueUrls", array: urls, alwaysWrite: true) { $0.string($1) }
                } else {
                    o.member("QueueUrls", urls)
                }
                o.member("NextToken", nextToken)
            case .attributes(let attributes):
                o.member("Attributes", attributes)
            case .tags(let tags):
                o.member("Tags", tags)
            case .sent(let sent):
                sentMembers(&o, sent)
            case .sentBatch(let result):
                batchMembers(&o, result, success: sentMembers)
            case .batch(let result):
                batchMembers(&o, result) { _, _ in }
            case .messages(let messages):
                o.member("Messages", array: messages) { w, message in
                    w.object { m in
                        m.member("Attributes", message.attributes)
                        m.member("Body", message.body)
                        m.member("MD5OfBody", message.md5OfBody)
                        m.member("MD5OfMessageAttributes", message.md5OfMessageAttributes)
                        m.member("MessageAttributes", attributes: message.messageAttributes)
                        m.member("MessageId", message.messageID)
                        m.member("ReceiptHandle", message.receiptHandle)
                    }
                }
            case .taskHandle(let handle):
                o.member("TaskHandle", handle)
            case .moveTasks(let tasks):
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
            case .messagesMoved(let moved):
                o.member("ApproximateNumberOfMessagesMoved", moved)
            }
        }
        return writer
    }

    private static func sentMembers(_ o: inout JSONWriter.ObjectWriter, _ sent: SentMessage) {
        o.member("MD5OfMessageBody", sent.md5OfBody)
        o.member("MD5OfMessageAttributes", sent.md5OfAttributes)
        o.member("MD5OfMessageSystemAttributes", sent.md5OfSystemAttributes)
        o.member("MessageId", sent.messageID)
        o.member("SequenceNumber", sent.sequenceNumber)
    }

    /// `Failed` entries with the Query error code and `SenderFault`, then `Successful` entries
    /// written by `success`; empty lists omitted.
    private static func batchMembers<Success>(
        _ o: inout JSONWriter.ObjectWriter, _ result: BatchResult<Success>, success: (inout JSONWriter.ObjectWriter, Success) -> Void
    ) {
        o.member("Failed", array: result.failed) { w, entry in
            w.object { f in
                f.member("Code", AWSErrorMapping.batchCode(for: entry.error.code))
                f.member("Id", entry.id)
                f.member("Message", entry.error.message)
                f.member("SenderFault", AWSErrorMapping.wire(for: entry.error.code).senderFault)
            }
        }
        o.member("Successful", array: result.successful) { w, entry in
            w.object { s in
                s.member("Id", entry.id)
                success(&s, entry.value)
            }
        }
    }
}

extension JSONWriter.ObjectWriter {
    /// Message attributes in the JSON protocol's shape; omitted when empty.
    public mutating func member(_ name: String, attributes: [String: MessageAttributeValue]) {
        guard !attributes.isEmpty else { return }
        member(name) { o in
            for key in attributes.keys.sorted() {
                let value = attributes[key]!
                o.member(key) { a in
                    a.member("DataType", value.dataType)
                    a.member("StringValue", value.stringValue)
                    a.member("BinaryValue", value.binaryValue.map { Data($0).base64EncodedString() })
                }
            }
        }
    }
}
