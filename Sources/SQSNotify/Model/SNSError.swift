/// Why SNS refused a request: an AWS error code with its HTTP status and message.
///
/// Every code SNS answers with, and its status, lives in ``Code``; the Query codec writes the
/// error as `<ErrorResponse>` (see ``SNSQueryHandler``).
public struct SNSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An SNS error code and its HTTP status (botocore's `sns` model).
    public struct Code: Sendable, Equatable {
        public var name: String
        public var status: Int
        public var senderFault: Bool = true

        public static let invalidParameter = Code(name: "InvalidParameter", status: 400)
        public static let parameterValueInvalid = Code(name: "ParameterValueInvalid", status: 400)
        public static let notFound = Code(name: "NotFound", status: 404)
        public static let resourceNotFound = Code(name: "ResourceNotFound", status: 404)
        public static let tagLimitExceeded = Code(name: "TagLimitExceeded", status: 400)
        public static let emptyBatchRequest = Code(name: "EmptyBatchRequest", status: 400)
        public static let tooManyEntriesInBatchRequest = Code(name: "TooManyEntriesInBatchRequest", status: 400)
        public static let batchEntryIdsNotDistinct = Code(name: "BatchEntryIdsNotDistinct", status: 400)
        public static let invalidBatchEntryId = Code(name: "InvalidBatchEntryId", status: 400)
        public static let batchRequestTooLong = Code(name: "BatchRequestTooLong", status: 400)
        public static let validationError = Code(name: "ValidationError", status: 400)
        public static let invalidAction = Code(name: "InvalidAction", status: 400)
        public static let missingAction = Code(name: "MissingAction", status: 400)
        public static let accessDenied = Code(name: "AccessDenied", status: 403)
        public static let internalError = Code(name: "InternalError", status: 500, senderFault: false)
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.name): \(message)" }

    /// `InvalidParameter` "Invalid parameter: <reason>".
    public static func invalidParameter(_ reason: String) -> SNSError {
        SNSError(.invalidParameter, "Invalid parameter: \(reason)")
    }

    /// `ParameterValueInvalid` (message attributes).
    public static func parameterValueInvalid(_ message: String) -> SNSError {
        SNSError(.parameterValueInvalid, message)
    }

    public static let topicNotFound = SNSError(.notFound, "Topic does not exist")
    public static let subscriptionNotFound = SNSError(.notFound, "Subscription does not exist")
    public static let resourceNotFound = SNSError(.resourceNotFound, "Resource does not exist")

    /// A storage failure.
    static func storage(_ error: any Error) -> SNSError {
        SNSError(.internalError, "Internal error: \(error)")
    }
}
