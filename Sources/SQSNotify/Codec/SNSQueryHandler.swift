import FoundationEssentials
import SQSEngine
import SQSProtocol

/// The SNS Query protocol: `Action=<Op>&Version=2010-03-31` form parameters in, XML out, errors
/// as `<ErrorResponse>` with SNS's codes and statuses.
public struct SNSQueryHandler: Sendable {
    /// The namespace of the 2010-03-31 API.
    static let namespace = "http://sns.amazonaws.com/doc/2010-03-31/"
    /// The `Content-Type` of answers.
    public static let contentType = "text/xml"
    /// The API version SNS clients send (`Version=2010-03-31`).
    public static let apiVersion = "2010-03-31"

    let service: SNSService

    /// Creates a handler over the service.
    public init(service: SNSService) {
        self.service = service
    }

    /// Whether an action name is an SNS action.
    public static func handles(action: String) -> Bool {
        SNSAction(rawValue: action) != nil
    }

    /// Handles one request.
    public func handle(parameters: QueryParameters, context: RequestContext) async -> ProtocolResponse {
        guard let name = parameters["Action"], !name.isEmpty else {
            return Self.error(SNSError(.missingAction, "The request must contain the parameter Action."), requestID: context.requestID)
        }
        guard let action = SNSAction(rawValue: name) else {
            return Self.error(SNSError(.invalidAction, "The action \(name) is not valid for this web service."), requestID: context.requestID)
        }
        do {
            var writer = XMLWriter()
            writer.raw(#"<?xml version="1.0"?>"#)
            writer.raw("<\(name)Response xmlns=\"\(Self.namespace)\">")
            try await perform(action, parameters, context: context, into: &writer)
            writer.element("ResponseMetadata") { $0.element("RequestId", context.requestID) }
            writer.close("\(name)Response")
            return ProtocolResponse(status: 200, contentType: Self.contentType, body: writer.bytes)
        } catch {
            return Self.error(error, requestID: context.requestID)
        }
    }

    private func perform(_ action: SNSAction, _ p: QueryParameters, context: RequestContext, into w: inout XMLWriter) async throws(SNSError) {
        let result = "\(action.rawValue)Result"
        switch action {
        case .createTopic:
            let arn = try await service.createTopic(
                name: try Self.required(p, "Name"), attributes: Self.attributes(p), tags: Self.tags(p), context: context)
            w.element(result) { $0.element("TopicArn", arn) }
        case .deleteTopic:
            try await service.deleteTopic(arn: try Self.required(p, "TopicArn"))
        case .listTopics:
            let (arns, token) = try await service.listTopics(nextToken: p["NextToken"], context: context)
            w.element(result) { r in
                r.element("Topics") { t in
                    for arn in arns { t.element("member") { $0.element("TopicArn", arn) } }
                }
                r.element("NextToken", token)
            }
        case .getTopicAttributes:
            let attributes = try await service.topicAttributes(arn: try Self.required(p, "TopicArn"))
            w.element(result) { Self.entries(&$0, "Attributes", attributes) }
        case .setTopicAttributes:
            try await service.setTopicAttribute(
                arn: try Self.required(p, "TopicArn"), name: try Self.required(p, "AttributeName"), value: p["AttributeValue"] ?? "")
        case .subscribe:
            let arn = try await service.subscribe(
                topicArn: try Self.required(p, "TopicArn"), protocolName: p["Protocol"], endpoint: p["Endpoint"], attributes: Self.attributes(p),
                returnSubscriptionArn: p["ReturnSubscriptionArn"]?.lowercased() == "true", context: context)
            w.element(result) { $0.element("SubscriptionArn", arn) }
        case .confirmSubscription:
            let arn = try await service.confirmSubscription(topicArn: try Self.required(p, "TopicArn"), token: p["Token"])
            w.element(result) { $0.element("SubscriptionArn", arn) }
        case .unsubscribe:
            try await service.unsubscribe(arn: p["SubscriptionArn"] ?? "")
        case .listSubscriptions, .listSubscriptionsByTopic:
            let (subscriptions, token) =
                action == .listSubscriptions
                ? try await service.listSubscriptions(nextToken: p["NextToken"], context: context)
                : try await service.listSubscriptions(topicArn: try Self.required(p, "TopicArn"), nextToken: p["NextToken"])
            w.element(result) { r in
                r.element("Subscriptions") { list in
                    for subscription in subscriptions {
                        list.element("member") { m in
                            m.element("SubscriptionArn", subscription.pendingConfirmation ? "PendingConfirmation" : subscription.arn)
                            m.element("Owner", subscription.owner)
                            m.element("Protocol", subscription.protocol.rawValue)
                            m.element("Endpoint", subscription.endpoint)
                            m.element("TopicArn", subscription.topicArn)
                        }
                    }
                }
                r.element("NextToken", token)
            }
        case .getSubscriptionAttributes:
            let attributes = try await service.subscriptionAttributes(arn: try Self.required(p, "SubscriptionArn"))
            w.element(result) { Self.entries(&$0, "Attributes", attributes) }
        case .setSubscriptionAttributes:
            try await service.setSubscriptionAttribute(
                arn: try Self.required(p, "SubscriptionArn"), name: try Self.required(p, "AttributeName"), value: p["AttributeValue"] ?? "")
        case .publish:
            let published = try await service.publish(try Self.publishInput(p, topicArn: nil), context: context)
            w.element(result) { r in
                r.element("MessageId", published.messageID)
                r.element("SequenceNumber", published.sequenceNumber)
            }
        case .publishBatch:
            let topicArn = try Self.required(p, "TopicArn")
            var entries: [(id: String, input: PublishInput)] = []
            for entry in p.structures("PublishBatchRequestEntries.member") ?? [] {
                entries.append((entry["Id"] ?? "", try Self.publishInput(entry, topicArn: topicArn)))
            }
            let outcomes = try await service.publishBatch(topicArn: topicArn, entries: entries, context: context)
            w.element(result) { r in
                r.element("Successful") { list in
                    for case (let id, .success(let published)) in outcomes.map({ ($0.id, $0.result) }) {
                        list.element("member") { m in
                            m.element("Id", id)
                            m.element("MessageId", published.messageID)
                            m.element("SequenceNumber", published.sequenceNumber)
                        }
                    }
                }
                r.element("Failed") { list in
                    for case (let id, .failure(let error)) in outcomes.map({ ($0.id, $0.result) }) {
                        list.element("member") { m in
                            m.element("Id", id)
                            m.element("Code", error.code.name)
                            m.element("Message", error.message)
                            m.element("SenderFault", error.code.senderFault)
                        }
                    }
                }
            }
        case .tagResource:
            try await service.tag(try Self.required(p, "ResourceArn"), tags: Self.tags(p))
            w.element(result) { _ in }
        case .untagResource:
            try await service.untag(try Self.required(p, "ResourceArn"), keys: p.list("TagKeys.member") ?? [])
            w.element(result) { _ in }
        case .listTagsForResource:
            let tags = try await service.tags(of: try Self.required(p, "ResourceArn"))
            w.element(result) { r in
                r.element("Tags") { list in
                    for key in tags.keys.sorted() {
                        list.element("member") { m in
                            m.element("Key", key)
                            m.element("Value", tags[key])
                        }
                    }
                }
            }
        }
    }

    // MARK: - Decoding

    static func required(_ p: QueryParameters, _ name: String) throws(SNSError) -> String {
        guard let value = p[name], !value.isEmpty else { throw .invalidParameter("\(name) Reason: no value for required parameter") }
        return value
    }

    /// `Attributes.entry.N.key` / `.value`.
    static func attributes(_ p: QueryParameters) -> [String: String] {
        p.map("Attributes.entry", key: "key", value: "value") ?? [:]
    }

    /// `Tags.member.N.Key` / `.Value`.
    static func tags(_ p: QueryParameters) -> [String: String] {
        p.map("Tags.member", key: "Key", value: "Value") ?? [:]
    }

    static func publishInput(_ p: QueryParameters, topicArn: String?) throws(SNSError) -> PublishInput {
        var attributes: [String: MessageAttributeValue] = [:]
        for entry in p.structures("MessageAttributes.entry") ?? [] {
            guard let name = entry["Name"] else { continue }
            let binary = entry["Value.BinaryValue"].map { Data(base64Encoded: $0).map { [UInt8]($0) } ?? Array($0.utf8) }
            attributes[name] = MessageAttributeValue(dataType: entry["Value.DataType"] ?? "", stringValue: entry["Value.StringValue"], binaryValue: binary)
        }
        return PublishInput(
            topicArn: topicArn ?? p["TopicArn"], targetArn: topicArn == nil ? p["TargetArn"] : nil, phoneNumber: topicArn == nil ? p["PhoneNumber"] : nil,
            message: p["Message"], subject: p["Subject"], messageStructure: p["MessageStructure"], attributes: attributes,
            messageGroupID: p["MessageGroupId"], deduplicationID: p["MessageDeduplicationId"])
    }

    // MARK: - Encoding

    /// A map: `<name><entry><key>…</key><value>…</value></entry>…</name>`, keys sorted.
    static func entries(_ w: inout XMLWriter, _ name: String, _ map: [String: String]) {
        w.element(name) { list in
            for key in map.keys.sorted() {
                list.element("entry") { e in
                    e.element("key", key)
                    e.element("value", map[key])
                }
            }
        }
    }

    /// An error as SNS writes it.
    public static func error(_ error: SNSError, requestID: String) -> ProtocolResponse {
        var w = XMLWriter()
        w.raw(#"<?xml version="1.0"?>"#)
        w.raw("<ErrorResponse xmlns=\"\(namespace)\">")
        w.element("Error") { e in
            e.element("Type", error.code.senderFault ? "Sender" : "Receiver")
            e.element("Code", error.code.name)
            e.element("Message", error.message)
        }
        w.element("RequestId", requestID)
        w.close("ErrorResponse")
        return ProtocolResponse(status: error.code.status, contentType: contentType, body: w.bytes)
    }
}
