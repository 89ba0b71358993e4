import FoundationEssentials
import NIOCore
import NIOHTTP1
import SQSEngine
import SQSHTTP

/// The Lambda API subset, so `aws lambda … --endpoint-url` works: event-source mappings (create,
/// get, list, update, delete), Invoke, and functions (create from a zip, get, list, update code
/// and configuration, delete, reserved concurrency, tags; see `LambdaAPIResponder+Functions.swift`).
/// Errors are in Lambda's shape: `x-amzn-ErrorType` and `{"Type":"User","message":…}`.
///
/// Everything taken from a request is checked before use: `Marker` and `MaxItems` (see
/// `LambdaAPIPage`), bodies that are not UTF-8 JSON without a BOM (400
/// `InvalidRequestContentException`), and Invoke payloads over ``LambdaAPILimits`` (413).
public struct LambdaAPIResponder: Sendable {
    /// The path prefix of most operations.
    public static let prefix = "/2015-03-31/"
    /// Every API version path this responder serves (concurrency and tags have their own).
    public static let prefixes = ["/2015-03-31/", "/2017-10-31/", "/2019-09-30/", "/2017-03-31/"]

    let mappings: EventSourceMappingManager
    let invoker: FunctionInvoker
    let asyncQueue: AsyncInvocationQueue
    /// The functions created through the API; `nil` refuses CreateFunction.
    let deployer: FunctionDeployer?

    /// Creates the responder.
    /// - Parameter asyncQueueDepth: The most `Event` invocations waiting at once (`--async-invoke-queue-depth`).
    public init(
        mappings: EventSourceMappingManager, invoker: FunctionInvoker, asyncQueueDepth: Int = AsyncInvocationQueue.defaultDepth,
        deployer: FunctionDeployer? = nil
    ) {
        self.init(
            mappings: mappings, invoker: invoker, asyncQueue: AsyncInvocationQueue(invoker: invoker, depth: asyncQueueDepth), deployer: deployer)
    }

    /// Creates the responder over a given queue of asynchronous invocations.
    public init(mappings: EventSourceMappingManager, invoker: FunctionInvoker, asyncQueue: AsyncInvocationQueue, deployer: FunctionDeployer? = nil) {
        self.mappings = mappings
        self.invoker = invoker
        self.asyncQueue = asyncQueue
        self.deployer = deployer
    }

    /// Whether a path belongs to the Lambda API.
    public static func handles(path: Substring) -> Bool {
        prefixes.contains { path.hasPrefix($0) }
    }

    /// The body limit of a request: CreateFunction and UpdateFunctionCode carry a zip in base64
    /// (``LambdaAPILimits/codeRequestSize``); `nil` for every other request.
    public static func bodySizeAllowance(method: HTTPMethod, uri: String) -> Int? {
        guard method == .POST || method == .PUT, uri.hasPrefix(prefix + "functions") else { return nil }
        let path = uri.split(separator: "?", maxSplits: 1).first ?? ""
        let segments = path.dropFirst(prefix.count).split(separator: "/")
        let isCreate = method == .POST && segments.count == 1
        let isCode = method == .PUT && segments.count == 3 && segments[2] == "code"
        return isCreate || isCode ? LambdaAPILimits.codeRequestSize : nil
    }

    /// The operation a request calls, as the Lambda API names it (`Invoke`, `GetFunction`, …),
    /// and the function or mapping it names; `Unknown` for a route sqslite does not serve.
    public static func operation(method: HTTPMethod, uri: String) -> (name: String, resource: String?) {
        let path = uri.split(separator: "?", maxSplits: 1).first ?? Substring(uri)
        let segments = path.dropFirst(prefix.count).split(separator: "/").map(String.init)
        let resource = segments.count > 1 ? FormEncoding.percentDecoded(Substring(segments[1]), plusAsSpace: false) : nil
        switch (method, segments.first, segments.count) {
        case (.POST, "event-source-mappings", 1): return ("CreateEventSourceMapping", nil)
        case (.GET, "event-source-mappings", 1): return ("ListEventSourceMappings", nil)
        case (.GET, "event-source-mappings", 2): return ("GetEventSourceMapping", resource)
        case (.PUT, "event-source-mappings", 2): return ("UpdateEventSourceMapping", resource)
        case (.DELETE, "event-source-mappings", 2): return ("DeleteEventSourceMapping", resource)
        case (.GET, "functions", 1): return ("ListFunctions", nil)
        case (.GET, "functions", 2): return ("GetFunction", resource.map(EventSourceMappingManager.functionName(from:)))
        case (.POST, "functions", 3) where segments[2] == "invocations": return ("Invoke", resource.map(EventSourceMappingManager.functionName(from:)))
        default: return ("Unknown", nil)
        }
    }

    /// Answers one request.
    public func respond(to request: HTTPRequest, requestID: String) async -> HTTPResponse {
        let uri = request.head.uri
        let path = uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? uri
        let query = FormEncoding.queryParameters(of: uri)
        let version = Self.prefixes.first { path.hasPrefix($0) } ?? Self.prefix
        let segments = path.dropFirst(version.count).split(separator: "/").map(String.init)
        var body = request.body
        let bytes = body.readBytes(length: body.readableBytes) ?? []
        do {
            if version != Self.prefix || Self.isFunctionOperation(request.head.method, segments) {
                return try await functionOperation(
                    request.head.method, version: version, segments: segments, uri: uri, query: query, body: bytes, requestID: requestID)
            }
            switch (request.head.method, segments.first, segments.count) {
            case (.POST, "event-source-mappings", 1):
                let input = try decode(CreateMappingRequest.self, bytes)
                guard let arn = input.eventSourceArn else { throw LambdaAPIError.invalidParameter("EventSourceArn is required.") }
                guard let name = input.functionName else { throw LambdaAPIError.invalidParameter("FunctionName is required.") }
                let mapping = try await mappings.create(eventSourceArn: arn, functionName: name, settings: input.settings)
                return json(
                    MappingOutput(mapping, functionArn: functionArn(mapping.functionName), state: mapping.enabled ? "Creating" : "Disabled"),
                    status: .accepted, requestID)
            case (.GET, "event-source-mappings", 1):
                let page = try LambdaAPIPage(query: query)
                let list = await mappings.list(functionName: query["FunctionName"], eventSourceArn: query["EventSourceArn"])
                let (items, next) = page.slice(list)
                var outputs: [MappingOutput] = []
                for mapping in items {
                    outputs.append(MappingOutput(mapping, functionArn: functionArn(mapping.functionName), state: await mappings.reportedState(mapping)))
                }
                let output = MappingListOutput(eventSourceMappings: outputs, nextMarker: next)
                return json(output, status: .ok, requestID)
            case (.GET, "event-source-mappings", 2):
                let mapping = try await mappings.mapping(uuid: segments[1])
                let state = await mappings.reportedState(mapping)
                return json(MappingOutput(mapping, functionArn: functionArn(mapping.functionName), state: state), status: .ok, requestID)
            case (.PUT, "event-source-mappings", 2):
                let input = try decode(CreateMappingRequest.self, bytes)
                var settings = input.settings
                settings.functionName = input.functionName
                let mapping = try await mappings.update(uuid: segments[1], settings: settings)
                let state = await mappings.reportedState(mapping)
                return json(MappingOutput(mapping, functionArn: functionArn(mapping.functionName), state: state), status: .accepted, requestID)
            case (.DELETE, "event-source-mappings", 2):
                let mapping = try await mappings.delete(uuid: segments[1])
                return json(MappingOutput(mapping, functionArn: functionArn(mapping.functionName), state: "Deleting"), status: .accepted, requestID)
            case (.POST, "functions", 3) where segments[2] == "invocations":
                if let deployer {
                    try await deployer.checkInvocable(functionName(segments[1]))
                }
                return try await invoke(function(segments[1]), payload: bytes, headers: request.head.headers, requestID: requestID)
            default:
                throw LambdaAPIError(type: "UnknownOperationException", status: 404, message: "Unknown operation \(request.head.method.rawValue) \(path)")
            }
        } catch let error as LambdaAPIError {
            return Self.error(error, requestID: requestID)
        } catch {
            return Self.error(.invalidRequestContent("\(error)"), requestID: requestID)
        }
    }

    func function(_ nameOrArn: String) throws(LambdaAPIError) -> any LambdaFunction {
        let name = functionName(nameOrArn)
        guard let function = invoker.functions.function(named: name) else {
            throw .notFound("Function not found: \(functionArn(name))")
        }
        return function
    }

    /// The function name in a path segment: a name, a partial or a full ARN, percent-encoded.
    func functionName(_ segment: String) -> String {
        EventSourceMappingManager.functionName(from: FormEncoding.percentDecoded(Substring(segment), plusAsSpace: false))
    }

    func functionArn(_ name: String) -> String {
        "arn:aws:lambda:\(invoker.region):\(invoker.account):function:\(name)"
    }

    func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) throws -> T {
        if let problem = Self.encodingProblem(bytes) { throw LambdaAPIError.invalidRequestContent(problem) }
        return try JSONDecoder().decode(T.self, from: bytes.isEmpty ? Data("{}".utf8) : Data(bytes))
    }

    /// Why `body` is not UTF-8 JSON text without a byte-order mark (Lambda reads only that;
    /// Foundation's decoder would also take UTF-16 and a BOM), or `nil`.
    static func encodingProblem(_ body: [UInt8]) -> String? {
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { return "the body starts with a byte-order mark" }
        // A NUL byte cannot appear in UTF-8 JSON text; it is how UTF-16 and UTF-32 without a BOM look.
        if body.contains(0) || String(validating: body, as: UTF8.self) == nil { return "the body is not UTF-8" }
        return nil
    }

    func json<T: Encodable>(_ value: T, status: HTTPResponseStatus, _ requestID: String) -> HTTPResponse {
        let body = (try? JSONEncoder().encode(value)).map { [UInt8]($0) } ?? []
        return Self.response(status: status, body: body, requestID: requestID, extra: [])
    }

    /// An error response in Lambda's shape (`x-amzn-ErrorType` and `{"Type":"User","message":…}`).
    public static func error(_ error: LambdaAPIError, requestID: String) -> HTTPResponse {
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
