import FoundationEssentials
import Logging
import SQSEngine

/// Invokes registered functions and records every invocation in the ``InvocationLog``: the one
/// path used by event-source mappings and by the Invoke API.
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

    /// Creates an invoker.
    public init(
        functions: FunctionRegistry, log: InvocationLog, account: String, region: String, clock: any EngineClock, logger: Logger,
        onInvocation: (@Sendable (InvocationRecord) -> Void)? = nil, concurrency: ConcurrencyLimits = ConcurrencyLimits()
    ) {
        self.onInvocation = onInvocation
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
        _ function: any LambdaFunction, payload: [UInt8], mappingUUID: String? = nil, batchSize: Int = 0,
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
        let invocation = Invocation(
            requestID: RandomID.uuidString(), payload: payload,
            deadlineMilliseconds: started.milliseconds + Int64(configuration.timeout) * 1000,
            functionArn: configuration.arn(account: account, region: region), traceID: Self.traceID(at: started))
        let outcome = await function.invoke(invocation)
        let duration = max(0, clock.now().milliseconds - started.milliseconds)
        let record = log.record(
            function: configuration.name, mappingUUID: mappingUUID, invocation: invocation, batchSize: batchSize,
            startedAt: started.milliseconds, duration: duration, outcome: outcome, status: status?(outcome))
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

    /// An X-Ray style trace header: `Root=1-<epoch hex>-<24 hex>;Parent=<16 hex>;Sampled=0`.
    static func traceID(at time: Timestamp) -> String {
        func hex(_ count: Int) -> String {
            String((0..<count).map { _ in "0123456789abcdef".randomElement()! })
        }
        return "Root=1-\(String(time.milliseconds / 1000, radix: 16))-\(hex(24));Parent=\(hex(16));Sampled=0"
    }
}
