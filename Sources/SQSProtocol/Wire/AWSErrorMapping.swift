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
    /// The namespace before `#` in the JSON `__type`: SQS's own errors are `com.amazonaws.sqs`,
    /// the errors every AWS JSON service shares (throttling, unavailability) are Coral's.
    public var jsonNamespace: String = "com.amazonaws.sqs"

    /// The JSON protocol's full `__type`, e.g. `com.amazonaws.sqs#QueueDoesNotExist`.
    public var fullJSONType: String { "\(jsonNamespace)#\(jsonType)" }
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
        // Injected by fault rules only. Statuses: AWS's common errors (ThrottlingException 400,
        // ServiceUnavailable 503, InternalFailure 500); RequestThrottled comes back as a 403 Sender
        // fault in responses AWS users have recorded; the SQS model's other JSON-only shapes are 400.
        .throttling: AWSWireError(
            jsonType: "ThrottlingException", queryCode: "ThrottlingException", status: 400, senderFault: true,
            jsonNamespace: "com.amazon.coral.availability"),
        .requestThrottled: sender("RequestThrottled", "RequestThrottled", status: 403),
        .serviceUnavailable: AWSWireError(
            jsonType: "ServiceUnavailableException", queryCode: "ServiceUnavailable", status: 503, senderFault: false,
            jsonNamespace: "com.amazon.coral.availability"),
        .internalError: AWSWireError(jsonType: "InternalError", queryCode: "InternalError", status: 500, senderFault: false),
        .accessDenied: AWSWireError(
            jsonType: "AccessDeniedException", queryCode: "AccessDenied", status: 403, senderFault: true, jsonNamespace: "com.amazon.coral.service"),
        .invalidSecurity: sender("InvalidSecurity", "InvalidSecurity"),
        .invalidAddress: sender("InvalidAddress", "InvalidAddress"),
        .kmsAccessDenied: sender("KmsAccessDenied", "KmsAccessDenied"),
        .kmsDisabled: sender("KmsDisabled", "KmsDisabled"),
        .kmsInvalidKeyUsage: sender("KmsInvalidKeyUsage", "KmsInvalidKeyUsage"),
        .kmsInvalidState: sender("KmsInvalidState", "KmsInvalidState"),
        .kmsNotFound: sender("KmsNotFound", "KmsNotFound"),
        .kmsOptInRequired: sender("KmsOptInRequired", "KmsOptInRequired"),
        .kmsThrottled: sender("KmsThrottled", "KmsThrottled"),
    ]

    /// The message an injected error carries unless its rule gives one (AWS's wording where it is
    /// documented: the common errors, and the SQS API reference's error descriptions).
    private static let injectedMessages: [EngineError.Code: String] = [
        .throttling: "Rate exceeded",
        .requestThrottled: "Request is throttled.",
        .serviceUnavailable: "The request has failed due to a temporary failure of the server.",
        .internalError: "We encountered an internal error. Please try again.",
        .internalFailure: "The request processing has failed because of an unknown error, exception or failure.",
        .accessDenied: "Access to the resource is denied.",
        .invalidSecurity: "The request was not made over HTTPS or did not use SigV4 for signing.",
        .invalidAddress: "The specified ID is invalid.",
        .kmsAccessDenied: "The caller doesn't have the required KMS access.",
        .kmsDisabled: "The request was denied due to request throttling.",
        .kmsInvalidKeyUsage: "The request was rejected because the specified key is not valid for this request.",
        .kmsInvalidState: "The request was rejected because the state of the specified resource is not valid for this request.",
        .kmsNotFound: "The request was rejected because the specified entity or resource could not be found.",
        .kmsOptInRequired: "The request was rejected because the specified key policy isn't syntactically or semantically correct.",
        .kmsThrottled: "Amazon Web Services KMS throttles requests for the following conditions.",
        .queueDoesNotExist: EngineError.queueDoesNotExist.message,
        .overLimit: "The specified action violates a limit.",
        .purgeQueueInProgress: "Only one PurgeQueue operation on the queue is allowed every 60 seconds.",
        .queueDeletedRecently: "You must wait 60 seconds after deleting a queue before you can create another with the same name.",
    ]

    /// The error a fault rule names, by its JSON `__type` name (`ThrottlingException`,
    /// `QueueDoesNotExist`) or its Query code (`RequestThrottled`, `ServiceUnavailable`,
    /// `AWS.SimpleQueueService.NonExistentQueue`), with AWS's message unless `message` is given;
    /// `nil` for a name SQS does not answer with.
    public static func injectableError(named name: String, message: String? = nil) -> EngineError? {
        guard let code = table.first(where: { $0.value.jsonType == name || $0.value.queryCode == name })?.key else { return nil }
        return EngineError(code, message ?? injectedMessages[code] ?? "The request failed (\(name), injected by a sqslite fault rule).")
    }

    /// Every name ``injectableError(named:message:)`` takes (JSON names), sorted.
    public static var injectableNames: [String] {
        table.values.map(\.jsonType).sorted()
    }

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
