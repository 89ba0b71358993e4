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

    /// 409 ResourceConflictException.
    public static func conflict(_ message: String) -> LambdaAPIError {
        LambdaAPIError(type: "ResourceConflictException", status: 409, message: message)
    }
}
