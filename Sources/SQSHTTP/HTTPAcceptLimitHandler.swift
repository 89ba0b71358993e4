import Logging
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The listening socket's guard: caps how many connections are open at once, and keeps a server that
/// has run out of file descriptors from spinning.
///
/// At ``HTTPServerConfiguration/maxConnections`` open connections it stops asking the socket for more
/// (further clients wait in the listen backlog) and asks again when one closes. The server channel
/// accepts one connection per read, so the cap is exact.
///
/// When `accept` fails for lack of descriptors (`EMFILE`, `ENFILE`, `ENOBUFS`, `ENOMEM`), NIO would try
/// again at once, forever; NIO's `AcceptBackoffHandler`, placed before this handler, waits a second
/// between tries, asking ``backoff(for:)``. That logs a warning once per outage, not per failure, and
/// a notice when a connection is accepted again.
final class HTTPAcceptLimitHandler: ChannelDuplexHandler {
    typealias InboundIn = any Channel
    typealias InboundOut = any Channel
    typealias OutboundIn = Never

    /// How long accepting pauses after it failed for lack of descriptors.
    static let backoffTime: TimeAmount = .seconds(1)

    private let maxConnections: Int
    private let logger: Logger
    private var openConnections = 0
    /// A `read` held back because the cap was reached.
    private var readPending = false
    /// Whether the current descriptor outage was logged.
    private var outageLogged = false

    /// - Parameters:
    ///   - maxConnections: How many connections may be open at once.
    ///   - logger: For the warning when accepting fails.
    init(maxConnections: Int, logger: Logger) {
        self.maxConnections = max(1, maxConnections)
        self.logger = logger
    }

    /// The number of connections accepted and not yet closed.
    var connectionCount: Int { self.openConnections }

    /// The backoff for NIO's `AcceptBackoffHandler`: a pause after running out of descriptors, logged
    /// once per outage; none for other errors (a connection aborted before it was accepted, say).
    func backoff(for error: IOError) -> TimeAmount? {
        switch error.errnoCode {
        case EMFILE, ENFILE, ENOBUFS, ENOMEM:
            if !self.outageLogged {
                self.outageLogged = true
                self.logger.warning(
                    "Cannot accept connections: out of file descriptors or memory; retrying every second. Raise the open-files limit (ulimit -n) or lower --max-connections",
                    metadata: ["error": "\(error)", "open_connections": "\(self.openConnections)"])
            }
            return Self.backoffTime
        default:
            return nil
        }
    }

    func read(context: ChannelHandlerContext) {
        if self.openConnections >= self.maxConnections {
            self.readPending = true
        } else {
            context.read()
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let child = Self.unwrapInboundIn(data)
        if self.outageLogged {
            self.outageLogged = false
            self.logger.notice("Accepting connections again")
        }
        self.openConnections += 1
        let loopBound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        child.closeFuture.whenComplete { _ in
            loopBound.eventLoop.execute {
                let (handler, context) = loopBound.value
                handler.connectionClosed(context: context)
            }
        }
        context.fireChannelRead(data)
    }

    private func connectionClosed(context: ChannelHandlerContext) {
        self.openConnections -= 1
        if self.readPending && self.openConnections < self.maxConnections && context.channel.isActive {
            self.readPending = false
            context.read()
        }
    }
}

@available(*, unavailable)
extension HTTPAcceptLimitHandler: Sendable {}
