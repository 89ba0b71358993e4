import SQSEngine

/// How one engine error code appears on the wire.
public struct AWSWireError: Sendable, Equatable {
    /// The JSON protocol's `__type` short name, e.g. `QueueDoesNotExist`.
    public var jsonType: String
    /// The Query protocol's error code, also sent in `x-amzn-query-error`, e.g. `AWS.SimpleQueueService.NonExistentQueue`.
    public var queryCode: String
    /// The HTTP status.
    public var status: Int
    /// `true` for client errors (`Sender`), `false` for server errors (`Receiver`).
    public var senderFault: Bool
}

/// The one table mapping engine errors to AWS's wire errors (codes, names and HTTP statuses as
/// AWS's SQS API model and recorded responses give them).
public enum AWSErrorMapping {
    private static let table: [EngineError.Code: AWSWireError] = [
        .queueDoesNotExist: sender("QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue"),
        .queueNameExists: sender("QueueNameExists", "QueueAlreadyExists"),
        .queueDeletedRecently: sender("QueueDeletedRecently", "AWS.SimpleQueueService.QueueDeletedRecently"),
        .invalidParameterValue: sender("InvalidParameterValueException", "InvalidParameterValue"),
        .missingParameter: sender("MissingRequiredParameterException", "MissingParameter"),
        .invalidAttributeName: sender("InvalidAttributeName", "InvalidAttributeName"),
        .invalidAttributeValue: sender("InvalidAttributeValue", "InvalidAttributeValue"),
        .receiptHandleIsInvalid: sender("ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid"),
        .invalidIdFormat: sender("InvalidIdFormat", "InvalidIdFormat"),
        .invalidMessageContents: sender("InvalidMessageContents", "InvalidMessageContents"),
        .messageNotInflight: sender("MessageNotInflight", "AWS.SimpleQueueService.MessageNotInflight"),
        .batchEntryIdsNotDistinct: sender("BatchEntryIdsNotDistinct", "AWS.SimpleQueueService.BatchEntryIdsNotDistinct"),
        .emptyBatchRequest: sender("EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest"),
        .invalidBatchEntryId: sender("InvalidBatchEntryId", "AWS.SimpleQueueService.InvalidBatchEntryId"),
        .tooManyEntriesInBatchRequest: sender("TooManyEntriesInBatchRequest", "AWS.SimpleQueueService.TooManyEntriesInBatchRequest"),
        .batchRequestTooLong: sender("BatchRequestTooLong", "AWS.SimpleQueueService.BatchRequestTooLong"),
        .purgeQueueInProgress: sender("PurgeQueueInProgress", "AWS.SimpleQueueService.PurgeQueueInProgress", status: 403),
        .overLimit: sender("OverLimit", "OverLimit", status: 403),
        .unsupportedOperation: sender("UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation"),
        .resourceNotFound: sender("ResourceNotFoundException", "ResourceNotFoundException", status: 404),
        .internalFailure: AWSWireError(jsonType: "InternalFailure", queryCode: "InternalFailure", status: 500, senderFault: false),
    ]

    /// The wire form of an engine error code; unknown codes are server errors.
    public static func wire(for code: EngineError.Code) -> AWSWireError {
        table[code] ?? AWSWireError(jsonType: code.rawValue, queryCode: code.rawValue, status: 500, senderFault: false)
    }

    /// The message of an error as the Query protocol words it: the few texts that differ from the
    /// JSON protocol's (AWS-recorded) are replaced, all others are the same.
    public static func queryMessage(for error: EngineError) -> String {
        queryWording[error.message] ?? error.message
    }

    private static let queryWording: [String: String] = [
        EngineError.queueDoesNotExist.message: "The specified queue does not exist for this wsdl version."
    ]

    /// The code batch results carry in a `Failed` entry (the Query code, as AWS sends it).
    public static func batchCode(for code: EngineError.Code) -> String {
        let query = wire(for: code).queryCode
        return query.hasPrefix("AWS.SimpleQueueService.") ? String(query.dropFirst("AWS.SimpleQueueService.".count)) : query
    }

    private static func sender(_ jsonType: String, _ queryCode: String, status: Int = 400) -> AWSWireError {
        AWSWireError(jsonType: jsonType, queryCode: queryCode, status: status, senderFault: true)
    }
}
