/// An error of the Lambda API, in Lambda's shape: the `x-amzn-ErrorType` name, HTTP status and message.
public struct LambdaAPIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The error type, e.g. `ResourceNotFoundException`.
    public var type: String
    /// The HTTP status.
    public var status: Int
    /// The message.
    public var message: String

    /// Creates an error.
    public init(type: String, status: Int, message: String) {
        self.type = type
        self.status = status
        self.message = message
    }

    public var description: String { "\(type): \(message)" }

    /// 404 ResourceNotFoundException.
    public static func notFound(_ message: String) -> LambdaAPIError {
        LambdaAPIError(type: "ResourceNotFoundException", status: 404, message: message)
    }

    /// 400 InvalidParameterValueException.
    public static func invalidParameter(_ message: String) -> LambdaAPIError {
        LambdaAPIError(type: "InvalidParameterValueException", status: 400, message: message)
    }

    /// 400 ValidationException: a value outside the API model's constraints ("1 validation error detected: …").
    public static func validation(_ message: String) -> LambdaAPIError {
        LambdaAPIError(type: "ValidationException", status: 400, message: message)
    }

    /// 409 ResourceConflictException.
    public static func conflict(_ message: String) -> LambdaAPIError {
        LambdaAPIError(type: "ResourceConflictException", status: 409, message: message)
    }

    /// 400 InvalidRequestContentException: a body that is not a UTF-8 JSON document.
    public static func invalidRequestContent(_ detail: String) -> LambdaAPIError {
        LambdaAPIError(type: "InvalidRequestContentException", status: 400, message: "Could not parse request body into json: \(detail)")
    }

    /// 413 RequestEntityTooLargeException: an Invoke payload over `limit` bytes.
    public static func requestTooLarge(limit: Int, operation: String) -> LambdaAPIError {
        LambdaAPIError(
            type: "RequestEntityTooLargeException", status: 413,
            message: "Request must be smaller than \(limit) bytes for the \(operation) operation")
    }

    /// 429 TooManyRequestsException: the asynchronous invocation queue is full.
    public static let tooManyRequests = LambdaAPIError(type: "TooManyRequestsException", status: 429, message: "Rate Exceeded.")

    /// 400 InvalidParameterValueException: the function's execution role may not call `action`
    /// (`ReceiveMessage`, `DeleteMessage`, `GetQueueAttributes`) on the mapping's queue.
    public static func missingQueuePermission(_ action: String) -> LambdaAPIError {
        invalidParameter("The provided execution role does not have permissions to call \(action) on SQS")
    }

    /// 400 InvalidParameterValueException: CreateFunction or UpdateFunctionConfiguration names an
    /// execution role Lambda cannot assume (with `--auth`, one that is not a role in `auth.principals`).
    public static let roleCannotBeAssumed = invalidParameter("The role defined for the function cannot be assumed by Lambda.")

    /// 403 AccessDeniedException: a cross-site request from a browser.
    public static func accessDenied(_ message: String) -> LambdaAPIError {
        LambdaAPIError(type: "AccessDeniedException", status: 403, message: message)
    }

    /// The errors a fault rule may inject into the Lambda API, with their statuses (Lambda's API
    /// model) and Lambda's usual wording.
    private static let injectable: [String: LambdaAPIError] = [
        "TooManyRequestsException": tooManyRequests,
        "ServiceException": LambdaAPIError(type: "ServiceException", status: 500, message: "The AWS Lambda service encountered an internal error."),
        "ResourceNotFoundException": .notFound("The resource you requested does not exist."),
        "ResourceConflictException": .conflict("The operation cannot be performed at this time."),
        "InvalidParameterValueException": .invalidParameter("One of the parameters in the request is not valid."),
        "AccessDeniedException": .accessDenied("The caller is not authorized to perform this operation."),
        "EC2ThrottledException": LambdaAPIError(
            type: "EC2ThrottledException", status: 502, message: "Amazon EC2 throttled Lambda during function initialization."),
        "ResourceNotReadyException": LambdaAPIError(type: "ResourceNotReadyException", status: 502, message: "The function is inactive."),
    ]

    /// The error a fault rule names (`TooManyRequestsException`, `ServiceException`, …), with
    /// `message` instead of the usual one when given; `nil` for a name sqslite does not inject.
    public static func injectable(named name: String, message: String? = nil) -> LambdaAPIError? {
        guard var error = injectable[name] else { return nil }
        if let message { error.message = message }
        return error
    }

    /// Every name ``injectable(named:message:)`` takes, sorted.
    public static var injectableNames: [String] { injectable.keys.sorted() }
}
