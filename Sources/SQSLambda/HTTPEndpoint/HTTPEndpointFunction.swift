import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix

/// A function behind an HTTP endpoint: the event is POSTed as JSON and the response body is the
/// function's result, as with AWS's Runtime Interface Emulator
/// (`http://localhost:9000/2015-03-31/functions/function/invocations`).
///
/// The request carries the Runtime API's invocation headers (`Lambda-Runtime-Aws-Request-Id`,
/// `Lambda-Runtime-Deadline-Ms`, `Lambda-Runtime-Invoked-Function-Arn`, `Lambda-Runtime-Trace-Id`)
/// and `X-Amz-Invocation-Type: RequestResponse`. Then:
/// - a 2xx answer is the result;
/// - an answer with an `X-Amz-Function-Error` header is a function error of that type, with the
///   body (a Lambda error document) as its payload; any other non-2xx answer is a function error
///   `HTTP<status>`;
/// - a body over Lambda's response limit is `Function.ResponseSizeTooLarge`, as for a process;
/// - no whole answer within the function's timeout is a timeout (the request is cancelled, which
///   closes its connection);
/// - a connection that cannot be made (refused, unknown host) is a function error
///   `Runtime.ConnectionRefused` at once (see ``AsyncHTTPClient/HTTPClient/Configuration/lambdaEndpoints``);
///   a connection dropped before the whole answer, `Runtime.Unknown`.
///
/// Invocations share the async-http-client ``client`` and its kept-alive connections.
public struct HTTPEndpointFunction: LambdaFunction {
    /// The settings (kind ``FunctionConfiguration/Kind/url``).
    public let configuration: FunctionConfiguration
    /// The endpoint.
    public let url: EndpointURL
    /// The client, made with ``AsyncHTTPClient/HTTPClient/Configuration/lambdaEndpoints`` (its
    /// owner shuts it down).
    public let client: HTTPClient

    /// Creates a function; `nil` when the URL is not `http://host[:port]/path`.
    public init?(configuration: FunctionConfiguration, url: String, client: HTTPClient) {
        guard let parsed = EndpointURL(url) else { return nil }
        self.configuration = configuration
        self.url = parsed
        self.client = client
    }

    /// Posts the event, bounded by the timeout: the request and a timer race in a task group
    /// (``Race``), the first to finish decides, and the other is cancelled.
    public func invoke(_ invocation: Invocation) async -> InvocationOutcome {
        let timeout = configuration.timeout
        let result = await Race.first({ await post(invocation) }, orTimeoutAfter: .seconds(timeout), .timedOut(seconds: timeout))
        return InvocationOutcome(result: result)
    }

    private func post(_ invocation: Invocation) async -> InvocationOutcome.Result {
        var request = HTTPClientRequest(url: url.text)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Lambda-Runtime-Aws-Request-Id", value: invocation.requestID)
        request.headers.add(name: "Lambda-Runtime-Deadline-Ms", value: String(invocation.deadlineMilliseconds))
        request.headers.add(name: "Lambda-Runtime-Invoked-Function-Arn", value: invocation.functionArn)
        request.headers.add(name: "Lambda-Runtime-Trace-Id", value: invocation.traceID)
        request.headers.add(name: "X-Amz-Invocation-Type", value: "RequestResponse")
        request.body = .bytes(ByteBuffer(bytes: invocation.payload))
        let response: HTTPClientResponse
        do {
            // The deadline only backs up the timer, which cancels the request first.
            response = try await client.execute(request, timeout: .seconds(Int64(configuration.timeout) + 1))
        } catch {
            return Self.failure(error, before: "an answer", url: url)
        }
        let body: [UInt8]
        do {
            var buffer = try await response.body.collect(upTo: FunctionProcess.maxPayloadSize)
            body = buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch is NIOTooManyBytesError {
            return .functionError(
                type: "Function.ResponseSizeTooLarge",
                message: "Response payload size exceeded maximum allowed payload size (\(FunctionProcess.maxPayloadSize) bytes).", payload: [])
        } catch {
            return Self.failure(error, before: "the whole answer", url: url)
        }
        if let errorType = response.headers.first(name: "X-Amz-Function-Error") {
            return .functionError(type: errorType, message: String(decoding: body, as: UTF8.self), payload: body)
        }
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            return .functionError(type: "HTTP\(status)", message: String(decoding: body.prefix(1024), as: UTF8.self), payload: [])
        }
        return .success(body)
    }

    /// A transport failure: `Runtime.ConnectionRefused` when no connection could be made, else
    /// `Runtime.Unknown`.
    private static func failure(_ error: any Error, before what: String, url: EndpointURL) -> InvocationOutcome.Result {
        var connectFailed = error is NIOConnectionError || error is IOError || (error as? HTTPClientError) == .connectTimeout
        if case ChannelError.connectTimeout = error { connectFailed = true }
        if connectFailed {
            return .functionError(type: "Runtime.ConnectionRefused", message: "\(url.host):\(url.port): \(error)", payload: [])
        }
        return .functionError(type: "Runtime.Unknown", message: "\(url.host):\(url.port): the connection ended before \(what): \(error)", payload: [])
    }
}
