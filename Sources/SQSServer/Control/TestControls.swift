import SQSEngine
import SQSLambda
import Synchronization

/// A server's test controls: the controllable clock, fault rules, resets and the call record,
/// served over HTTP at `/_sqslite/…` (``ControlResponder``) and usable in-process.
///
/// ```swift
/// var options = ServerOptions(port: 0, inMemory: true)
/// options.controllableClock = true
/// let server = SQSLiteServer(options: options, logger: logger)
/// // … once it runs:
/// try await server.control.advance(seconds: 900)              // a 15-minute delay is over
/// try server.control.fault(action: "SendMessage", error: "ThrottlingException", count: 2)
/// try server.control.failInvocations(of: "MessageProcessor", count: 3, kind: .timeout)
/// let calls = await server.control.calls(CallFilter(action: "DeleteMessageBatch"))
/// try await server.control.reset()                             // every queue, mapping and log group
/// ```
public final class TestControls: Sendable {
    /// The fault rules.
    public let faults = FaultInjector()
    /// The call record.
    public let calls: CallRecorder
    /// The services a reset resets.
    public let resets = ResetRegistry()
    private let controllableClock = Mutex<ControllableClock?>(nil)

    /// Creates the controls; the server installs the clock when it starts with a controllable one.
    public init(callRecordSize: Int = TestControlLimits.defaultCallRecordSize, recordsBodies: Bool = false) {
        calls = CallRecorder(capacity: callRecordSize, recordsBodies: recordsBodies)
    }

    /// The controllable clock, when the server runs with one (`--controllable-clock`).
    public var clock: ControllableClock? {
        controllableClock.withLock { $0 }
    }

    func install(clock: ControllableClock) {
        controllableClock.withLock { $0 = clock }
    }

    /// The clock, or the error that says how to get one.
    func requireClock() throws(TestControlError) -> ControllableClock {
        guard let clock else { throw .clockNotControllable }
        return clock
    }

    // MARK: - Clock

    /// Moves the server's time forward by `seconds` (fractions allowed); everything due fires.
    @discardableResult
    public func advance(seconds: Double) async throws(TestControlError) -> Timestamp {
        guard seconds.isFinite, seconds >= 0, seconds <= TestControlLimits.maxAdvanceSeconds else {
            throw .invalid("seconds must be between 0 and \(Int(TestControlLimits.maxAdvanceSeconds)).")
        }
        let clock = try requireClock()
        do {
            return try await clock.advance(milliseconds: Int64((seconds * 1000).rounded()))
        } catch {
            throw .invalid(error.description)
        }
    }

    /// Moves the server's time forward to `instant`.
    @discardableResult
    public func advance(to instant: Timestamp) async throws(TestControlError) -> Timestamp {
        let clock = try requireClock()
        do {
            return try await clock.advance(to: instant)
        } catch {
            throw .invalid(error.description)
        }
    }

    /// Stops the server's clock.
    @discardableResult
    public func freeze() async throws(TestControlError) -> Timestamp {
        try await requireClock().freeze()
    }

    /// Lets a frozen clock run again.
    @discardableResult
    public func resume() async throws(TestControlError) -> Timestamp {
        try await requireClock().resume()
    }

    // MARK: - Faults

    /// Adds a fault rule (see ``FaultRule`` for the fields); returns its id.
    @discardableResult
    public func fault(
        service: String = "sqs", action: String? = nil, queue: String? = nil, function: String? = nil, probability: Double = 1,
        error: String? = nil, message: String? = nil, latencyMs: ClosedRange<Int>? = nil, retryAfterSeconds: Int? = nil, count: Int? = nil
    ) throws(TestControlError) -> String {
        let input = FaultRuleInput(
            service: service, action: action, queue: queue, function: function, probability: probability, error: error, message: message,
            latencyMs: latencyMs.map { .init(range: [$0.lowerBound, $0.upperBound]) }, retryAfterSeconds: retryAfterSeconds, count: count)
        do {
            return try faults.add(input).id
        } catch {
            throw .invalid(error.message)
        }
    }

    /// Makes the next `count` invocations of `function` end as `kind` instead of running.
    @discardableResult
    public func failInvocations(of function: String, count: Int, kind: InvocationFaultKind = .error) throws(TestControlError) -> String {
        let input = FaultRuleInput(service: "lambda", function: function, count: count, invocations: kind.rawValue)
        do {
            return try faults.add(input).id
        } catch {
            throw .invalid(error.message)
        }
    }

    /// Removes every fault rule.
    public func clearFaults() {
        faults.clear()
    }

    // MARK: - Reset and calls

    /// Resets every service, one service (`sqs`, `lambda`, `logs`, …) or one queue. A full reset
    /// also clears the fault rules and the call record; the clock is left as it is.
    @discardableResult
    public func reset(service: String? = nil, queue: String? = nil) async throws -> [String: [String: Int]] {
        if let queue {
            return try await resets.reset(resource: queue, service: service)
        }
        let result = try await resets.reset(service: service)
        if service == nil {
            faults.clear()
            await calls.clear()
        }
        return result
    }

    /// The recorded calls that pass `filter`, oldest first.
    public func calls(_ filter: CallFilter = CallFilter()) async -> [CallRecord] {
        await calls.calls(filter)
    }

    /// Forgets the recorded calls.
    public func clearCalls() async {
        await calls.clear()
    }
}
