import SNSFilterPolicy

/// Which topic and subscription attributes SNS accepts, and how it checks their values.
enum SNSAttributeRules {
    /// Attributes SetTopicAttributes accepts (CreateTopic also takes `FifoTopic`).
    static let topicAttributes: Set<String> = [
        "DeliveryPolicy", "DisplayName", "Policy", "TracingConfig", "KmsMasterKeyId", "SignatureVersion", "ContentBasedDeduplication",
        "FifoThroughputScope", "ArchivePolicy", "DataProtectionPolicy",
        "HTTPSuccessFeedbackRoleArn", "HTTPSuccessFeedbackSampleRate", "HTTPFailureFeedbackRoleArn",
        "LambdaSuccessFeedbackRoleArn", "LambdaSuccessFeedbackSampleRate", "LambdaFailureFeedbackRoleArn",
        "SQSSuccessFeedbackRoleArn", "SQSSuccessFeedbackSampleRate", "SQSFailureFeedbackRoleArn",
        "FirehoseSuccessFeedbackRoleArn", "FirehoseSuccessFeedbackSampleRate", "FirehoseFailureFeedbackRoleArn",
        "ApplicationSuccessFeedbackRoleArn", "ApplicationSuccessFeedbackSampleRate", "ApplicationFailureFeedbackRoleArn",
    ]

    /// Attributes Subscribe and SetSubscriptionAttributes accept.
    static let subscriptionAttributes: Set<String> = [
        "DeliveryPolicy", "FilterPolicy", "FilterPolicyScope", "RawMessageDelivery", "RedrivePolicy", "SubscriptionRoleArn", "ReplayPolicy",
    ]

    /// The HTTP delivery policy every topic starts with (SNS's default: 3 retries 20 s apart).
    static let defaultHTTPDeliveryPolicy = HTTPDeliveryPolicy.default

    /// Checks one topic attribute; `reason` prefixes the message (`Attributes Reason: ` on CreateTopic).
    static func validateTopicAttribute(_ name: String, _ value: String, isFIFO: Bool, prefix: String) throws(SNSError) {
        guard topicAttributes.contains(name) else { throw .invalidParameter("\(prefix)AttributeName") }
        switch name {
        case "SignatureVersion":
            guard value == "1" || value == "2" else { throw .invalidParameter("\(prefix)SignatureVersion: Invalid value [\(value)]. Must be 1 or 2.") }
        case "TracingConfig":
            guard value == "PassThrough" || value == "Active" else {
                throw .invalidParameter("\(prefix)TracingConfig: Invalid value [\(value)]. Must be PassThrough or Active")
            }
        case "ContentBasedDeduplication":
            guard isFIFO else {
                throw .invalidParameter("\(prefix)ContentBasedDeduplication Reason: Content based deduplication can only be set for FIFO topics")
            }
            guard value.lowercased() == "true" || value.lowercased() == "false" else {
                throw .invalidParameter("\(prefix)ContentBasedDeduplication: Invalid value [\(value)]. Must be true or false.")
            }
        case "FifoThroughputScope":
            guard isFIFO else { throw .invalidParameter("\(prefix)FifoThroughputScope Reason: Throughput scope can only be set for FIFO topics") }
            guard value == "Topic" || value == "MessageGroup" else {
                throw .invalidParameter("\(prefix)FifoThroughputScope: Invalid value [\(value)]. Please use either Topic or MessageGroup")
            }
        case "DeliveryPolicy":
            if !value.isEmpty { _ = try HTTPDeliveryPolicy(topicPolicy: value, prefix: prefix) }
        case "Policy", "ArchivePolicy", "DataProtectionPolicy":
            if !value.isEmpty, PolicyJSON.parse(value) == nil { throw .invalidParameter("\(prefix)\(name): failed to parse JSON.") }
        default:
            break
        }
    }

    /// Checks one subscription attribute and returns the value to store (`RawMessageDelivery` lower-cased).
    static func validateSubscriptionAttribute(
        _ name: String, _ value: String, subscriptionProtocol: SubscriptionProtocol, topicArn: String, endpoint: String,
        scope: String, prefix: String
    ) throws(SNSError) -> String {
        guard subscriptionAttributes.contains(name) else { throw .invalidParameter("\(prefix)AttributeName") }
        switch name {
        case "RawMessageDelivery":
            guard value.lowercased() == "true" || value.lowercased() == "false" else {
                throw .invalidParameter("\(prefix)RawMessageDelivery: Invalid value [\(value)]. Must be true or false.")
            }
            if value.lowercased() == "true", ![.sqs, .http, .https].contains(subscriptionProtocol) {
                throw .invalidParameter("\(prefix)Delivery protocol [\(subscriptionProtocol.rawValue)] does not support raw message delivery.")
            }
            return value.lowercased()
        case "FilterPolicyScope":
            guard let parsed = FilterPolicy.Scope(rawValue: value) else {
                throw .invalidParameter("\(prefix)FilterPolicyScope: Invalid value [\(value)]. Please use either MessageBody or MessageAttributes")
            }
            _ = parsed
        case "FilterPolicy":
            if !value.isEmpty {
                do {
                    _ = try FilterPolicy(json: value, scope: FilterPolicy.Scope(rawValue: scope) ?? .messageAttributes)
                } catch {
                    throw .invalidParameter(prefix + error.reason)
                }
            }
        case "RedrivePolicy":
            guard !value.isEmpty else { return value }
            guard case .object? = PolicyJSON.parse(value), let parsed = PolicyJSON.parse(value) else {
                throw .invalidParameter("\(prefix)RedrivePolicy: failed to parse JSON.")
            }
            guard case .string(let target)? = parsed["deadLetterTargetArn"], let parts = SNSArn.parts(target), parts[2] == "sqs" else {
                throw .invalidParameter("\(prefix)RedrivePolicy: deadLetterTargetArn is an invalid arn")
            }
            if topicArn.hasSuffix(".fifo"), endpoint.hasSuffix(".fifo"), !target.hasSuffix(".fifo") {
                throw .invalidParameter("\(prefix)RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.")
            }
        case "DeliveryPolicy":
            guard subscriptionProtocol.isHTTP else {
                throw .invalidParameter("\(prefix)DeliveryPolicy: Delivery policy can only be set for HTTP and HTTPS endpoints")
            }
            if !value.isEmpty { _ = try HTTPDeliveryPolicy(subscriptionPolicy: value, prefix: prefix) }
        default:
            break
        }
        return value
    }
}
