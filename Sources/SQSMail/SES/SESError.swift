/// Why SES refused a request: the error code of SES v1 (Query) and v2 (REST-JSON), the HTTP
/// status and the message.
public struct SESError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The v1 code (`<Code>`), e.g. `MessageRejected`.
    public var code: String
    /// The v2 type (`x-amzn-ErrorType`), e.g. `NotFoundException`.
    public var v2Type: String
    public var status: Int
    public var message: String

    public init(code: String, v2Type: String? = nil, status: Int = 400, message: String) {
        self.code = code
        self.v2Type = v2Type ?? code
        self.status = status
        self.message = message
    }

    public var description: String { "\(code): \(message)" }

    /// The sandbox's refusal of a sender that is not verified.
    static func notVerified(_ addresses: [String], region: String) -> SESError {
        SESError(
            code: "MessageRejected",
            message: "Email address is not verified. The following identities failed the check in region \(region.uppercased()): \(addresses.joined(separator: ", "))")
    }

    static func invalidParameter(_ message: String) -> SESError {
        SESError(code: "InvalidParameterValue", v2Type: "BadRequestException", message: message)
    }

    static func missing(_ name: String) -> SESError {
        SESError(code: "ValidationError", v2Type: "BadRequestException", message: "1 validation error detected: Value null at '\(name)' failed to satisfy constraint: Member must not be null")
    }

    static func storage(_ error: any Error) -> SESError {
        SESError(code: "InternalFailure", v2Type: "InternalFailure", status: 500, message: "\(error)")
    }
}
