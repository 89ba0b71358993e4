import NIOCore
import NIOHTTP1

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the HTTP server listens and the limits it enforces.
///
/// The defaults live here, as the `default…` static properties, and nowhere else: `sqslite serve`'s
/// options and its help text read them.
public struct HTTPServerConfiguration: Sendable {
    /// The largest request body accepted by default: 16 MiB.
    public static let defaultMaxRequestBodySize = 16 * 1024 * 1024
    /// The default keep-alive idle timeout: 60 seconds.
    public static let defaultIdleTimeoutSeconds = 60
    /// The default time a client has to send a whole request (head and body): 30 seconds.
    public static let defaultRequestTimeoutSeconds = 30
    /// How many connections are served at once by default: 4096, or fewer when the process may open
    /// fewer files: the soft `RLIMIT_NOFILE` less 64 descriptors kept for the database, logs and function
    /// processes (at least half the limit), so that the cap is reached before `accept` runs out of descriptors.
    public static let defaultMaxConnections: Int = {
        var limit = rlimit()
        #if canImport(Glibc)
        let status = getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        #else
        let status = getrlimit(RLIMIT_NOFILE, &limit)
        #endif
        guard status == 0 else { return 4096 }
        // RLIM_INFINITY clamps to Int.max.
        let files = Int(clamping: limit.rlim_cur)
        return max(1, min(4096, max(files / 2, files - 64)))
    }()

    /// The address to bind, `127.0.0.1` by default. Use `0.0.0.0` (or `::`) to accept connections from
    /// other hosts. `localhost` binds both loopback addresses, `127.0.0.1` and `::1` (see ``listenAddresses``).
    public var host: String
    /// The TCP port to bind; `0` asks the system for an ephemeral port (read it back from ``HTTPServer/localAddress``).
    public var port: Int
    /// The largest request body accepted, in bytes (``defaultMaxRequestBodySize`` by default).
    ///
    /// A larger request is answered with the server's oversize response and its connection is closed.
    public var maxRequestBodySize: Int
    /// A larger body limit for some requests, by their head (Lambda's CreateFunction carries a
    /// 50 MB zip in base64), or `nil` for ``maxRequestBodySize``. It runs on the event loop for every
    /// request head, so it must be quick; a value below ``maxRequestBodySize`` does not lower it.
    public var bodySizeAllowance: (@Sendable (HTTPRequestHead) -> Int?)?
    /// How long a keep-alive connection may sit with no request in progress before the server closes it
    /// (``defaultIdleTimeoutSeconds`` by default); `nil` keeps idle connections open forever.
    ///
    /// A request that is still being answered (a long poll, say) is never cut by this timeout.
    public var idleTimeout: TimeAmount?
    /// How long a client has to send a whole request, head and body, counted from the request's first
    /// byte (``defaultRequestTimeoutSeconds`` by default); `nil` for no limit.
    ///
    /// A client that trickles its request slower than that gets `408 Request Timeout` and its connection
    /// is closed. The time the server takes to answer (a long poll, say) never counts.
    public var requestTimeout: TimeAmount?
    /// How many connections are served at once (``defaultMaxConnections`` by default).
    ///
    /// At the cap the server stops accepting: further clients wait in the listen backlog until a
    /// connection closes.
    public var maxConnections: Int
    /// Which `Host` header values are answered; others get `403 Forbidden`. This protects against DNS
    /// rebinding. By default: `localhost`, `*.localhost`, IP literals and the bind address.
    public var allowedHosts: HTTPHostAllowList

    /// Creates a configuration.
    ///
    /// - Parameters:
    ///   - host: The address to bind.
    ///   - port: The port to bind; `0` for an ephemeral port.
    ///   - maxRequestBodySize: The largest request body accepted, in bytes.
    ///   - idleTimeout: The keep-alive idle timeout, or `nil` for none.
    ///   - requestTimeout: The time allowed to receive one whole request, or `nil` for none.
    ///   - maxConnections: How many connections are served at once.
    ///   - allowedHosts: The `Host` values answered; the bind address is always allowed too.
    public init(
        host: String = "127.0.0.1",
        port: Int = 9324,
        maxRequestBodySize: Int = HTTPServerConfiguration.defaultMaxRequestBodySize,
        idleTimeout: TimeAmount? = .seconds(Int64(HTTPServerConfiguration.defaultIdleTimeoutSeconds)),
        requestTimeout: TimeAmount? = .seconds(Int64(HTTPServerConfiguration.defaultRequestTimeoutSeconds)),
        maxConnections: Int = HTTPServerConfiguration.defaultMaxConnections,
        allowedHosts: HTTPHostAllowList = HTTPHostAllowList()
    ) {
        self.host = host
        self.port = port
        self.maxRequestBodySize = maxRequestBodySize
        self.idleTimeout = idleTimeout
        self.requestTimeout = requestTimeout
        self.maxConnections = maxConnections
        self.allowedHosts = allowedHosts
    }

    /// The addresses bound, on one port: both loopback addresses for `localhost` (clients that resolve
    /// `localhost` to `::1` first are not refused), otherwise ``host`` alone.
    public var listenAddresses: [String] {
        self.host.lowercased() == "localhost" ? ["127.0.0.1", "::1"] : [self.host]
    }
}
