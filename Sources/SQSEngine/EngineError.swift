/// Why the engine refused a request, in SQS's own terms but without any wire format.
///
/// The protocol layer maps each ``Code`` to an AWS error name, query code and HTTP status in one
/// table (`AWSErrorMapping` in SQSProtocol). New codes can be added without breaking callers.
public struct EngineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Sendable, Hashable, RawRepresentable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let queueDoesNotExist = Code(rawValue: "QueueDoesNotExist")
        public static let queueNameExists = Code(rawValue: "QueueNameExists")
        public static let queueDeletedRecently = Code(rawValue: "QueueDeletedRecently")
        public static let invalidParameterValue = Code(rawValue: "InvalidParameterValue")
        public static let missingParameter = Code(rawValue: "MissingParameter")
        public static let invalidAttributeName = Code(rawValue: "InvalidAttributeName")
        public static let invalidAttributeValue = Code(rawValue: "InvalidAttributeValue")
        public static let receiptHandleIsInvalid = Code(rawValue: "ReceiptHandleIsInvalid")
        public static let invalidIdFormat = Code(rawValue: "InvalidIdFormat")
        public static let invalidMessageContents = Code(rawValue: "InvalidMessageContents")
        public static let messageNotInflight = Code(rawValue: "MessageNotInflight")
        public static let batchEntryIdsNotDistinct = Code(rawValue: "BatchEntryIdsNotDistinct")
        public static let emptyBatchRequest = Code(rawValue: "EmptyBatchRequest")
        public static let invalidBatchEntryId = Code(rawValue: "InvalidBatchEntryId")
        public static let tooManyEntriesInBatchRequest = Code(rawValue: "TooManyEntriesInBatchRequest")
        public static let batchRequestTooLong = Code(rawValue: "BatchRequestTooLong")
        public static let purgeQueueInProgress = Code(rawValue: "PurgeQueueInProgress")
        public static let overLimit = Code(rawValue: "OverLimit")
        public static let unsupportedOperation = Code(rawValue: "UnsupportedOperation")
        public static let resourceNotFound = Code(rawValue: "ResourceNotFound")
        public static let internalFailure = Code(rawValue: "InternalFailure")
        // The engine never raises these; the fault rules of the test controls inject them.
        public static let throttling = Code(rawValue: "ThrottlingException")
        public static let requestThrottled = Code(rawValue: "RequestThrottled")
        public static let serviceUnavailable = Code(rawValue: "ServiceUnavailable")
        public static let internalError = Code(rawValue: "InternalError")
        public static let accessDenied = Code(rawValue: "AccessDenied")
        public static let invalidSecurity = Code(rawValue: "InvalidSecurity")
        public static let invalidAddress = Code(rawValue: "InvalidAddress")
        public static let kmsAccessDenied = Code(rawValue: "KmsAccessDenied")
        public static let kmsDisabled = Code(rawValue: "KmsDisabled")
        public static let kmsInvalidKeyUsage = Code(rawValue: "KmsInvalidKeyUsage")
        public static let kmsInvalidState = Code(rawValue: "KmsInvalidState")
        public static let kmsNotFound = Code(rawValue: "KmsNotFound")
        public static let kmsOptInRequired = Code(rawValue: "KmsOptInRequired")
        public static let kmsThrottled = Code(rawValue: "KmsThrottled")
    }

    /// The kind of failure.
    public var code: Code
    /// The human-readable message, worded as AWS words it.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }

    /// The queue named in the request does not exist.
    public static let queueDoesNotExist = EngineError(.queueDoesNotExist, "The specified queue does not exist.")

    /// `InvalidParameterValue` with AWS's usual wording for a named parameter.
    public static func invalidParameter(_ name: String, value: String, reason: String) -> EngineError {
        EngineError(.invalidParameterValue, "Value \(value) for parameter \(name) is invalid. Reason: \(reason).")
    }

    /// `InvalidParameterValue` "One or more parameters are invalid. Reason: …".
    public static func invalidParameters(reason: String) -> EngineError {
        EngineError(.invalidParameterValue, "One or more parameters are invalid. Reason: \(reason)")
    }

    /// `MissingParameter` for a required parameter.
    public static func missingParameter(_ name: String) -> EngineError {
        EngineError(.missingParameter, "The request must contain the parameter \(name).")
    }
}
