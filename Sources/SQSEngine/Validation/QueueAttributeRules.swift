import FoundationEssentials

/// The queue attributes SQS knows, their ranges and defaults, and the validation AWS applies.
public enum QueueAttributeRules {
    /// Attributes computed by SQS; they can be read but never set.
    public static let readOnly: Set<String> = [
        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed",
        "CreatedTimestamp", "LastModifiedTimestamp", "QueueArn",
    ]

    /// Integer attributes and their inclusive ranges.
    static let integerRanges: [String: ClosedRange<Int>] = [
        "DelaySeconds": 0...900,
        "MaximumMessageSize": 1024...1_048_576,
        "MessageRetentionPeriod": 60...1_209_600,
        "ReceiveMessageWaitTimeSeconds": 0...20,
        "VisibilityTimeout": 0...43_200,
        "KmsDataKeyReusePeriodSeconds": 60...86_400,
    ]

    static let booleanAttributes: Set<String> = ["SqsManagedSseEnabled", "ContentBasedDeduplication", "FifoQueue"]
    static let jsonAttributes: Set<String> = ["Policy", "RedrivePolicy", "RedriveAllowPolicy"]
    static let fifoOnly: Set<String> = ["ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit"]
    static let enumerated: [String: Set<String>] = [
        "DeduplicationScope": ["messageGroup", "queue"],
        "FifoThroughputLimit": ["perQueue", "perMessageGroupId"],
    ]

    /// Every attribute name GetQueueAttributes accepts (besides `All`).
    public static let readable: Set<String> = readOnly.union(integerRanges.keys).union(booleanAttributes).union(jsonAttributes)
        .union(enumerated.keys).union(["KmsMasterKeyId"])

    /// The attributes a new queue gets when the request does not set them.
    public static func defaults(fifo: Bool) -> [String: String] {
        var attributes = [
            "DelaySeconds": "0",
            "MaximumMessageSize": "1048576",
            "MessageRetentionPeriod": "345600",
            "ReceiveMessageWaitTimeSeconds": "0",
            "VisibilityTimeout": "30",
            "SqsManagedSseEnabled": "true",
        ]
        if fifo {
            attributes["FifoQueue"] = "true"
            attributes["ContentBasedDeduplication"] = "false"
            attributes["DeduplicationScope"] = "queue"
            attributes["FifoThroughputLimit"] = "perQueue"
        }
        return attributes
    }

    /// Validates one attribute for CreateQueue (`creating`) or SetQueueAttributes, returning the value
    /// in the canonical form SQS stores and returns.
    public static func validate(name: String, value: String, fifo: Bool, creating: Bool) throws(EngineError) -> String {
        if readOnly.contains(name) || !readable.contains(name) || (name == "FifoQueue" && !creating) {
            throw EngineError(.invalidAttributeName, "Unknown Attribute \(name).")
        }
        if fifoOnly.contains(name) && !fifo {
            if name == "ContentBasedDeduplication" {
                throw EngineError(.invalidAttributeName, "Unknown Attribute \(name).")
            }
            throw EngineError(.invalidAttributeName, "You can specify the \(name) only when FifoQueue is set to true.")
        }
        if name == "FifoQueue" && !fifo {
            throw EngineError(.invalidAttributeName, "Unknown Attribute FifoQueue.")
        }
        if let range = integerRanges[name] {
            guard let number = Int(value.trimmingSpaces), range.contains(number) else {
                throw EngineError(.invalidAttributeValue, "Invalid value for the parameter \(name).")
            }
            return String(number)
        }
        if booleanAttributes.contains(name) {
            switch value.lowercased() {
            case "true": return "true"
            case "false": return "false"
            default: throw EngineError(.invalidAttributeValue, "Invalid value for the parameter \(name).")
            }
        }
        if let allowed = enumerated[name] {
            guard allowed.contains(value) else {
                throw EngineError(.invalidAttributeValue, "Invalid value for the parameter \(name).")
            }
            return value
        }
        if jsonAttributes.contains(name) {
            if value.isEmpty { return value }
            return try validateJSON(name: name, value: value)
        }
        return value
    }

    private static func validateJSON(name: String, value: String) throws(EngineError) -> String {
        guard let object = try? JSONDecoder().decode(JSONValue.self, from: Data(value.utf8)), case .object(let fields) = object else {
            throw EngineError(.invalidAttributeValue, "Invalid value for the parameter \(name). Reason: Invalid JSON.")
        }
        if name == "RedrivePolicy" {
            guard let targetValue = fields["deadLetterTargetArn"] else {
                throw EngineError(.invalidParameterValue, "The required parameter 'deadLetterTargetArn' is missing")
            }
            guard let target = targetValue.stringValue, QueueKey(arn: target) != nil else {
                throw EngineError(
                    .invalidParameterValue,
                    "Value \(value) for parameter RedrivePolicy is invalid. Reason: Invalid value for deadLetterTargetArn.")
            }
            guard fields["maxReceiveCount"] != nil else {
                throw EngineError(.invalidParameterValue, "The required parameter 'maxReceiveCount' is missing")
            }
            guard let count = fields["maxReceiveCount"]?.integerValue, (1...1000).contains(count) else {
                throw EngineError(
                    .invalidParameterValue,
                    "Value \(value) for parameter RedrivePolicy is invalid. Reason: Invalid value for maxReceiveCount: \(fields["maxReceiveCount"]?.text ?? "null"), valid values are from 1 to 1000 both inclusive.")
            }
            // Stored and returned as AWS returns it: the count a JSON number even when sent as a string.
            return #"{"deadLetterTargetArn":"\#(target)","maxReceiveCount":\#(count)}"#
        }
        if name == "RedriveAllowPolicy" {
            guard let permission = fields["redrivePermission"]?.stringValue, ["allowAll", "denyAll", "byQueue"].contains(permission) else {
                throw EngineError(
                    .invalidParameterValue,
                    "Value \(value) for parameter RedriveAllowPolicy is invalid. Reason: Amazon SQS can't create the redrive allow policy, as it’s in an unsupported format.")
            }
        }
        return value
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return self[first...last]
    }
}
