/// A protocol handler's answer, independent of the HTTP library that sends it.
public struct ProtocolResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// The `Content-Type` header.
    public var contentType: String
    /// Extra headers (besides `Content-Type` and `x-amzn-RequestId`, which the server adds).
    public var headers: [(name: String, value: String)]
    /// The body bytes.
    public var body: [UInt8]
    /// The action the request named, once known (for the call record).
    public var action: String?
    /// Whether ``action`` is an SQS action, not a name the request made up.
    public var isKnownAction = false
    /// The queue the request named, if any (for the call record).
    public var queueName: String?
    /// The error code answered (the Query code, as SDKs report it), or `nil` on success.
    public var errorCode: String?

    /// Creates a response.
    public init(status: Int, contentType: String, headers: [(name: String, value: String)] = [], body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.headers = headers
        self.body = body
    }
}
