import NIOCore

/// Keeps a connection's socket watched while the response to its request is prepared.
///
/// NIO's `HTTPServerPipelineHandler` holds back the channel's `read` from the moment a request has
/// arrived until its response's `.end` is written, so that pipelined requests wait their turn. NIO
/// then stops watching the socket, and the read that follows the response watches it again: two
/// `epoll_ctl` calls per request, on every connection (measured with `wrk -t2 -c16` on `GET /health`:
/// about 380,000 in 5 s, and 5 without them).
///
/// A client that does not pipeline sends nothing while it waits, so once a request has been received
/// (``HTTPExchangeEvent/requestReceived``) this handler, placed between the socket and the HTTP codec,
/// asks for one read itself. The socket stays watched and nothing arrives; the next request is read
/// as soon as it comes. A client that does pipeline is read at most one read event (NIO's
/// `maxMessagesPerRead` socket reads) ahead of what the pipeline handler asked for: the pipeline
/// handler buffers that data as it buffers the rest of a read, and no further read is asked for here
/// until the response starts (``HTTPExchangeEvent/responseStarting``).
final class HTTPReadAheadHandler: ChannelOutboundHandler {
    typealias OutboundIn = NIOAny
    typealias OutboundOut = NIOAny

    /// A read was asked for here since the request was received.
    private var readAhead = false

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        switch event as? HTTPExchangeEvent {
        case .requestReceived:
            if !self.readAhead {
                self.readAhead = true
                context.read()
            }
        case .responseStarting:
            self.readAhead = false
        case nil:
            break
        }
        context.triggerUserOutboundEvent(event, promise: promise)
    }
}
