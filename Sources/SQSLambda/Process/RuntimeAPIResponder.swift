import FoundationEssentials
import NIOCore
import NIOHTTP1
import SQSHTTP

/// The Lambda Runtime API one function process talks to (`AWS_LAMBDA_RUNTIME_API`), answering as
/// AWS's Runtime Interface Emulator does:
///
/// - `GET /2018-06-01/runtime/invocation/next`: waits for an invocation; the body is the event and
///   the headers are `Lambda-Runtime-Aws-Request-Id`, `Lambda-Runtime-Deadline-Ms`,
///   `Lambda-Runtime-Invoked-Function-Arn` and `Lambda-Runtime-Trace-Id`.
/// - `POST …/invocation/{id}/response` and `…/invocation/{id}/error`: 202 `{"status":"OK"}`; an id
///   that is not running is a 400 `InvalidRequestID`, a second answer a 403 `InvalidStateTransition`.
/// - `POST /2018-06-01/runtime/init/error`: 202; the process counts as failed to init.
/// - A request a browser sent from a web page (see ``CrossSiteRequest``) is a 403.
///
/// ## Sendable
/// Immutable; the process it serves is `Sendable`.
struct RuntimeAPIResponder: HTTPResponder {
    static let prefix = "/2018-06-01/runtime/"

    let process: FunctionProcess

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        let path = Self.path(of: request.head.uri)
        guard path.hasPrefix(Self.prefix) else { return Self.notFound(path) }
        if let reason = CrossSiteRequest.refusal(request.head.headers) {
            // A web page must not take, answer or fail a local function's invocations.
            return Self.json(.forbidden, #"{"errorMessage":\#(jsonQuoted(reason)),"errorType":"AccessDenied"}"#)
        }
        let segments = path.dropFirst(Self.prefix.count).split(separator: "/").map(String.init)
        var body = request.body
        let bytes = body.readBytes(length: body.readableBytes) ?? []
        let errorTypeHeader = request.head.headers.first(name: "Lambda-Runtime-Function-Error-Type")
        switch (request.head.method, segments.first, segments.count) {
        case (.GET, "invocation", 2) where segments[1] == "next":
            return await next()
        case (.POST, "invocation", 3) where segments[2] == "response":
            return Self.answer(process.complete(requestID: segments[1], with: .success(bytes)))
        case (.POST, "invocation", 3) where segments[2] == "error":
            let (type, message) = Self.errorFields(bytes, header: errorTypeHeader)
            let result = InvocationOutcome.Result.functionError(type: type ?? "Unhandled", message: message, payload: bytes)
            return Self.answer(process.complete(requestID: segments[1], with: result))
        case (.POST, "init", 2) where segments[1] == "error":
            let (type, message) = Self.errorFields(bytes, header: errorTypeHeader)
            process.initFailed(.functionError(type: type ?? "Runtime.InitError", message: message, payload: bytes))
            return Self.accepted
        default:
            return Self.notFound(path)
        }
    }

    private func next() async -> HTTPResponse {
        guard let invocation = await process.nextInvocation() else {
            return Self.json(.gone, #"{"errorMessage":"The function process is stopping","errorType":"Runtime.Shutdown"}"#)
        }
        if Task.isCancelled {
            // The runtime hung up before it got the event: keep it for its next request.
            process.giveBack(invocation)
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Lambda-Runtime-Aws-Request-Id", value: invocation.requestID)
        headers.add(name: "Lambda-Runtime-Deadline-Ms", value: String(invocation.deadlineMilliseconds))
        headers.add(name: "Lambda-Runtime-Invoked-Function-Arn", value: invocation.functionArn)
        headers.add(name: "Lambda-Runtime-Trace-Id", value: invocation.traceID)
        return HTTPResponse(status: .ok, headers: headers, body: ByteBuffer(bytes: invocation.payload))
    }

    /// The answer to a response or error the runtime posted for a too large body: the invocation
    /// fails with `Function.ResponseSizeTooLarge`, as on Lambda. Runs on the event loop; it only
    /// takes a lock.
    static func payloadTooLarge(uri: String, process: FunctionProcess?) -> HTTPResponse {
        let segments = path(of: uri).dropFirst(prefix.count).split(separator: "/").map(String.init)
        if segments.count == 3, segments[0] == "invocation" {
            let message = "Response payload size exceeded maximum allowed payload size (\(FunctionProcess.maxPayloadSize) bytes)."
            _ = process?.complete(
                requestID: segments[1], with: .functionError(type: "Function.ResponseSizeTooLarge", message: message, payload: []))
        }
        let message = "Exceeded maximum allowed payload size (\(FunctionProcess.maxPayloadSize) bytes)."
        return json(.payloadTooLarge, #"{"errorMessage":"\#(message)","errorType":"RequestEntityTooLarge"}"#)
    }

    // MARK: - Private

    private static let accepted = json(.accepted, #"{"status":"OK"}"#)

    private static func answer(_ completion: FunctionProcess.Completion) -> HTTPResponse {
        switch completion {
        case .accepted:
            return accepted
        case .unknownRequest:
            return json(.badRequest, #"{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}"#)
        case .alreadyAnswered:
            return json(
                .forbidden,
                #"{"errorMessage":"The invocation was already answered","errorType":"InvalidStateTransition"}"#)
        }
    }

    private static func path(of uri: String) -> String {
        uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? uri
    }

    private static func notFound(_ path: String) -> HTTPResponse {
        json(.notFound, #"{"errorMessage":"Unknown Runtime API path \#(jsonQuoted(path).dropFirst().dropLast())","errorType":"InvalidRequest"}"#)
    }

    /// `errorType` (the body's, else the header's) and `errorMessage` from an error document.
    private static func errorFields(_ bytes: [UInt8], header: String?) -> (type: String?, message: String) {
        struct ErrorDocument: Decodable {
            var errorType: String?
            var errorMessage: String?
        }
        let document = try? JSONDecoder().decode(ErrorDocument.self, from: Data(bytes))
        let type = document?.errorType.flatMap { $0.isEmpty ? nil : $0 } ?? header
        return (type, document?.errorMessage ?? String(decoding: bytes.prefix(1024), as: UTF8.self))
    }

    private static func json(_ status: HTTPResponseStatus, _ text: String) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        return HTTPResponse(status: status, headers: headers, body: ByteBuffer(string: text))
    }
}
