import FoundationEssentials
import NIOCore
import NIOHTTP1
import SQSHTTP

/// The Lambda Runtime API one function process talks to (`AWS_LAMBDA_RUNTIME_API`):
/// `GET /2018-06-01/runtime/invocation/next`, `POST …/invocation/{id}/response`,
/// `POST …/invocation/{id}/error` and `POST /2018-06-01/runtime/init/error`, with the headers
/// AWS's runtime clients expect.
struct RuntimeAPIResponder: HTTPResponder {
    static let prefix = "/2018-06-01/runtime/"

    let process: FunctionProcess

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        let path = request.head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.head.uri
        guard path.hasPrefix(Self.prefix) else {
            return Self.json(.notFound, #"{"errorMessage":"Not found","errorType":"InvalidRequest"}"#)
        }
        let segments = path.dropFirst(Self.prefix.count).split(separator: "/").map(String.init)
        var body = request.body
        let bytes = body.readBytes(length: body.readableBytes) ?? []
        switch (request.head.method, segments.count, segments.first) {
        case (.GET, 2, "invocation") where segments[1] == "next":
            guard let invocation = await process.nextInvocation() else {
                // The process is being stopped: nothing more to run.
                return Self.json(.gone, #"{"errorMessage":"The function is shutting down","errorType":"Runtime.Shutdown"}"#)
            }
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/json")
            headers.add(name: "Lambda-Runtime-Aws-Request-Id", value: invocation.requestID)
            headers.add(name: "Lambda-Runtime-Deadline-Ms", value: String(invocation.deadlineMilliseconds))
            headers.add(name: "Lambda-Runtime-Invoked-Function-Arn", value: invocation.functionArn)
            headers.add(name: "Lambda-Runtime-Trace-Id", value: invocation.traceID)
            return HTTPResponse(status: .ok, headers: headers, body: ByteBuffer(bytes: invocation.payload))
        case (.POST, 3, "invocation") where segments[2] == "response":
            guard process.complete(requestID: segments[1], with: .success(bytes)) else { return Self.unknownRequest(segments[1]) }
            return Self.json(.accepted, #"{"status":"OK"}"#)
        case (.POST, 3, "invocation") where segments[2] == "error":
            let (type, message) = Self.errorFields(bytes, header: request.head.headers.first(name: "Lambda-Runtime-Function-Error-Type"))
            let result = InvocationOutcome.Result.functionError(type: type, message: message, payload: bytes)
            guard process.complete(requestID: segments[1], with: result) else { return Self.unknownRequest(segments[1]) }
            return Self.json(.accepted, #"{"status":"OK"}"#)
        case (.POST, 2, "init") where segments[1] == "error":
            let (type, message) = Self.errorFields(bytes, header: request.head.headers.first(name: "Lambda-Runtime-Function-Error-Type"))
            process.initFailed(type: type == "Unknown" ? "Runtime.InitError" : type, message: message, payload: bytes)
            return Self.json(.accepted, #"{"status":"OK"}"#)
        default:
            return Self.json(.notFound, #"{"errorMessage":"Unknown Runtime API path \#(path)","errorType":"InvalidRequest"}"#)
        }
    }

    static func unknownRequest(_ id: String) -> HTTPResponse {
        json(.badRequest, #"{"errorMessage":"Invalid request ID \#(id)","errorType":"InvalidRequestID"}"#)
    }

    /// `errorType` and `errorMessage` from an error document (the header wins for the type).
    static func errorFields(_ bytes: [UInt8], header: String?) -> (type: String, message: String) {
        struct ErrorDocument: Decodable {
            var errorType: String?
            var errorMessage: String?
        }
        let document = try? JSONDecoder().decode(ErrorDocument.self, from: Data(bytes))
        let type = document?.errorType ?? header ?? "Unknown"
        return (type, document?.errorMessage ?? String(decoding: bytes.prefix(1024), as: UTF8.self))
    }

    static func json(_ status: HTTPResponseStatus, _ text: String) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        return HTTPResponse(status: status, headers: headers, body: ByteBuffer(string: text))
    }
}
