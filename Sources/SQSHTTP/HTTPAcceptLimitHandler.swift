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
/// When `accept` fails for lack of descriptors (`EMFILE`, `ENFILE`), NIO tries again at once, forever:
/// its read stays pending, so the listening socket stays readable and a core spins at 100%. NIO's
/// `AcceptBackoffHandler`, placed before this handler, can only delay the *next* read, so this handler
/// keeps one descriptor in reserve (`/dev/null`) and, on the failure, gives it up: the next `accept`
/// succeeds, that connection is closed at once (the client fails fast instead of hanging), the read is no
/// longer pending, and the backoff handler waits a second before accepting again (``backoff(for:)``).
/// The reserve is taken back when the closed connection's descriptor is free. The warning is logged once
/// per outage, not per failure, and a notice when a connection is accepted again.
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
    /// A descriptor kept open to be given up when `accept` runs out of them.
    private var reserve: CInt?
    /// The reserve was given up: the next connection accepted is closed at once.
    private var shedNext = false

    /// - Parameters:
    ///   - maxConnections: How many connections may be open at once.
    ///   - logger: For the warning when accepting fails.
    init(maxConnections: Int, logger: Logger) {
        self.maxConnections = max(1, maxConnections)
        self.logger = logger
    }

    /// The number of connections accepted and not yet closed.
    var connectionCount: Int { self.openConnections }

    /// Whether a descriptor is held in reserve.
    var holdsReserve: Bool { self.reserve != nil }

    func handlerAdded(context: ChannelHandlerContext) {
        self.takeReserve()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        if let reserve = self.reserve {
            closeDescriptor(reserve)
            self.reserve = nil
        }
    }

    /// The backoff for NIO's `AcceptBackoffHandler`: a pause after running out of descriptors, logged
    /// once per outage; none for other errors (a connection aborted before it was accepted, say).
    func backoff(for error: IOError) -> TimeAmount? {
        switch error.errnoCode {
        case EMFILE, ENFILE, ENOBUFS, ENOMEM:
            if error.errnoCode == EMFILE || error.errnoCode == ENFILE {
                self.takeReserve()
                if let reserve = self.reserve {
                    closeDescriptor(reserve)
                    self.reserve = nil
                    self.shedNext = true
                }
            }
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
        let loopBound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        if self.shedNext {
            // Accepted with the reserve descriptor: close it, and take the reserve back once it is free.
            self.shedNext = false
            child.closeFuture.whenComplete { _ in
                loopBound.eventLoop.execute {
                    loopBound.value.handler.takeReserve()
                }
            }
            child.close(promise: nil)
            return
        }
        if self.outageLogged {
            self.outageLogged = false
            self.logger.notice("Accepting connections again")
        }
        self.openConnections += 1
        child.closeFuture.whenComplete { _ in
            loopBound.eventLoop.execute {
                let (handler, context) = loopBound.value
                handler.connectionClosed(context: context)
            }
        }
        context.fireChannelRead(data)
    }

    /// Opens the reserve descriptor if it is not held (and can be opened).
    private func takeReserve() {
        guard self.reserve == nil else { return }
        let descriptor = open("/dev/null", O_RDONLY | O_CLOEXEC)
        self.reserve = descriptor >= 0 ? descriptor : nil
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

private func closeDescriptor(_ descriptor: CInt) {
    #if canImport(Glibc)
    _ = Glibc.close(descriptor)
    #else
    _ = Darwin.close(descriptor)
    #endif
}
