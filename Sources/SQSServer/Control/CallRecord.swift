/// One API request as the call record keeps it (`GET /_sqslite/calls`).
public struct CallRecord: Sendable, Codable, Equatable {
    /// Increasing from 1 with every recorded call (gaps mean calls dropped from the ring).
    public var id: Int
    /// When it arrived: epoch milliseconds on the server's clock (the moved one, when the clock is controllable).
    public var time: Int64
    /// `sqs`, `lambda` or `logs`.
    public var service: String
    /// The action or operation (`SendMessage`, `Invoke`, `PutLogEvents`), or `Unknown`.
    public var action: String
    /// The account the request acted for.
    public var account: String
    /// Who called: the access key id of its SigV4 credential (unsigned: the account for SQS, as
    /// `SenderId` records it, and empty for Lambda and Logs).
    public var principal: String
    /// The queue or function it named, if any.
    public var resource: String?
    /// The HTTP status answered.
    public var status: Int
    /// The error code answered (as SDKs report it), or `nil` on success.
    public var errorCode: String?
    /// How long it took to answer, in milliseconds.
    public var durationMs: Double
    /// The request id answered in `x-amzn-RequestId`.
    public var requestId: String
    /// The request body (UTF-8, truncated), with `--record-call-bodies`.
    public var body: String?
}
