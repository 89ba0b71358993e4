import Logging
import NIOCore
import NIOHTTP1

/// The channel handler that aggregates HTTP/1.1 request parts into an ``HTTPRequest``, hands it to an
/// ``HTTPResponder`` in a `Task` that prefers the connection's event loop (see ``EventLoopTaskExecutor``), and writes the
/// ``HTTPResponse`` back on that event loop.
///
/// It sits behind NIO's `HTTPServerPipelineHandler`, which delivers one request at a time and holds
/// pipelined requests back until the previous response's `.end` has been written. So this handler has
/// at most one request in progress, and responses go out in request order.
///
/// Before a request reaches the responder its `Host` is checked: HTTP/1.1 needs exactly one (else `400`),
/// and it must be allowed (else `403`, see ``HTTPHostAllowList``). It tells ``HTTPConnectionTimeoutHandler``
/// when a request has arrived whole and when its response starts, so that answering never counts against
/// the connection's timeouts. A client that half-closes is answered, pipelined requests included, and
/// then the connection closes.
///
/// Per request it does little beyond NIO's own work: a body that arrives in one part is passed on as the
/// decoder's slice (no copy), nothing is logged, and its own allocations are the responder's `Task`, the
/// closure that brings the response back to the event loop, and the response headers' copy.
final class HTTPServerHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// How long an oversize request's remaining body is read and dropped, after its response was written,
    /// before the connection is closed anyway. Reading it lets the client see the response: closing a socket
    /// with unread input makes the kernel send a reset that can destroy the response in flight.
    static let oversizeLingerTime: TimeAmount = .seconds(2)

    private enum State {
        /// Waiting for a request head.
        case idle
        /// Receiving the body of the request whose head is in `requestHead`.
        case receiving
        /// The request was handed to the responder; waiting for its response.
        case responding
        /// The oversize response has been written; the rest of the request is read and dropped until the
        /// connection closes.
        case discarding
        /// The connection is closed or about to close after the last response; nothing more is written.
        case closed
    }

    private let responder: any HTTPResponder
    private let maxRequestBodySize: Int
    /// A larger limit for some requests (see ``HTTPServerConfiguration/bodySizeAllowance``).
    private let bodySizeAllowance: (@Sendable (HTTPRequestHead) -> Int?)?
    /// The limit of the request being received.
    private var currentBodyLimit: Int
    private let allowedHosts: HTTPHostAllowList
    private let oversizeResponse: @Sendable (HTTPRequestHead) -> HTTPResponse
    private let logger: Logger

    private var state: State = .idle
    /// The peer's address, read once per connection.
    private var remoteAddress: SocketAddress?
    /// A zero-capacity buffer from the channel's allocator, shared by every request without a body.
    private var emptyBody = ByteBuffer()
    /// Runs the responder's tasks on this connection's event loop (see ``EventLoopTaskExecutor``).
    private var taskExecutor: EventLoopTaskExecutor?
    private let respondsOnEventLoop: Bool

    // Valid in `.receiving`.
    private var requestHead: HTTPRequestHead?
    private var requestBody: ByteBuffer?

    // Valid in `.responding`.
    private var responseVersion: HTTPVersion = .http1_1
    private var keepAlive = true
    private var isHeadRequest = false
    private var responderTask: Task<Void, Never>?
    /// The client half-closed its side: once the request in progress is answered, the connection closes.
    private var inputClosed = false
    /// The last `Host` value found allowed on this connection; clients repeat the same one.
    private var allowedHost: String?

    // Valid in `.discarding`.
    private var lingerTimeout: Scheduled<Void>?
    private var oversizeResponseWritten = false
    private var oversizeRequestEnded = false

    /// Creates the handler for one connection.
    ///
    /// - Parameters:
    ///   - responder: Answers each complete request.
    ///   - maxRequestBodySize: The largest body accepted, in bytes.
    ///   - allowedHosts: The `Host` values answered; others get a 403.
    ///   - oversizeResponse: Builds the answer to a request whose body is larger than that.
    ///   - logger: For connection-level errors only; nothing is logged per request.
    ///   - respondsOnEventLoop: Whether the responder's tasks prefer the connection's event loop (see
    ///     ``EventLoopTaskExecutor``); `false` only for a testing channel, whose loop runs only when told.
    init(
        responder: any HTTPResponder,
        maxRequestBodySize: Int,
        bodySizeAllowance: (@Sendable (HTTPRequestHead) -> Int?)? = nil,
        allowedHosts: HTTPHostAllowList = HTTPHostAllowList(),
        oversizeResponse: @escaping @Sendable (HTTPRequestHead) -> HTTPResponse,
        logger: Logger,
        respondsOnEventLoop: Bool = true
    ) {
        self.respondsOnEventLoop = respondsOnEventLoop
        self.responder = responder
        self.maxRequestBodySize = maxRequestBodySize
        self.bodySizeAllowance = bodySizeAllowance
        self.currentBodyLimit = maxRequestBodySize
        self.allowedHosts = allowedHosts
        self.oversizeResponse = oversizeResponse
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.emptyBody = context.channel.allocator.buffer(capacity: 0)
        if self.respondsOnEventLoop {
            self.taskExecutor = EventLoopTaskExecutor(eventLoop: context.eventLoop)
        }
        if context.channel.isActive {
            self.remoteAddress = context.remoteAddress
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.connectionClosed()
    }

    func channelActive(context: ChannelHandlerContext) {
        self.remoteAddress = context.remoteAddress
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.connectionClosed()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            self.receivedHead(head, context: context)
        case .body(var part):
            switch self.state {
            case .receiving:
                let size = (self.requestBody?.readableBytes ?? 0) + part.readableBytes
                if size > self.currentBodyLimit, let head = self.requestHead {
                    self.rejectOversize(head, context: context)
                } else if self.requestBody == nil {
                    self.requestBody = part
                } else {
                    self.requestBody!.writeBuffer(&part)
                }
            case .discarding, .closed:
                break
            case .idle, .responding:
                self.protocolViolation("request body outside a request", context: context)
            }
        case .end:
            switch self.state {
            case .receiving:
                self.dispatch(context: context)
            case .discarding:
                self.oversizeRequestEnded = true
                self.closeIfOversizeDone(context: context)
            case .closed:
                break
            case .idle, .responding:
                self.protocolViolation("request end outside a request", context: context)
            }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            self.receivedHalfClose(context: context)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is HTTPParserError {
            // A malformed request. Answer 400 unless a response is already under way or the connection is
            // already finishing: bytes a client sends after `Connection: close`, or after an oversize request,
            // are not a request to answer. (`HTTPServerProtocolErrorHandler` would answer those too, so the
            // pipeline is set up without it and this does its job.)
            switch self.state {
            case .idle, .receiving:
                self.requestHead = nil
                self.requestBody = nil
                self.state = .closed
                let response = HTTPResponse(status: .badRequest)
                let written = self.write(response, version: .http1_1, keepAlive: false, omitBody: false, context: context)
                written?.assumeIsolated().whenComplete { _ in
                    context.close(promise: nil)
                }
                return
            case .discarding:
                // The rest of the oversize request can't be read; close once its response is out.
                self.oversizeRequestEnded = true
                self.closeIfOversizeDone(context: context)
                return
            case .closed:
                // Already closing, possibly after a response whose flush is still to come (this error can be
                // delivered from inside that response's write): leave the close to that path.
                return
            case .responding:
                break
            }
        } else {
            self.logger.debug("HTTP connection error", metadata: ["error": "\(error)"])
        }
        self.state = .closed
        context.close(promise: nil)
    }

    // MARK: - Request

    private func receivedHead(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        guard case .idle = self.state else {
            switch self.state {
            case .discarding, .closed:
                // A request pipelined after an oversize or closing one: never answered.
                return
            case .idle, .receiving, .responding:
                break
            }
            self.protocolViolation("request head while a request is in progress", context: context)
            return
        }
        self.currentBodyLimit = self.bodySizeAllowance?(head).map { max($0, self.maxRequestBodySize) } ?? self.maxRequestBodySize
        if let length = head.headers.first(name: "content-length"), let size = Int(length), size > self.currentBodyLimit {
            self.rejectOversize(head, context: context)
            return
        }
        self.requestHead = head
        self.requestBody = nil
        self.state = .receiving
        if head.version.minor >= 1, let expect = head.headers.first(name: "expect"), expect.lowercased() == "100-continue" {
            let interim = HTTPResponseHead(version: head.version, status: .continue)
            context.writeAndFlush(Self.wrapOutboundOut(.head(interim)), promise: nil)
        }
    }

    private func dispatch(context: ChannelHandlerContext) {
        guard let head = self.requestHead else {
            self.protocolViolation("request end without a head", context: context)
            return
        }
        let request = HTTPRequest(head: head, body: self.requestBody ?? self.emptyBody, remoteAddress: self.remoteAddress)
        self.requestHead = nil
        self.requestBody = nil
        self.responseVersion = head.version
        self.keepAlive = head.isKeepAlive
        self.isHeadRequest = head.method == .HEAD
        self.state = .responding
        context.triggerUserOutboundEvent(HTTPExchangeEvent.requestReceived, promise: nil)

        if let refusal = self.checkHost(head) {
            // Answered here, without the responder; on the next tick, like every response.
            let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
            context.eventLoop.execute {
                let (handler, context) = bound.value
                handler.responseReady(refusal, context: context)
            }
            return
        }

        let responder = self.responder
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        // The task's first job is enqueued on the event loop, so it runs after this method has stored the
        // task. It ends on the event loop when it prefers it (the response is then written at once);
        // otherwise (a testing channel) `execute` brings the response there.
        self.responderTask = Task(executorPreference: self.taskExecutor) {
            let response = await responder.respond(to: request)
            if bound.eventLoop.inEventLoop {
                let (handler, context) = bound.value
                handler.responseReady(response, context: context)
            } else {
                bound.eventLoop.execute {
                    let (handler, context) = bound.value
                    handler.responseReady(response, context: context)
                }
            }
        }
    }

    /// The answer the server gives itself, without the responder, to a request with a bad `Host`: `400` for
    /// HTTP/1.1 without exactly one `Host` (RFC 9112, section 3.2), `403` for a host not allowed.
    private func checkHost(_ head: HTTPRequestHead) -> HTTPResponse? {
        let hosts = head.headers["host"]
        if hosts.count > 1 || (hosts.isEmpty && (head.version.major, head.version.minor) >= (1, 1)) {
            self.keepAlive = false
            let text = hosts.isEmpty ? "An HTTP/1.1 request needs a Host header.\n" : "A request may have only one Host header.\n"
            return HTTPResponse(status: .badRequest, headers: ["content-type": "text/plain; charset=utf-8"], body: ByteBuffer(string: text))
        }
        guard let host = hosts.first, host != self.allowedHost else { return nil }
        guard self.allowedHosts.allows(host: host) else { return self.allowedHosts.forbiddenResponse(host: host) }
        self.allowedHost = host
        return nil
    }

    // MARK: - Response

    private func responseReady(_ response: HTTPResponse, context: ChannelHandlerContext) {
        guard case .responding = self.state else {
            // The connection went away while the responder worked: drop the response.
            return
        }
        self.responderTask = nil
        let keepAlive = self.keepAlive && !self.inputClosed && !Self.asksToClose(response.headers)
        self.state = keepAlive ? .idle : .closed
        context.triggerUserOutboundEvent(HTTPExchangeEvent.responseStarting, promise: nil)
        let written = self.write(response, version: self.responseVersion, keepAlive: keepAlive, omitBody: self.isHeadRequest, context: context)
        written?.assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    /// Writes and flushes a complete response with `Content-Length` and the `Connection` header that
    /// keep-alive needs.
    ///
    /// - Returns: When the connection is to close after this response, a future that completes once the
    ///   response's `.end` has been written; `nil` on a keep-alive connection.
    private func write(
        _ response: HTTPResponse,
        version: HTTPVersion,
        keepAlive: Bool,
        omitBody: Bool,
        context: ChannelHandlerContext
    ) -> EventLoopFuture<Void>? {
        var headers = response.headers
        headers.replaceOrAdd(name: "content-length", value: String(response.body.readableBytes))
        if !keepAlive {
            headers.replaceOrAdd(name: "connection", value: "close")
        } else if version.major == 1 && version.minor == 0 {
            headers.replaceOrAdd(name: "connection", value: "keep-alive")
        }
        let head = HTTPResponseHead(version: version, status: response.status, headers: headers)
        context.write(Self.wrapOutboundOut(.head(head)), promise: nil)
        if !omitBody && response.body.readableBytes > 0 && response.status.mayHaveResponseBody {
            context.write(Self.wrapOutboundOut(.body(.byteBuffer(response.body))), promise: nil)
        }
        if keepAlive {
            context.writeAndFlush(Self.wrapOutboundOut(.end(nil)), promise: nil)
            return nil
        }
        return context.writeAndFlush(Self.wrapOutboundOut(.end(nil)))
    }

    /// Whether the responder asked for the connection to close after its response.
    private static func asksToClose(_ headers: HTTPHeaders) -> Bool {
        guard let value = headers.first(name: "connection") else { return false }
        return value.utf8.count == 5 && value.lowercased() == "close"
    }

    // MARK: - Oversize requests

    /// Answers a request whose body is over the limit, then reads and drops the rest of it and closes.
    private func rejectOversize(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        self.requestHead = nil
        self.requestBody = nil
        self.state = .discarding
        context.triggerUserOutboundEvent(HTTPExchangeEvent.requestReceived, promise: nil)
        self.oversizeResponseWritten = false
        self.oversizeRequestEnded = false
        let response = self.oversizeResponse(head)
        let written = self.write(response, version: head.version, keepAlive: false, omitBody: head.method == .HEAD, context: context)
        written?.assumeIsolated().whenComplete { _ in
            self.oversizeResponseWritten = true
            self.closeIfOversizeDone(context: context)
        }
        self.lingerTimeout = context.eventLoop.assumeIsolated().scheduleTask(in: Self.oversizeLingerTime) {
            self.lingerTimeout = nil
            self.state = .closed
            context.close(promise: nil)
        }
    }

    /// Closes an oversize request's connection once its response is written and the client has sent the
    /// rest of the request, so that closing loses nothing.
    private func closeIfOversizeDone(context: ChannelHandlerContext) {
        guard case .discarding = self.state, self.oversizeResponseWritten, self.oversizeRequestEnded else { return }
        self.state = .closed
        self.lingerTimeout?.cancel()
        self.lingerTimeout = nil
        context.close(promise: nil)
    }

    // MARK: - Teardown

    /// The client will send nothing more (NIO's pipelining handler delivers this after the requests it held
    /// back): answer what is in progress, then close.
    private func receivedHalfClose(context: ChannelHandlerContext) {
        switch self.state {
        case .responding:
            self.inputClosed = true
        case .discarding:
            self.oversizeRequestEnded = true
            self.closeIfOversizeDone(context: context)
        case .idle, .receiving:
            // Nothing to answer, or a request that can no longer complete.
            self.state = .closed
            context.close(promise: nil)
        case .closed:
            break
        }
    }

    private func protocolViolation(_ message: String, context: ChannelHandlerContext) {
        self.logger.debug("HTTP pipeline violation, closing connection", metadata: ["reason": "\(message)"])
        self.state = .closed
        context.close(promise: nil)
    }

    /// Forgets the request in progress and cancels the responder's task, if any.
    private func connectionClosed() {
        self.state = .closed
        self.requestHead = nil
        self.requestBody = nil
        self.responderTask?.cancel()
        self.responderTask = nil
        self.lingerTimeout?.cancel()
        self.lingerTimeout = nil
    }
}

@available(*, unavailable)
extension HTTPServerHandler: Sendable {}
