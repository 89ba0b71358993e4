import NIOCore
import NIOHTTP1

/// A fully received HTTP request: the head and the whole body, aggregated by the server.
///
/// The body never exceeds ``HTTPServerConfiguration/maxRequestBodySize``; larger requests are
/// answered by the server itself and never reach the ``HTTPResponder``.
public struct HTTPRequest: Sendable {
    /// The request line and headers (method, URI, HTTP version, headers).
    public var head: HTTPRequestHead
    /// The complete request body; empty when the request had none.
    public var body: ByteBuffer
    /// The peer's address, when the socket still knew it.
    public var remoteAddress: SocketAddress?

    /// Creates a request.
    ///
    /// - Parameters:
    ///   - head: The request line and headers.
    ///   - body: The complete body.
    ///   - remoteAddress: The peer's address, if known.
    public init(head: HTTPRequestHead, body: ByteBuffer = ByteBuffer(), remoteAddress: SocketAddress? = nil) {
        self.head = head
        self.body = body
        self.remoteAddress = remoteAddress
    }
}
