import FoundationEssentials
import Logging
import SQSEngine

/// Invokes registered functions and records every invocation in the ``InvocationLog``: the one
/// path used by event-source mappings and by the Invoke API.
///
/// For functions that do not write their own log (in-process and HTTP-endpoint functions, see
/// ``LambdaFunction/writesOwnLog``) it keeps execution environments and writes each one's stream
/// of `/aws/lambda/<function>` to the log sink: `INIT_START` when an environment is new, `START`,
/// the function's `context.log` lines as it writes them, its error or timeout, `END` and `REPORT`.
public struct FunctionInvoker: Sendable {
    /// The functions.
    public let functions: FunctionRegistry
    /// Where invocations are recorded.
    public let log: InvocationLog
    /// Reserved concurrency: every invocation holds a place while it runs.
    public let concurrency: ConcurrencyLimits
    /// The account and region of function ARNs.
    public let account: String
    public let region: String
    let clock: any EngineClock
    let logger: Logger
    /// Called with every finished invocation (metrics).
    let onInvocation: (@Sendable (InvocationRecord) -> Void)?
    /// Where the environments' log lines go (the CloudWatch Logs store).
    let logSink: FunctionLogSink?
    let environments = ExecutionEnvironmentPool()
    /// Injected failures, consulted before each invocation (test controls).
    public let faults: (any InvocationFaults)?

    /// Creates an invoker.
    /// - Parameter logSink: Gets the log lines of in-process and HTTP-endpoint functions as they
    ///   are written (process functions have their own sink).
    public init(
        functions: FunctionRegistry, log: InvocationLog, account: String, region: String, clock: any EngineClock, logger: Logger,
        onInvocation: (@Sendable (InvocationRecord) -> Void)? = nil, logSink: FunctionLogSink? = nil,
        faults: (any InvocationFaults)? = nil,
        concurrency: ConcurrencyLimits = ConcurrencyLimits()
    ) {
        self.logSink = logSink
        self.onInvocation = onInvocation
        self.faults = faults
        self.concurrency = concurrency
        self.functions = functions
        self.log = log
        self.account = account
        self.region = region
        self.clock = clock
        self.logger = logger
    }

    /// Invokes `function` with `payload` and records the invocation.
    ///
    /// The invocation holds a place of the function's reserved concurrency: `permit` when the
    /// caller already took one (it is released here), otherwise one taken here, waiting for it.
    public func invoke(
        _ function: any LambdaFunction, payload: [UInt8], mappingUUID: String? = nil, batchSize: Int = 0, messageIDs: [String] = [],
        permit: ConcurrencyLimits.Permit? = nil, status: ((InvocationOutcome) -> InvocationRecord.Status?)? = nil
    ) async -> (outcome: InvocationOutcome, record: InvocationRecord) {
        let configuration = function.configuration
        let place: ConcurrencyLimits.Permit?
        if let permit {
            place = permit
        } else {
            place = await concurrency.acquire(configuration.name)
        }
        defer { place?.release() }
        let started = clock.now()
        var invocation = Invocation(
            requestID: RandomID.uuidString(), payload: payload,
            deadlineMilliseconds: started.milliseconds + Int64(configuration.timeout) * 1000,
            functionArn: configuration.arn(account: account, region: region), traceID: Self.traceID(at: started))
        let outcome: InvocationOutcome
        if let fault = faults?.takeInvocationFault(function: configuration.name) {
            outcome = fault.outcome(timeout: configuration.timeout)
        } else if function.writesOwnLog {
            outcome = await function.invoke(invocation)
        } else {
            outcome = await invokeInEnvironment(function, &invocation)
        }
        let duration = max(0, clock.now().milliseconds - started.milliseconds)
        let record = log.record(
            function: configuration.name, mappingUUID: mappingUUID, invocation: invocation, batchSize: batchSize,
            startedAt: started.milliseconds, duration: duration, outcome: outcome, status: status?(outcome),
            messageIDs: messageIDs)
        onInvocation?(record)
        logger.info(
            "function invoked",
            metadata: [
                "function": "\(configuration.name)", "requestId": "\(invocation.requestID)", "batchSize": "\(batchSize)",
                "durationMs": "\(duration)", "outcome": "\(record.status.rawValue)",
                "mapping": "\(mappingUUID ?? "-")",
            ])
        return (outcome, record)
    }

    /// Runs `invocation` in an execution environment of the function and frames its log as Lambda
    /// does; the outcome's log lines are the lines written to the environment's stream for it.
    private func invokeInEnvironment(_ function: any LambdaFunction, _ invocation: inout Invocation) async -> InvocationOutcome {
        let configuration = function.configuration
        let environment = environments.acquire(function: configuration.name, sink: logSink)
        let requestID = invocation.requestID
        let initDuration: Duration? = environment.isNew ? ContinuousClock.now - environment.createdAt : nil
        if environment.isNew {
            environment.log.write([LambdaLogFormat.initStart(kind: configuration.kind, functionArn: invocation.functionArn)])
        }
        environment.log.write([LambdaLogFormat.start(requestID)])
        let writer = InvocationLogWriter(log: environment.log)
        invocation.logWriter = writer
        let started = ContinuousClock.now
        var outcome = await function.invoke(invocation)
        let duration = ContinuousClock.now - started
        writer.close()
        var trailer: [String] = []
        var status: String?
        var errorType: String?
        switch outcome.result {
        case .success:
            break
        case .timedOut(let seconds):
            trailer.append(LambdaLogFormat.timedOut(requestID, seconds: seconds))
            status = "timeout"
        case .functionError(let type, let message, _):
            trailer.append(LambdaLogFormat.invokeError(requestID, type: type, message: message))
            if type.hasPrefix("Runtime.") { (status, errorType) = ("error", type) }
        }
        trailer.append(LambdaLogFormat.end(requestID))
        trailer.append(
            LambdaLogFormat.report(
                requestID, duration: duration, memorySize: configuration.memorySize,
                maxMemoryUsed: configuration.kind == .inProcess ? LambdaLogFormat.peakMemoryMB(ofProcess: "self") : 0,
                initDuration: initDuration, status: status, errorType: errorType))
        outcome.logLines = environment.log.finish(trailer)
        environments.release(environment, function: configuration.name, reusable: status != "timeout")
        return outcome
    }

    /// An X-Ray style trace header: `Root=1-<epoch hex>-<24 hex>;Parent=<16 hex>;Sampled=0`.
    static func traceID(at time: Timestamp) -> String {
        func hex(_ count: Int) -> String {
            String((0..<count).map { _ in "0123456789abcdef".randomElement()! })
        }
        return "Root=1-\(String(time.milliseconds / 1000, radix: 16))-\(hex(24));Parent=\(hex(16));Sampled=0"
    }
}
