import NIOCore

/// Where the HTTP server listens and the limits it enforces.
public struct HTTPServerConfiguration: Sendable {
    /// The address to bind, `127.0.0.1` by default. Use `0.0.0.0` to accept connections from other hosts.
    public var host: String
    /// The TCP port to bind; `0` asks the system for an ephemeral port (read it back from ``HTTPServer/localAddress``).
    public var port: Int
    /// The largest request body accepted, in bytes (16 MiB by default).
    ///
    /// A larger request is answered with the server's oversize response and its connection is closed.
    public var maxRequestBodySize: Int
    /// How long a keep-alive connection may sit with no request in progress before the server closes it
    /// (60 seconds by default); `nil` keeps idle connections open forever.
    ///
    /// A request that is still being answered (a long poll, say) is never cut by this timeout.
    public var idleTimeout: TimeAmount?

    /// Creates a configuration.
    ///
    /// - Parameters:
    ///   - host: The address to bind.
    ///   - port: The port to bind; `0` for an ephemeral port.
    ///   - maxRequestBodySize: The largest request body accepted, in bytes.
    ///   - idleTimeout: The keep-alive idle timeout, or `nil` for none.
    public init(
        host: String = "127.0.0.1",
        port: Int = 9324,
        maxRequestBodySize: Int = 16 * 1024 * 1024,
        idleTimeout: TimeAmount? = .seconds(60)
    ) {
        self.host = host
        self.port = port
        self.maxRequestBodySize = maxRequestBodySize
        self.idleTimeout = idleTimeout
    }
}
