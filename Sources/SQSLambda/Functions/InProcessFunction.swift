import FoundationEssentials
import Synchronization

/// A function that is a Swift closure in this process: the quickest way to test code that
/// reacts to SQS messages.
///
/// ```swift
/// server.functions.register(InProcessFunction(name: "MessageProcessor") { (event: SQSEvent, context) in
///     for record in event.records { context.log("got \(record.body)") }
///     return SQSBatchResponse(batchItemFailures: [])
/// })
/// ```
///
/// A thrown error is a function error (type = the error's type name), and a closure still running
/// at the timeout is abandoned (its result is ignored) and reported as timed out.
public struct InProcessFunction: LambdaFunction {
    /// The settings (kind ``FunctionConfiguration/Kind/inProcess``).
    public let configuration: FunctionConfiguration
    private let handler: @Sendable (Invocation, LambdaContext) async throws -> [UInt8]

    /// A function over raw event bytes.
    public init(name: String, timeout: Int = 30, handler: @escaping @Sendable (Invocation, LambdaContext) async throws -> [UInt8]) {
        self.configuration = FunctionConfiguration(name: name, kind: .inProcess, timeout: timeout, runtime: "swift (in process)")
        self.handler = handler
    }

    /// A function over a decoded event and an encodable response (`nil` means an empty response).
    public init<Event: Decodable & Sendable, Response: Encodable & Sendable>(
        name: String, timeout: Int = 30, handler: @escaping @Sendable (Event, LambdaContext) async throws -> Response?
    ) {
        self.init(name: name, timeout: timeout) { invocation, context in
            let event = try JSONDecoder().decode(Event.self, from: Data(invocation.payload))
            guard let response = try await handler(event, context) else { return [] }
            return Array(try JSONEncoder().encode(response))
        }
    }

    /// Runs the closure, bounded by the timeout. A closure still running at the timeout is left
    /// to finish on its own; its result is dropped.
    public func invoke(_ invocation: Invocation) async -> InvocationOutcome {
        let context = LambdaContext(invocation: invocation, functionName: configuration.name)
        let handler = self.handler
        let timeout = configuration.timeout
        let result = await Race.first(
            { () async -> InvocationOutcome.Result in
                do {
                    return .success(try await handler(invocation, context))
                } catch {
                    return .functionError(type: String(describing: type(of: error)), message: "\(error)", payload: [])
                }
            }, orTimeoutAfter: .seconds(timeout), .timedOut(seconds: timeout),
            // A closure that catches its cancellation and logs must not reach the stream.
            beforeCancelling: { invocation.logWriter?.close() })
        return InvocationOutcome(result: result, logLines: context.lines)
    }
}

/// What an in-process function gets besides its event: ids, the deadline, and a log.
public final class LambdaContext: Sendable {
    /// The request id.
    public let requestID: String
    /// The function name.
    public let functionName: String
    /// The deadline, epoch milliseconds.
    public let deadlineMilliseconds: Int64
    /// The invoked function ARN.
    public let functionArn: String
    private let logged = Mutex<[String]>([])
    private let writer: InvocationLogWriter?

    init(invocation: Invocation, functionName: String) {
        self.writer = invocation.logWriter
        self.requestID = invocation.requestID
        self.functionName = functionName
        self.deadlineMilliseconds = invocation.deadlineMilliseconds
        self.functionArn = invocation.functionArn
    }

    /// Adds a line to the invocation's log: one event of the function's log stream in
    /// `/aws/lambda/<function>`, written at once when the server keeps logs.
    public func log(_ line: String) {
        logged.withLock { $0.append(line) }
        writer?.write([line])
    }

    /// The lines logged so far.
    public var lines: [String] { logged.withLock { $0 } }
}
