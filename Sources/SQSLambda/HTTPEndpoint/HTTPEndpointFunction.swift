import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// A function behind an HTTP endpoint: the event is POSTed as JSON and the response body is the
/// function's result, as with AWS's Runtime Interface Emulator
/// (`http://localhost:9000/2015-03-31/functions/function/invocations`).
///
/// A non-2xx answer, or a body that is a Lambda error document (`errorType`/`errorMessage`
/// with an `X-Amz-Function-Error` header), is a function error; no answer within the timeout is a
/// timeout; a refused connection is a function error of type `Runtime.ConnectionRefused`.
public struct HTTPEndpointFunction: LambdaFunction {
    /// The settings (kind ``FunctionConfiguration/Kind/url``).
    public let configuration: FunctionConfiguration
    /// The endpoint.
    public let url: EndpointURL

    /// Creates a function; `nil` when the URL is not `http://host[:port]/path`.
    public init?(configuration: FunctionConfiguration, url: String) {
        guard let parsed = EndpointURL(url) else { return nil }
        self.configuration = configuration
        self.url = parsed
    }

    public func invoke(_ invocation: Invocation) async -> InvocationOutcome {
        let timeout = configuration.timeout
        let url = self.url
        let result = await Race.first(
            { await Self.post(invocation, to: url) }, orTimeoutAfter: .seconds(timeout), .timedOut(seconds: timeout))
        return InvocationOutcome(result: result)
    }

    private static func post(_ invocation: Invocation, to url: EndpointURL) async -> InvocationOutcome.Result {
        do {
            let response = try await HTTPOneShotClient.post(
                host: url.host, port: url.port, path: url.path, body: invocation.payload,
                headers: [
                    ("Content-Type", "application/json"), ("Lambda-Runtime-Aws-Request-Id", invocation.requestID),
                    ("X-Amz-Invocation-Type", "RequestResponse"),
                ])
            if let errorType = response.headers.first(name: "x-amz-function-error") {
                return .functionError(type: errorType, message: String(decoding: response.body, as: UTF8.self), payload: response.body)
            }
            guard (200..<300).contains(response.status) else {
                return .functionError(
                    type: "HTTP\(response.status)", message: String(decoding: response.body.prefix(1024), as: UTF8.self), payload: [])
            }
            return .success(response.body)
        } catch {
            return .functionError(type: "Runtime.ConnectionRefused", message: "\(url.host):\(url.port): \(error)", payload: [])
        }
    }
}

/// An `http://host[:port]/path` URL.
public struct EndpointURL: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var path: String

    /// Parses a URL; `nil` for anything but plain `http`.
    public init?(_ text: String) {
        guard text.hasPrefix("http://") else { return nil }
        let rest = text.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" }
        path = rest.count > authority.count ? String(rest.dropFirst(authority.count)) : "/"
        if let colon = authority.lastIndex(of: ":"), let port = Int(authority[authority.index(after: colon)...]) {
            host = String(authority[..<colon])
            self.port = port
        } else {
            host = String(authority)
            port = 80
        }
        if host.isEmpty { return nil }
    }
}

/// One HTTP/1.1 request on its own connection, read to the end: enough for invoking endpoints.
enum HTTPOneShotClient {
    struct Response: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: [UInt8]
    }

    static func post(host: String, port: Int, path: String, body: [UInt8], headers extra: [(String, String)]) async throws -> Response {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var headers = HTTPHeaders()
            headers.add(name: "Host", value: port == 80 ? host : "\(host):\(port)")
            headers.add(name: "Content-Length", value: String(body.count))
            headers.add(name: "Connection", value: "close")
            for (name, value) in extra { headers.add(name: name, value: value) }
            try await outbound.write(.head(HTTPRequestHead(version: .http1_1, method: .POST, uri: path, headers: headers)))
            try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body))))
            try await outbound.write(.end(nil))
            var response = Response(status: 0, headers: [:], body: [])
            for try await part in inbound {
                switch part {
                case .head(let head):
                    response.status = Int(head.status.code)
                    response.headers = head.headers
                case .body(var buffer):
                    response.body += buffer.readBytes(length: buffer.readableBytes) ?? []
                case .end:
                    return response
                }
            }
            return response
        }
    }
}
