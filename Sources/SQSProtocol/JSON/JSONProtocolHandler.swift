import FoundationEssentials
import SQSEngine

/// The AWS JSON 1.0 protocol: turns `X-Amz-Target: AmazonSQS.<Action>` requests into engine calls
/// and engine results and errors into AWS's JSON responses.
///
/// The body decodes into the action's shared request shape (``SQSRequest``, the files in `Actions/`),
/// ``SQSDispatcher`` runs it, and ``JSONResponseEncoder`` writes the output with ``JSONWriter``.
/// Errors go through ``AWSErrorMapping``; a body that is not valid JSON for the action's shape gets
/// a `SerializationException`, an unknown target an `UnknownOperationException`, both 400 as AWS's
/// JSON services answer.
public struct JSONProtocolHandler: Sendable {
    /// The `Content-Type` of JSON 1.0 requests and responses.
    public static let contentType = "application/x-amz-json-1.0"

    let dispatcher: SQSDispatcher
    let interceptor: (any SQSRequestInterceptor)?

    /// Creates a handler over an engine; `interceptor` sees each decoded request before it runs.
    public init(engine: QueueEngine, interceptor: (any SQSRequestInterceptor)? = nil) {
        self.dispatcher = SQSDispatcher(engine: engine)
        self.interceptor = interceptor
    }

    /// The `X-Amz-Target` prefix of the SQS JSON protocol: the action follows it.
    public static let targetPrefix = "AmazonSQS."

    /// Handles one request.
    /// - Parameters:
    ///   - target: The `X-Amz-Target` header, e.g. `AmazonSQS.SendMessage`.
    ///   - body: The request body (JSON; an empty body counts as `{}`).
    ///   - context: The caller's account, region and URL base.
    public func handle(target: String?, body: [UInt8], context: RequestContext) async -> ProtocolResponse {
        let prefix = Self.targetPrefix
        guard let target, target.hasPrefix(prefix), let action = SQSAction(rawValue: String(target.dropFirst(prefix.count))) else {
            var response = Self.coralError("UnknownOperationException", message: "Unknown operation \(target ?? "(no X-Amz-Target header)").")
            response.action = target.map { String($0.dropFirst($0.hasPrefix(prefix) ? prefix.count : 0)) }
            return response
        }
        let request = JSONRequest(body: body)
        var queueName: String?
        var response: ProtocolResponse
        do {
            let decoded = try request.decode(action)
            queueName = decoded.queueName
            if let check = context.accessCheck, let resource = decoded.resource(context), let denial = await check.denial(of: action, on: resource) {
                response = Self.accessDenied(denial)
            } else if let interceptor,
                let interception = await interceptor.intercept(SQSCallInfo(action: action, queueName: queueName, context: context))
            {
                response = Self.error(interception.error)
                response.headers += interception.headers
            } else {
                let output = try await RequestTrace.$requestID.withValue(context.requestID) {
                    try await dispatcher.perform(decoded, context)
                }
                response = ProtocolResponse(status: 200, contentType: Self.contentType, body: JSONResponseEncoder.encode(output, for: action).bytes)
            }
        } catch let error as EngineError {
            response = Self.error(error)
        } catch let error as DecodingError {
            response = Self.coralError("SerializationException", message: Self.describe(error))
        } catch {
            response = Self.error(EngineError(.internalFailure, "\(error)"))
        }
        response.action = action.rawValue
        response.isKnownAction = true
        response.queueName = queueName
        return response
    }

    /// An engine error in AWS's JSON shape, with the `x-amzn-query-error` header.
    public static func error(_ error: EngineError) -> ProtocolResponse {
        let wire = AWSErrorMapping.wire(for: error.code)
        var writer = JSONWriter()
        writer.object { o in
            o.member("__type", wire.fullJSONType)
            o.member("message", error.message)
        }
        var response = ProtocolResponse(
            status: wire.status, contentType: contentType,
            headers: [("x-amzn-query-error", "\(wire.queryCode);\(wire.senderFault ? "Sender" : "Receiver")")],
            body: writer.bytes)
        response.errorCode = wire.queryCode
        return response
    }

    /// 403 `AccessDenied` (a request the caller's permissions do not allow), with the
    /// `x-amzn-query-error` header SDKs read the Query code from.
    public static func accessDenied(_ message: String) -> ProtocolResponse {
        var response = coralError("AccessDeniedException", message: message, status: 403)
        response.headers.append((name: "x-amzn-query-error", value: "AccessDenied;Sender"))
        return response
    }

    /// A protocol-level (Coral) error, as AWS's JSON services send for requests they cannot parse.
    public static func coralError(_ name: String, message: String, status: Int = 400) -> ProtocolResponse {
        var writer = JSONWriter()
        writer.object { o in
            o.member("__type", "com.amazon.coral.service#\(name)")
            o.member("message", message)
        }
        var response = ProtocolResponse(status: status, contentType: contentType, body: writer.bytes)
        response.errorCode = name
        return response
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let names = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return names.isEmpty ? "the request body" : names.joined(separator: ".")
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "Unexpected value type for \(path(context)): expected \(type)."
        case .valueNotFound(let type, let context):
            return "Missing value for \(path(context)): expected \(type)."
        case .keyNotFound(let key, _):
            return "Missing member \(key.stringValue)."
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty, context.debugDescription.hasPrefix("The request body") {
                return context.debugDescription
            }
            return context.codingPath.isEmpty ? "The request body is not valid JSON." : "Invalid value for \(path(context))."
        @unknown default:
            return "The request body could not be read."
        }
    }
}

/// A request body waiting to be decoded into its action's shape.
///
/// AWS's JSON protocol is UTF-8 without a byte-order mark: a body in UTF-16 or UTF-32, or one
/// that starts with a BOM, is a `SerializationException`, as on AWS (Foundation's decoder would
/// otherwise detect those encodings and accept them).
struct JSONRequest {
    let body: [UInt8]

    func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        if let problem = Self.encodingProblem(body) {
            throw DecodingError.dataCorrupted(DecodingError.Context(codingPath: [], debugDescription: problem))
        }
        let data = body.isEmpty ? Data("{}".utf8) : Data(body)
        return try JSONDecoder().decode(T.self, from: data)
    }

    /// Why `body` is not a UTF-8 JSON text without a BOM, or `nil` when it is.
    static func encodingProblem(_ body: [UInt8]) -> String? {
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { return "The request body starts with a byte-order mark." }
        // A NUL byte cannot appear in UTF-8 JSON text; it is how UTF-16 and UTF-32 without a BOM look.
        if body.contains(0) || String(validating: body, as: UTF8.self) == nil { return "The request body is not UTF-8." }
        return nil
    }

    /// The body as the action's request: read by ``fastDecode(_:)`` when it can, else by Codable.
    func decode(_ action: SQSAction) throws -> SQSRequest {
        if let request = fastDecode(action) { return request }
        return try codableDecode(action)
    }

    /// The body as the action's request, read by Codable (the reference, and every error's wording).
    func codableDecode(_ action: SQSAction) throws -> SQSRequest {
        switch action {
        case .addPermission: return .addPermission(try decode())
        case .cancelMessageMoveTask: return .cancelMessageMoveTask(try decode())
        case .changeMessageVisibility: return .changeMessageVisibility(try decode())
        case .changeMessageVisibilityBatch: return .changeMessageVisibilityBatch(try decode())
        case .createQueue: return .createQueue(try decode())
        case .deleteMessage: return .deleteMessage(try decode())
        case .deleteMessageBatch: return .deleteMessageBatch(try decode())
        case .deleteQueue: return .deleteQueue(try decode())
        case .getQueueAttributes: return .getQueueAttributes(try decode())
        case .getQueueUrl: return .getQueueUrl(try decode())
        case .listDeadLetterSourceQueues: return .listDeadLetterSourceQueues(try decode())
        case .listMessageMoveTasks: return .listMessageMoveTasks(try decode())
        case .listQueueTags: return .listQueueTags(try decode())
        case .listQueues: return .listQueues(try decode())
        case .purgeQueue: return .purgeQueue(try decode())
        case .receiveMessage: return .receiveMessage(try decode())
        case .removePermission: return .removePermission(try decode())
        case .sendMessage: return .sendMessage(try decode())
        case .sendMessageBatch: return .sendMessageBatch(try decode())
        case .setQueueAttributes: return .setQueueAttributes(try decode())
        case .startMessageMoveTask: return .startMessageMoveTask(try decode())
        case .tagQueue: return .tagQueue(try decode())
        case .untagQueue: return .untagQueue(try decode())
        }
    }
}
