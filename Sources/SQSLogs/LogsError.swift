import SQSEngine

/// An error of the CloudWatch Logs API, with AWS's `__type` and wording.
///
/// Every message the Logs API sends is written here, so the wording lives in one place.
public struct LogsError: Error, Sendable, Equatable {
    /// The `__type` of the JSON error body (`ResourceNotFoundException`, …).
    public let type: String
    /// The `message` of the JSON error body.
    public let message: String

    public init(type: String, message: String) {
        self.type = type
        self.message = message
    }

    static let groupNotFound = LogsError(type: "ResourceNotFoundException", message: "The specified log group does not exist.")
    static let streamNotFound = LogsError(type: "ResourceNotFoundException", message: "The specified log stream does not exist.")
    static let groupExists = LogsError(type: "ResourceAlreadyExistsException", message: "The specified log group already exists")
    static let streamExists = LogsError(type: "ResourceAlreadyExistsException", message: "The specified log stream already exists")
    static let unsorted = invalid("Log events in a single PutLogEvents request must be in chronological order.")
    static let orderByWithPrefix = invalid("Cannot order by LastEventTime with a logStreamNamePrefix.")
    static let streamNamesWithPrefix = invalid("logStreamNames and logStreamNamePrefix are mutually exclusive")
    static let badToken = invalid("The specified nextToken is invalid.")

    static func invalid(_ message: String) -> LogsError {
        LogsError(type: "InvalidParameterException", message: message)
    }

    static func missing(_ name: String) -> LogsError {
        invalid("1 validation error detected: Value null at '\(name)' failed to satisfy constraint: Member must not be null")
    }

    /// A filter pattern sqslite cannot parse.
    public static func invalidFilterPattern(_ pattern: String) -> LogsError {
        invalid("Invalid filter pattern: \(pattern)")
    }

    static func invalidRetention(_ days: Int) -> LogsError {
        invalid(
            "1 validation error detected: Value '\(days)' at 'retentionInDays' failed to satisfy constraint: "
                + "Member must satisfy enum value set: \(LogsLimits.retentionDays.map(String.init).joined(separator: ", "))")
    }

    static func invalidName(_ field: String, _ name: String) -> LogsError {
        invalid("1 validation error detected: Value '\(name)' at '\(field)' failed to satisfy constraint: Member must satisfy regular expression pattern")
    }

    /// A failure of the database underneath.
    static func storage(_ error: any Error) -> LogsError {
        LogsError(type: "ServiceUnavailableException", message: "The log store failed: \(error)")
    }

    /// The answer to an `X-Amz-Target` sqslite does not implement.
    static func unknownOperation(_ target: String) -> LogsError {
        LogsError(type: "UnknownOperationException", message: "Operation \(target) is not supported by sqslite.")
    }

    /// The HTTP status this error is answered with: 500 for the service's own failures, 400 for the others.
    public var status: Int {
        ["ServiceUnavailableException", "InternalServerException"].contains(type) ? 500 : 400
    }

    /// The errors a fault rule may inject into the Logs API, with AWS's wording.
    private static let injectable: [String: String] = [
        "ThrottlingException": "Rate exceeded",
        "ServiceUnavailableException": "The service cannot complete the request.",
        "LimitExceededException": "You have reached the maximum number of resources that can be created.",
        "InvalidParameterException": "A parameter is specified incorrectly.",
        "ResourceNotFoundException": "The specified resource does not exist.",
        "OperationAbortedException": "Multiple concurrent requests to update the same resource were in conflict.",
        "AccessDeniedException": "You don't have sufficient permissions to perform this action.",
    ]

    /// The error a fault rule names, with `message` instead of AWS's when given; `nil` for a name
    /// sqslite does not inject.
    public static func injectable(named name: String, message: String? = nil) -> LogsError? {
        guard let wording = injectable[name] else { return nil }
        return LogsError(type: name, message: message ?? wording)
    }

    /// Every name ``injectable(named:message:)`` takes, sorted.
    public static var injectableNames: [String] { injectable.keys.sorted() }

    /// The JSON body of this error.
    public var json: String {
        LogsService.encode(.object(["__type": .string(type), "message": .string(message)]))
    }
}
