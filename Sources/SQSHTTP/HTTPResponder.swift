/// What the server calls for each complete request.
///
/// The server calls ``respond(to:)`` in a Swift `Task`, off the event loop, so it may suspend
/// for as long as it needs (SQS long polls wait up to 20 seconds). When the client disconnects
/// before the response is ready, that task is cancelled: a long wait should end early on
/// cancellation. Whatever it returns after that is dropped. A client that only half-closes (shuts down
/// its sending side after the request) is not gone: its request runs to the end and is answered.
///
/// ```swift
/// struct Hello: HTTPResponder {
///     func respond(to request: HTTPRequest) async -> HTTPResponse {
///         HTTPResponse(status: .ok, body: ByteBuffer(string: "hello"))
///     }
/// }
/// ```
public protocol HTTPResponder: Sendable {
    /// Produces the response to one request.
    ///
    /// - Parameter request: The fully received request.
    /// - Returns: The response to write back on the request's connection.
    func respond(to request: HTTPRequest) async -> HTTPResponse
}
