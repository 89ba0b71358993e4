import Synchronization

/// Reserved concurrency (PutFunctionConcurrency): how many invocations of a function may run at
/// once, over every source (Invoke, event-source mappings, asynchronous invocations).
///
/// A function without a limit is not counted. ``FunctionInvoker`` takes a ``Permit`` for every
/// invocation; the Invoke API asks with ``tryAcquire(_:)`` and answers 429 when none is free, as
/// Lambda throttles; mappings and asynchronous invocations wait with ``acquire(_:)``.
///
/// ## Sendable
/// All state is behind one `Mutex`; waiters are resumed outside it.
public final class ConcurrencyLimits: Sendable {
    /// One running invocation's place; give it back with ``release()`` (once; later calls do nothing).
    public final class Permit: Sendable {
        private let owner: ConcurrencyLimits
        private let name: String
        /// Whether the place was counted (the function had a limit when it was taken).
        private let counted: Bool
        private let released = Mutex(false)

        fileprivate init(owner: ConcurrencyLimits, name: String, counted: Bool) {
            self.owner = owner
            self.name = name
            self.counted = counted
        }

        /// Frees the place.
        public func release() {
            let first = released.withLock { released in
                defer { released = true }
                return !released
            }
            if first && counted { owner.release(name) }
        }
    }

    private struct Waiter {
        var id: UInt64
        /// Resumed with whether the place was counted, or `nil` when cancelled.
        var continuation: CheckedContinuation<Bool?, Never>
    }

    private struct State {
        var limits: [String: Int] = [:]
        var running: [String: Int] = [:]
        var waiters: [String: [Waiter]] = [:]
        var nextWaiter: UInt64 = 0
    }

    private let state = Mutex(State())

    /// Creates limits with no function limited.
    public init() {}

    /// Sets (or with `nil` removes) a function's limit; waiters that now fit are let in.
    public func setLimit(_ limit: Int?, for name: String) {
        let woken = state.withLock { state -> [(CheckedContinuation<Bool?, Never>, Bool)] in
            state.limits[name] = limit
            return Self.admitWaiters(name, &state)
        }
        for (continuation, counted) in woken { continuation.resume(returning: counted) }
    }

    /// A function's limit, if it has one.
    public func limit(for name: String) -> Int? {
        state.withLock { $0.limits[name] }
    }

    /// Every limit, by function name.
    public var limits: [String: Int] {
        state.withLock { $0.limits }
    }

    /// How many invocations of a function run now (counted only while it has a limit).
    public func running(_ name: String) -> Int {
        state.withLock { $0.running[name] ?? 0 }
    }

    /// A place now, or `nil` when the function is at its limit. Functions without a limit always get one.
    public func tryAcquire(_ name: String) -> Permit? {
        let granted = state.withLock { state -> Bool? in
            guard let limit = state.limits[name] else { return false }
            guard state.running[name, default: 0] < limit else { return nil }
            state.running[name, default: 0] += 1
            return true
        }
        return granted.map { Permit(owner: self, name: name, counted: $0) }
    }

    /// A place, waiting for one while the function is at its limit; `nil` when the task is cancelled first.
    public func acquire(_ name: String) async -> Permit? {
        if let permit = tryAcquire(name) { return permit }
        let id = state.withLock { state -> UInt64 in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        // `nil`: cancelled; otherwise whether the place was counted.
        let granted = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool?, Never>) in
                let immediate = state.withLock { state -> Bool?? in
                    if Task.isCancelled { return .some(nil) }
                    guard let limit = state.limits[name] else { return .some(false) }
                    if state.running[name, default: 0] < limit {
                        state.running[name, default: 0] += 1
                        return .some(true)
                    }
                    state.waiters[name, default: []].append(Waiter(id: id, continuation: continuation))
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Bool?, Never>? in
                guard let index = state.waiters[name]?.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters[name]?.remove(at: index).continuation
            }
            waiter?.resume(returning: nil)
        }
        return granted.map { Permit(owner: self, name: name, counted: $0) }
    }

    fileprivate func release(_ name: String) {
        let woken = state.withLock { state -> [(CheckedContinuation<Bool?, Never>, Bool)] in
            if let running = state.running[name] { state.running[name] = max(0, running - 1) }
            return Self.admitWaiters(name, &state)
        }
        for (continuation, counted) in woken { continuation.resume(returning: counted) }
    }

    /// Takes places for as many waiters as now fit and returns them to resume.
    private static func admitWaiters(_ name: String, _ state: inout State) -> [(CheckedContinuation<Bool?, Never>, Bool)] {
        var woken: [(CheckedContinuation<Bool?, Never>, Bool)] = []
        while let waiter = state.waiters[name]?.first {
            let limit = state.limits[name]
            if let limit, state.running[name, default: 0] >= limit { break }
            state.waiters[name]?.removeFirst()
            if limit != nil { state.running[name, default: 0] += 1 }
            woken.append((waiter.continuation, limit != nil))
        }
        return woken
    }
}
