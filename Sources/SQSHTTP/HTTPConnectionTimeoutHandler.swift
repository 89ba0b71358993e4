import NIOCore

/// The connection's two clocks: how long it may sit idle between requests, and how long a client may
/// take to send one whole request, head and body.
///
/// It sits first in the pipeline, before the HTTP decoder, so it sees a request's first byte even while
/// the head is incomplete: a client that trickles a byte at a time keeps resetting any idle timer, but
/// not the request deadline. ``HTTPServerHandler`` tells it, with outbound ``HTTPExchangeEvent``s, when a request has
/// been received whole and when its response is about to be written. Between those two the connection
/// is being answered (a long poll, say), and neither clock runs.
///
/// - Waiting for a request: closed (silently) after the idle timeout.
/// - A request arriving: answered `408 Request Timeout` and closed after the request timeout, counted
///   from its first byte. Bytes of a pipelined request that arrive while the previous one is answered
///   start its clock once that response is written.
///
/// At most one task is scheduled per connection: when it fires it checks the deadline of the current
/// state and schedules itself again for it, so a busy connection costs no timer work per request.
final class HTTPConnectionTimeoutHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = NIOAny
    typealias OutboundOut = ByteBuffer

    private enum State {
        /// No request in progress since `since`.
        case waiting(since: NIODeadline)
        /// A request has been arriving since `since`.
        case reading(since: NIODeadline)
        /// The request is being answered; `sawBytes` if bytes of the next one arrived meanwhile.
        case answering(sawBytes: Bool)
        /// Answered 408: the rest of the request is read and dropped until the client closes or the
        /// linger time passes (closing with unread input would make the kernel reset the connection
        /// and could destroy the 408 in flight).
        case lingering
        /// Timed out or closed.
        case done
    }

    /// How long the rest of a timed-out request is read and dropped after its 408.
    static let lingerTime: TimeAmount = .seconds(2)

    private let idleTimeout: TimeAmount?
    private let requestTimeout: TimeAmount?
    private var state: State = .waiting(since: .now())
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?

    /// - Parameters:
    ///   - idleTimeout: How long the connection may wait for a request, or `nil` for ever.
    ///   - requestTimeout: How long one whole request may take to arrive, or `nil` for ever.
    init(idleTimeout: TimeAmount?, requestTimeout: TimeAmount?) {
        self.idleTimeout = idleTimeout
        self.requestTimeout = requestTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive {
            self.enter(.waiting(since: .now()), context: context)
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.enter(.waiting(since: .now()), context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.state {
        case .waiting:
            self.enter(.reading(since: .now()), context: context)
        case .answering(sawBytes: false):
            self.state = .answering(sawBytes: true)
        case .lingering:
            return
        case .reading, .answering(sawBytes: true), .done:
            break
        }
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .lingering = self.state, let event = event as? ChannelEvent, event == .inputClosed {
            // The client has sent all it will: the 408 went out, close now.
            self.stop()
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let event = event as? HTTPExchangeEvent else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        switch (event, self.state) {
        case (.requestReceived, .waiting), (.requestReceived, .reading):
            self.state = .answering(sawBytes: false)
        case (.responseStarting, .answering(let sawBytes)):
            self.enter(sawBytes ? .reading(since: .now()) : .waiting(since: .now()), context: context)
        case (.requestReceived, .answering), (.requestReceived, .lingering), (.requestReceived, .done), (.responseStarting, _):
            break
        }
        promise?.succeed()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.stop()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.stop()
    }

    // MARK: - Private

    /// The moment the current state times out, if it can.
    private var deadline: NIODeadline? {
        switch self.state {
        case .waiting(let since): self.idleTimeout.map { since + $0 }
        case .reading(let since): self.requestTimeout.map { since + $0 }
        case .answering, .lingering, .done: nil
        }
    }

    private func enter(_ state: State, context: ChannelHandlerContext) {
        self.state = state
        guard let deadline = self.deadline else { return }
        // A timer that fires earlier reschedules itself; only a later one must be moved.
        if let timerDeadline = self.timerDeadline, timerDeadline <= deadline { return }
        self.timer?.cancel()
        self.timerDeadline = deadline
        self.timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.timerFired(context: context)
        }
    }

    private func timerFired(context: ChannelHandlerContext) {
        self.timer = nil
        self.timerDeadline = nil
        guard let deadline = self.deadline else { return }
        guard deadline <= .now() else {
            self.enter(self.state, context: context)
            return
        }
        let state = self.state
        self.state = .done
        switch state {
        case .waiting:
            context.close(promise: nil)
        case .reading:
            self.answerRequestTimeout(context: context)
        case .answering, .lingering, .done:
            break
        }
    }

    /// Answers `408` straight onto the socket (no response is in progress while a request is arriving),
    /// shuts the sending side once it is written, and closes when the client has stopped sending (or
    /// after ``lingerTime``).
    private func answerRequestTimeout(context: ChannelHandlerContext) {
        let milliseconds = (self.requestTimeout ?? .zero).nanoseconds / 1_000_000
        let limit = milliseconds % 1000 == 0 ? "\(milliseconds / 1000) seconds" : "\(milliseconds) milliseconds"
        let body = "The request was not received within \(limit).\n"
        let response =
            "HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
            + "content-length: \(body.utf8.count)\r\nconnection: close\r\n\r\n\(body)"
        let buffer = context.channel.allocator.buffer(string: response)
        self.state = .lingering
        context.writeAndFlush(Self.wrapOutboundOut(buffer)).assumeIsolated().whenComplete { _ in
            context.close(mode: .output, promise: nil)
        }
        self.timer = context.eventLoop.assumeIsolated().scheduleTask(in: Self.lingerTime) {
            self.timer = nil
            self.state = .done
            context.close(promise: nil)
        }
    }

    private func stop() {
        self.timer?.cancel()
        self.timer = nil
        self.timerDeadline = nil
        self.state = .done
    }
}

@available(*, unavailable)
extension HTTPConnectionTimeoutHandler: Sendable {}
