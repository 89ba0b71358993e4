import Logging
import NIOCore
import NIOExtras
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import Synchronization

/// An HTTP/1.1 server on plain SwiftNIO, run as a swift-service-lifecycle `Service`.
///
/// Each connection gets an idle timeout and a deadline for receiving each request (both never cut a
/// response in progress), NIO's HTTP/1.1 codec with pipelining assistance, and one handler of ours that
/// aggregates each request (up to ``HTTPServerConfiguration/maxRequestBodySize``), checks its `Host`
/// (``HTTPServerConfiguration/allowedHosts``), hands it to the ``HTTPResponder`` in a `Task`, and answers
/// malformed requests with a 400. Keep-alive follows HTTP/1.1 rules, pipelined requests are answered in
/// order, a client that half-closes still gets its answers, and every response carries `Content-Length`.
/// The listening socket caps the open connections (``HTTPServerConfiguration/maxConnections``) and backs
/// off when it runs out of file descriptors.
///
/// ```swift
/// let server = HTTPServer(
///     configuration: HTTPServerConfiguration(port: 0),
///     responder: responder,
///     logger: logger,
///     oversizeResponse: { _ in HTTPResponse(status: .payloadTooLarge) }
/// )
/// let group = ServiceGroup(services: [server], gracefulShutdownSignals: [.sigterm], logger: logger)
/// try await group.run()
/// ```
///
/// Shutting down:
/// - On graceful shutdown, ``run()`` first awaits `onShutdown` (which lets the SQS engine end its long
///   polls), then stops accepting connections, lets in-flight requests finish and their responses be
///   written (with `Connection: close`), closes idle keep-alive connections, and returns.
/// - On task cancellation it closes the listening socket and every connection at once; responders still
///   working see their tasks cancelled. ``run()`` then returns without throwing.
public final class HTTPServer: Service, Sendable {
    private typealias Waiters = [UInt64: CheckedContinuation<SocketAddress?, Never>]

    private enum Phase {
        /// ``run()`` has not bound yet; callers of ``localAddress`` wait here.
        case initial(waiters: Waiters)
        /// Listening on `address`; `shutdownInitiated` once the quiescing helper has been told to shut down.
        case running(address: SocketAddress?, shutdownInitiated: Bool)
        /// ``run()`` has returned or failed to bind.
        case finished
    }

    private struct State {
        var phase: Phase = .initial(waiters: [:])
        var nextWaiterID: UInt64 = 0
        var hasRun = false
    }

    private let configuration: HTTPServerConfiguration
    private let responder: any HTTPResponder
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let oversizeResponse: @Sendable (HTTPRequestHead) -> HTTPResponse
    private let onShutdown: @Sendable () async -> Void
    /// Called with each accepted connection once its options are set, before its pipeline is built (tests).
    let onAccept: (@Sendable (any Channel) -> Void)?
    private let state = Mutex(State())

    /// Creates a server; nothing is bound until ``run()``.
    ///
    /// - Parameters:
    ///   - configuration: Address, port and limits.
    ///   - responder: Answers every request.
    ///   - eventLoopGroup: The event loops that run the sockets; the process-wide singleton by default.
    ///   - logger: For server-level events and connection errors; nothing is logged per request.
    ///   - oversizeResponse: Builds the answer to a request whose body is larger than
    ///     ``HTTPServerConfiguration/maxRequestBodySize``. It runs on the event loop, so it must be quick.
    ///     The connection is closed after that response.
    ///   - onShutdown: Awaited when graceful shutdown begins, before the server stops accepting connections.
    public convenience init(
        configuration: HTTPServerConfiguration,
        responder: any HTTPResponder,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger,
        oversizeResponse: @escaping @Sendable (HTTPRequestHead) -> HTTPResponse,
        onShutdown: @escaping @Sendable () async -> Void = {}
    ) {
        self.init(
            configuration: configuration, responder: responder, eventLoopGroup: eventLoopGroup, logger: logger,
            oversizeResponse: oversizeResponse, onShutdown: onShutdown, onAccept: nil)
    }

    /// Creates a server that reports each accepted connection to `onAccept` (for tests).
    init(
        configuration: HTTPServerConfiguration,
        responder: any HTTPResponder,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger,
        oversizeResponse: @escaping @Sendable (HTTPRequestHead) -> HTTPResponse,
        onShutdown: @escaping @Sendable () async -> Void = {},
        onAccept: (@Sendable (any Channel) -> Void)?
    ) {
        self.onAccept = onAccept
        self.configuration = configuration
        self.responder = responder
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.oversizeResponse = oversizeResponse
        self.onShutdown = onShutdown
    }

    /// The address the server listens on, which tells the real port when port `0` was asked for.
    ///
    /// Suspends until ``run()`` has bound its socket. It is `nil` if binding failed, if the server has
    /// already stopped, or if the waiting task is cancelled first.
    public var localAddress: SocketAddress? {
        get async {
            let id = self.state.withLock { state in
                defer { state.nextWaiterID += 1 }
                return state.nextWaiterID
            }
            return await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<SocketAddress?, Never>) in
                    let immediate: SocketAddress?? = self.state.withLock { state in
                        switch state.phase {
                        case .initial(var waiters):
                            if Task.isCancelled { return .some(nil) }
                            waiters[id] = continuation
                            state.phase = .initial(waiters: waiters)
                            return nil
                        case .running(let address, _):
                            return .some(address)
                        case .finished:
                            return .some(nil)
                        }
                    }
                    if let immediate {
                        continuation.resume(returning: immediate)
                    }
                }
            } onCancel: {
                let waiter: CheckedContinuation<SocketAddress?, Never>? = self.state.withLock { state in
                    guard case .initial(var waiters) = state.phase else { return nil }
                    let waiter = waiters.removeValue(forKey: id)
                    state.phase = .initial(waiters: waiters)
                    return waiter
                }
                waiter?.resume(returning: nil)
            }
        }
    }

    /// Binds the socket and serves until graceful shutdown or cancellation.
    ///
    /// Call it once. It throws only if the socket cannot be bound.
    public func run() async throws {
        let firstRun = self.state.withLock { state in
            defer { state.hasRun = true }
            return !state.hasRun
        }
        precondition(firstRun, "HTTPServer.run() must be called only once")

        let quiescing = ServerQuiescingHelper(group: self.eventLoopGroup)
        let connections = HTTPChannelRegistry()
        let addresses = self.configuration.listenAddresses
        var serverChannels: [any Channel] = []
        do {
            serverChannels.append(
                try await self.makeBootstrap(quiescing: quiescing, connections: connections)
                    .bind(host: addresses[0], port: self.configuration.port)
                    .get())
        } catch {
            self.logger.error(
                "HTTP server could not bind",
                metadata: ["host": "\(addresses[0])", "port": "\(self.configuration.port)", "error": "\(error)"]
            )
            self.finish()
            throw error
        }
        let serverChannel = serverChannels[0]
        let address = serverChannel.localAddress
        // Further addresses (`::1` beside `127.0.0.1` for `localhost`) share the first one's port. One that
        // cannot be bound (no IPv6 on this machine, or its port taken there) is logged and skipped.
        for extra in addresses.dropFirst() {
            do {
                serverChannels.append(
                    try await self.makeBootstrap(quiescing: quiescing, connections: connections)
                        .bind(host: extra, port: address?.port ?? self.configuration.port)
                        .get())
            } catch {
                self.logger.notice(
                    "HTTP server not listening on an additional address", metadata: ["host": "\(extra)", "error": "\(error)"])
            }
        }
        defer { self.finish() }
        self.started(address: address)
        for channel in serverChannels {
            self.logger.info("HTTP server listening", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
        }

        // Completed by the quiescing helper once the listening sockets and every connection are closed.
        let allClosed = serverChannel.eventLoop.makePromise(of: Void.self)
        // Should a listening socket close by itself, shut down rather than wait forever.
        for channel in serverChannels {
            channel.closeFuture.whenComplete { _ in
                self.initiateShutdown(quiescing, completing: allClosed)
            }
        }

        await withTaskCancellationHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    // Throws only when cancelled, and cancellation is handled below.
                    guard (try? await gracefulShutdown()) != nil else { return }
                    self.logger.info("HTTP server shutting down gracefully")
                    await self.onShutdown()
                    self.initiateShutdown(quiescing, completing: allClosed)
                }
                try? await allClosed.futureResult.get()
                group.cancelAll()
            }
        } onCancel: {
            self.initiateShutdown(quiescing, completing: allClosed)
            connections.closeAll()
        }
        self.logger.info("HTTP server stopped")
    }

    // MARK: - Private

    private func makeBootstrap(quiescing: ServerQuiescingHelper, connections: HTTPChannelRegistry) -> ServerBootstrap {
        let responder = self.responder
        let maxRequestBodySize = self.configuration.maxRequestBodySize
        let bodySizeAllowance = self.configuration.bodySizeAllowance
        let idleTimeout = self.configuration.idleTimeout
        let requestTimeout = self.configuration.requestTimeout
        let maxConnections = self.configuration.maxConnections
        var allowedHosts = self.configuration.allowedHosts
        allowedHosts.add(self.configuration.host)
        let hosts = allowedHosts
        let oversizeResponse = self.oversizeResponse
        let logger = self.logger
        let onAccept = self.onAccept
        return ServerBootstrap(group: self.eventLoopGroup)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            // One connection per accept round, so that `HTTPAcceptLimitHandler`'s cap is exact.
            .serverChannelOption(.maxMessagesPerRead, value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(quiescing.makeServerChannelHandler(channel: channel))
                    let limit = HTTPAcceptLimitHandler(maxConnections: maxConnections, logger: logger)
                    try pipeline.addHandler(
                        AcceptBackoffHandler(shouldForwardIOErrorCaught: false, backoffProvider: { limit.backoff(for: $0) }))
                    try pipeline.addHandler(limit)
                }
            }
            // TCP_NODELAY is a TCP-level option: at the socket level its number is SO_DEBUG, which only
            // privileged users may set (every connection of a non-root server was reset).
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            // A client that half-closes after its request still gets the answer.
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                connections.register(channel)
                onAccept?(channel)
                return channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if idleTimeout != nil || requestTimeout != nil {
                        try pipeline.addHandler(HTTPConnectionTimeoutHandler(idleTimeout: idleTimeout, requestTimeout: requestTimeout))
                    }
                    try pipeline.addHandler(HTTPReadAheadHandler())
                    // Parse errors are answered by `HTTPServerHandler`, which knows when not to answer them.
                    try pipeline.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: false)
                    try pipeline.addHandler(
                        HTTPServerHandler(
                            responder: responder,
                            maxRequestBodySize: maxRequestBodySize,
                            bodySizeAllowance: bodySizeAllowance,
                            allowedHosts: hosts,
                            oversizeResponse: oversizeResponse,
                            logger: logger
                        )
                    )
                }
            }
    }

    /// Tells the quiescing helper to shut down; only the first call hands it the promise to complete.
    private func initiateShutdown(_ quiescing: ServerQuiescingHelper, completing allClosed: EventLoopPromise<Void>) {
        let first = self.state.withLock { state in
            guard case .running(let address, false) = state.phase else { return false }
            state.phase = .running(address: address, shutdownInitiated: true)
            return true
        }
        quiescing.initiateShutdown(promise: first ? allClosed : nil)
    }

    private func started(address: SocketAddress?) {
        let waiters = self.state.withLock { state -> Waiters in
            guard case .initial(let waiters) = state.phase else { return [:] }
            state.phase = .running(address: address, shutdownInitiated: false)
            return waiters
        }
        for waiter in waiters.values {
            waiter.resume(returning: address)
        }
    }

    private func finish() {
        let waiters = self.state.withLock { state -> Waiters in
            defer { state.phase = .finished }
            guard case .initial(let waiters) = state.phase else { return [:] }
            return waiters
        }
        for waiter in waiters.values {
            waiter.resume(returning: nil)
        }
    }
}
