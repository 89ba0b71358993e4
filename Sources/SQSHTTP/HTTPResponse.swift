import NIOCore
import NIOHTTP1

/// A complete HTTP response, written by the server in one go.
///
/// The server sets `Content-Length` from ``body`` (overriding any value given here) and the
/// `Connection` header as HTTP/1.1 keep-alive rules require. A responder that sets
/// `Connection: close` makes the server close the connection after this response.
public struct HTTPResponse: Sendable {
    /// The status line's code and reason.
    public var status: HTTPResponseStatus
    /// The response headers.
    public var headers: HTTPHeaders
    /// The complete response body.
    public var body: ByteBuffer

    /// Creates a response.
    ///
    /// - Parameters:
    ///   - status: The status code.
    ///   - headers: The headers; `Content-Length` is filled in by the server.
    ///   - body: The body; empty by default.
    public init(status: HTTPResponseStatus, headers: HTTPHeaders = [:], body: ByteBuffer = ByteBuffer()) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
