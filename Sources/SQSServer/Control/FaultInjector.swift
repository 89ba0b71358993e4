import SQSEngine
import SQSLambda
import SQSProtocol
import Synchronization

/// The test controls' fault rules (see ``FaultRule``): consulted by the SQS protocol handlers
/// after a request is decoded and before it changes anything, by the router before a Lambda or
/// Logs request runs, and by the function invoker before each invocation.
///
/// Injected latency is wall time (`Task.sleep`), whatever the controllable clock does.
public final class FaultInjector: SQSRequestInterceptor, InvocationFaults {
    private struct State {
        var rules: [FaultRule] = []
        var nextID = 1
    }

    /// What a matching rule does to one request.
    struct Decision: Sendable {
        var latencyMilliseconds: Int
        var error: String?
        var message: String?
        var retryAfterSeconds: Int?

        /// Waits the injected latency (wall time).
        func delay() async {
            if latencyMilliseconds > 0 {
                try? await Task.sleep(for: .milliseconds(latencyMilliseconds))
            }
        }

        /// `Retry-After`, when the rule asks for it.
        var headers: [(name: String, value: String)] {
            retryAfterSeconds.map { [("Retry-After", String($0))] } ?? []
        }
    }

    private let state = Mutex(State())

    /// Creates an injector without rules.
    public init() {}

    /// Adds a rule; returns it with its id.
    func add(_ input: FaultRuleInput) throws(FaultRuleError) -> FaultRule {
        let count = state.withLock { $0.rules.count }
        guard count < TestControlLimits.maxFaultRules else {
            throw FaultRuleError("There are already \(TestControlLimits.maxFaultRules) rules; clear some first.")
        }
        let id = state.withLock { state -> Int in
            defer { state.nextID += 1 }
            return state.nextID
        }
        let rule = try input.rule(id: "fault-\(id)")
        state.withLock { $0.rules.append(rule) }
        return rule
    }

    /// The rules in the order they apply, with their counters.
    public var rules: [FaultRule] {
        state.withLock { $0.rules }
    }

    /// Removes every rule; returns how many there were.
    @discardableResult
    public func clear() -> Int {
        state.withLock { state in
            defer { state.rules.removeAll() }
            return state.rules.count
        }
    }

    /// Removes one rule by id; `false` when there is none.
    func remove(id: String) -> Bool {
        state.withLock { state in
            guard let index = state.rules.firstIndex(where: { $0.id == id }) else { return false }
            state.rules.remove(at: index)
            return true
        }
    }

    /// The first rule that matches and fires for a request, counted as a hit; `nil` when none does.
    func decide(service: String, action: String, resource: String?) -> Decision? {
        state.withLock { state in
            if state.rules.isEmpty { return nil }
            for index in state.rules.indices {
                let rule = state.rules[index]
                guard !rule.isSpent, rule.matches(service: service, action: action, resource: resource) else { continue }
                state.rules[index].matched += 1
                guard rule.probability >= 1 || Double.random(in: 0..<1) < rule.probability else { continue }
                state.rules[index].hits += 1
                return Decision(
                    latencyMilliseconds: rule.drawLatency(), error: rule.error, message: rule.message, retryAfterSeconds: rule.retryAfterSeconds)
            }
            return nil
        }
    }

    // MARK: - SQS

    public func intercept(_ call: SQSCallInfo) async -> SQSInterception? {
        guard let decision = decide(service: "sqs", action: call.action.rawValue, resource: call.queueName) else { return nil }
        await decision.delay()
        guard let name = decision.error, let error = AWSErrorMapping.injectableError(named: name, message: decision.message) else { return nil }
        return SQSInterception(error: error, headers: decision.headers)
    }

    // MARK: - Function invocations

    public func takeInvocationFault(function: String) -> InvocationFaultKind? {
        state.withLock { state in
            if state.rules.isEmpty { return nil }
            for index in state.rules.indices {
                let rule = state.rules[index]
                guard let kind = rule.invocations, rule.function == function, !rule.isSpent else { continue }
                state.rules[index].matched += 1
                guard rule.probability >= 1 || Double.random(in: 0..<1) < rule.probability else { continue }
                state.rules[index].hits += 1
                return kind
            }
            return nil
        }
    }
}
