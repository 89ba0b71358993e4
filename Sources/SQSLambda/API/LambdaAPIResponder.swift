import FoundationEssentials
import NIOCore
import NIOHTTP1
import SQSEngine
import SQSHTTP

/// The Lambda API subset under `/2015-03-31/`, so `aws lambda … --endpoint-url` works:
/// event-source mappings (create, get, list, update, delete), Invoke, ListFunctions, GetFunction.
/// Errors are in Lambda's shape: `x-amzn-ErrorType` and `{"Type":"User","message":…}`.
public struct LambdaAPIResponder: Sendable {
    /// The path prefix this responder serves.
    public static let prefix = "/2015-03-31/"

    let mappings: EventSourceMappingManager
    let invoker: FunctionInvoker

    /// Creates the responder.
    public init(mappings: EventSourceMappingManager, invoker: FunctionInvoker) {
        self.mappings = mappings
        self.invoker = invoker
    }

    /// Whether a path belongs to the Lambda API.
    public static func handles(path: Substring) -> Bool {
        path.hasPrefix(prefix)
    }

    /// Answers one request.
    public func respond(to request: HTTPRequest, requestID: String) async -> HTTPResponse {
        let uri = request.head.uri
        let path = uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? uri
        let query = FormEncoding.queryParameters(of: uri)
        let segments = path.dropFirst(Self.prefix.count).split(separator: "/").map(String.init)
        var body = request.body
        let bytes = body.readBytes(length: body.readableBytes) ?? []
        do {
            switch (request.head.method, segments.first, segments.count) {
            case (.POST, "event-source-mappings", 1):
                let input = try decode(CreateMappingRequest.self, bytes)
                guard let arn = input.eventSourceArn else { throw LambdaAPIError.invalidParameter("EventSourceArn is required.") }
                guard let name = input.functionName else { throw LambdaAPIError.invalidParameter("FunctionName is required.") }
                let mapping = try await mappings.create(eventSourceArn: arn, functionName: name, settings: input.settings)
                return json(MappingOutput(mapping, functionArn: functionArn(mapping.functionName), state: "Creating"), status: .accepted, requestID)
            case (.GET, "event-source-mappings", 1):
                let list = await mappings.list(functionName: query["FunctionName"], eventSourceArn: query["EventSourceArn"])
                let start = query["Marker"].flatMap(Int.init) ?? 0
                let limit = max(1, min(10_000, query["MaxItems"].flatMap(Int.init) ?? 100))
                let page = list.dropFirst(start).prefix(limit)
                let next = start + page.count < list.count ? String(start + page.count) : nil
                let output = MappingListOutput(eventSourceMappings: page.map { MappingOutput($0, functionArn: functionArn($0.functionName)) }, nextMarker: next)
                return json(output, status: .ok, requestID)
            case (.GET, "event-source-mappings", 2):
                let mapping = try await mappings.mapping(uuid: segments[1])
                return json(MappingOutput(mapping, functionArn: functionArn(mapping.functionName)), status: .ok, requestID)
            case (.PUT, "event-source-mappings", 2):
                let input = try decode(CreateMappingRequest.self, bytes)
                var settings = input.settings
                settings.functionName = input.functionName
                let mapping = try await mappings.update(uuid: segments[1], settings: settings)
                return json(MappingOutput(mapping, functionArn: functionArn(mapping.functionName), state: "Updating"), status: .accepted, requestID)
            case (.DELETE, "event-source-mappings", 2):
                let mapping = try await mappings.delete(uuid: segments[1])
                return json(MappingOutput(mapping, functionArn: functionArn(mapping.functionName), state: "Deleting"), status: .accepted, requestID)
            case (.GET, "functions", 1):
                let functions = invoker.functions.all.map { FunctionOutput($0.configuration, account: invoker.account, region: invoker.region) }
                return json(FunctionListOutput(functions: functions), status: .ok, requestID)
            case (.GET, "functions", 2):
                let function = try function(segments[1])
                let output = GetFunctionOutput(configuration: FunctionOutput(function.configuration, account: invoker.account, region: invoker.region))
                return json(output, status: .ok, requestID)
            case (.POST, "functions", 3) where segments[2] == "invocations":
                return try await invoke(function(segments[1]), payload: bytes, headers: request.head.headers, requestID: requestID)
            default:
                throw LambdaAPIError(type: "UnknownOperationException", status: 404, message: "Unknown operation \(request.head.method.rawValue) \(path)")
            }
        } catch let error as LambdaAPIError {
            return Self.error(error, requestID: requestID)
        } catch {
            return Self.error(.invalidParameter("Could not parse request body into json: \(error)"), requestID: requestID)
        }
    }

    private func invoke(_ function: any LambdaFunction, payload: [UInt8], headers: HTTPHeaders, requestID: String) async throws -> HTTPResponse {
        if !payload.isEmpty, (try? JSONDecoder().decode(JSONValue.self, from: Data(payload))) == nil {
            throw LambdaAPIError(
                type: "InvalidRequestContentException", status: 400,
                message: "Could not parse request body into json: Could not parse payload into json")
        }
        let event = payload.isEmpty ? Array("{}".utf8) : payload
        switch headers.first(name: "x-amz-invocation-type") ?? "RequestResponse" {
        case "Event":
            let invoker = self.invoker
            Task { _ = await invoker.invoke(function, payload: event) }
            return Self.response(status: .accepted, body: [], requestID: requestID, extra: [])
        case "DryRun":
            return Self.response(status: .noContent, body: [], requestID: requestID, extra: [])
        case "RequestResponse":
            let (outcome, _) = await invoker.invoke(function, payload: event)
            var extra: [(String, String)] = [("X-Amz-Executed-Version", "$LATEST")]
            if outcome.isFailure { extra.append(("X-Amz-Function-Error", "Unhandled")) }
            if headers.first(name: "x-amz-log-type") == "Tail" {
                let tail = Array(outcome.logLines.joined(separator: "\n").utf8.suffix(4096))
                extra.append(("X-Amz-Log-Result", Data(tail).base64EncodedString()))
            }
            return Self.response(status: .ok, body: outcome.responsePayload, requestID: requestID, extra: extra)
        case let other:
            throw LambdaAPIError.invalidParameter(
                "1 validation error detected: Value '\(other)' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]")
        }
    }

    private func function(_ nameOrArn: String) throws(LambdaAPIError) -> any LambdaFunction {
        let name = EventSourceMappingManager.functionName(from: FormEncoding.percentDecoded(Substring(nameOrArn), plusAsSpace: false))
        guard let function = invoker.functions.function(named: name) else {
            throw .notFound("Function not found: \(functionArn(name))")
        }
        return function
    }

    private func functionArn(_ name: String) -> String {
        "arn:aws:lambda:\(invoker.region):\(invoker.account):function:\(name)"
    }

    private func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) throws -> T {
        try JSONDecoder().decode(T.self, from: bytes.isEmpty ? Data("{}".utf8) : Data(bytes))
    }

    private func json<T: Encodable>(_ value: T, status: HTTPResponseStatus, _ requestID: String) -> HTTPResponse {
        let body = (try? JSONEncoder().encode(value)).map { [UInt8]($0) } ?? []
        return Self.response(status: status, body: body, requestID: requestID, extra: [])
    }

    static func error(_ error: LambdaAPIError, requestID: String) -> HTTPResponse {
        let body = #"{"Type":"User","message":\#(jsonQuoted(error.message))}"#
        return response(
            status: HTTPResponseStatus(statusCode: error.status), body: Array(body.utf8), requestID: requestID,
            extra: [("x-amzn-ErrorType", error.type)])
    }

    static func response(status: HTTPResponseStatus, body: [UInt8], requestID: String, extra: [(String, String)]) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "x-amzn-RequestId", value: requestID)
        for (name, value) in extra { headers.add(name: name, value: value) }
        return HTTPResponse(status: status, headers: headers, body: ByteBuffer(bytes: body))
    }
}
