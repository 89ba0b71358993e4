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
}
