import AsyncHTTPClient
import NIOCore

extension HTTPClient.Configuration {
    /// The configuration of the client that invokes ``HTTPEndpointFunction``s (the composition
    /// root makes one client with it and shuts it down when the server stops).
    ///
    /// - `connectionPool.retryConnectionEstablishment = false`: by default async-http-client
    ///   answers a failed connect (a refused port, an unknown host) by retrying with exponential
    ///   backoff, and a request fails only when its deadline (the function's timeout) passes; a
    ///   shorter connect timeout does not change that, it only bounds each attempt. With the
    ///   retries off, the pool fails the requests waiting for that connection at once with the
    ///   connect error (`HTTP1StateMachine.failedToCreateNewConnection`), which the function
    ///   reports as `Runtime.ConnectionRefused`, as an endpoint that is down should.
    /// - `concurrentHTTP1ConnectionsPerHostSoftLimit`: the account's concurrency, so invocations
    ///   running at once each get a connection instead of waiting (on the clock of their timeout)
    ///   behind the default 8.
    /// - Kept-alive connections are reused by the next invocations and closed after 60 idle seconds.
    /// - Redirects are not followed: a 3xx is an answer that is not 2xx, so a function error.
    /// - An address that never answers a connect fails after async-http-client's connect timeout
    ///   (10 seconds), or the function's timeout when that is shorter.
    public static var lambdaEndpoints: HTTPClient.Configuration {
        var pool = ConnectionPool(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: LambdaAPILimits.accountConcurrency)
        pool.retryConnectionEstablishment = false
        return HTTPClient.Configuration(redirectConfiguration: .disallow, connectionPool: pool)
    }
}
