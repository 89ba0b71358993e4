import Synchronization

/// A clock a test suite can move: wall time plus an offset that only grows, or frozen.
///
/// Running, it reads the system's wall clock and adds the total it was advanced by, and its
/// sleepers wake at their deadline in wall time as with ``SystemClock``. Frozen, it stands still
/// and only ``advance(milliseconds:)`` moves it. Moving time wakes every sleeper that became due,
/// one deadline after the other in deadline order: the clock reads each sleeper's own deadline
/// when it wakes, and the next one is woken only once the previous ones are running again, so
/// work that follows one deadline starts before work that follows a later one. What the woken
/// tasks go on to do may then read a later time (the clock does not wait for that work to end).
/// Sleepers that are not due yet keep waiting, for the shorter wall time that is left.
///
/// Time never goes back: an advance to an earlier instant is refused. Calls that move time
/// (``advance(milliseconds:)``, ``advance(to:)``, ``freeze()`` and ``resume()``) run one at a time.
///
/// ```swift
/// let clock = ControllableClock()
/// let engine = QueueEngine(store: MemoryQueueStore(), clock: clock, logger: logger)
/// try await clock.advance(milliseconds: 900_000)   // a 15-minute delay is over
/// ```
public final class ControllableClock: EngineClock {
    /// Why a time move was refused.
    public struct MoveError: Error, Sendable, Equatable, CustomStringConvertible {
        /// What was wrong, in a sentence.
        public var description: String
    }

    /// What the clock reads and whether it runs.
    public struct Reading: Sendable, Equatable {
        /// The clock's time.
        public var now: Timestamp
        /// How far ahead of the wall clock it is, in milliseconds (while frozen: as of now).
        public var offsetMilliseconds: Int64
        /// Whether it stands still.
        public var frozen: Bool
        /// The number of tasks sleeping on it.
        public var sleepers: Int
    }

    private struct Sleeper {
        var deadline: Timestamp
        var continuation: CheckedContinuation<Bool, any Error>
        /// Wakes the sleeper at its deadline in wall time while the clock runs.
        var timer: Task<Void, Never>?
    }

    private struct State {
        var offset: Int64 = 0
        /// The time it stands at, while frozen.
        var frozenAt: Timestamp?
        var nextID: UInt64 = 0
        var sleepers: [UInt64: Sleeper] = [:]
        /// Sleepers woken by a time move that have not run again yet.
        var pendingWakes = 0
    }

    private let wall: @Sendable () -> Timestamp
    private let state = Mutex(State())
    private let gate = AsyncSerialGate()

    /// The longest a time move waits for the woken sleepers to run again before it goes on.
    static let wakeWaitLimit: Duration = .seconds(2)

    /// Creates a running clock at wall time.
    /// - Parameter wall: The wall clock it follows (the system's by default; tests pass their own).
    public init(wall: @escaping @Sendable () -> Timestamp = { SystemClock().now() }) {
        self.wall = wall
    }

    public func now() -> Timestamp {
        state.withLock { read($0) }
    }

    private func read(_ state: State) -> Timestamp {
        read(state, wall: wall())
    }

    /// The time with the wall at `wallNow`: a call that needs the time twice reads the wall once.
    private func read(_ state: State, wall wallNow: Timestamp) -> Timestamp {
        state.frozenAt ?? wallNow.adding(milliseconds: state.offset)
    }

    /// The time, the offset, whether it is frozen and how many tasks sleep on it.
    public var reading: Reading {
        state.withLock { state in
            let wallNow = wall()
            let now = read(state, wall: wallNow)
            return Reading(
                now: now, offsetMilliseconds: now.milliseconds - wallNow.milliseconds, frozen: state.frozenAt != nil,
                sleepers: state.sleepers.count)
        }
    }

    // MARK: - Moving time

    /// Moves time forward by `milliseconds` (0 or more) and wakes what became due, in deadline order.
    /// Returns the new time.
    @discardableResult
    public func advance(milliseconds: Int64) async throws(MoveError) -> Timestamp {
        guard milliseconds >= 0 else { throw MoveError(description: "Time only moves forward: seconds must be 0 or more.") }
        return await gate.run {
            await self.move(to: self.now().adding(milliseconds: milliseconds))
        }
    }

    /// Moves time forward to `target` and wakes what became due, in deadline order. Returns the new time.
    /// - Throws: ``MoveError`` when `target` is before the clock's time.
    @discardableResult
    public func advance(to target: Timestamp) async throws(MoveError) -> Timestamp {
        let result: Result<Timestamp, MoveError> = await gate.run {
            let now = self.now()
            guard target >= now else {
                return .failure(MoveError(description: "Time only moves forward: \(target.milliseconds) is before the clock's time \(now.milliseconds)."))
            }
            return .success(await self.move(to: target))
        }
        return try result.get()
    }

    /// Stops the clock at its current time; sleepers then wake only when time is advanced.
    @discardableResult
    public func freeze() async -> Timestamp {
        await gate.run {
            self.state.withLock { state in
                if state.frozenAt == nil {
                    state.frozenAt = self.read(state)
                    for id in state.sleepers.keys {
                        state.sleepers[id]?.timer?.cancel()
                        state.sleepers[id]?.timer = nil
                    }
                }
                return state.frozenAt!
            }
        }
    }

    /// Lets a frozen clock run again from the time it stands at (the offset grows by the time it stood still).
    @discardableResult
    public func resume() async -> Timestamp {
        await gate.run {
            self.state.withLock { state in
                // It runs on from exactly where it stood: the wall is read once, so a millisecond
                // ticking during the call moves neither the offset nor the time returned.
                guard let frozenAt = state.frozenAt else { return self.read(state) }
                state.offset = frozenAt.milliseconds - self.wall().milliseconds
                state.frozenAt = nil
                for id in state.sleepers.keys { self.arm(id, in: &state) }
                return frozenAt
            }
        }
    }

    /// Steps through the deadlines of the sleepers due by `target`, then settles at `target`.
    private func move(to target: Timestamp) async -> Timestamp {
        // The deadlines known now are visited one by one; sleepers that start during the move
        // and are due by the target wake in the last step, still in deadline order.
        let steps = state.withLock { state in
            Set(state.sleepers.values.map(\.deadline).filter { $0 <= target }).sorted()
        }
        for step in steps {
            await wake(at: step, rearm: false)
        }
        return await wake(at: target, rearm: true)
    }

    /// Sets the time to `instant` (never back) and wakes the sleepers due, earliest first. With
    /// `rearm`, the others' wall-time timers are restarted for the shorter time left (once per
    /// move: the steps before the last wake only what is due).
    @discardableResult
    private func wake(at instant: Timestamp, rearm: Bool) async -> Timestamp {
        let (due, now): ([CheckedContinuation<Bool, any Error>], Timestamp) = state.withLock { state in
            // One wall reading for the whole step, so the time set is exactly `instant`.
            let wallNow = wall()
            let current = read(state, wall: wallNow)
            if instant > current {
                if let frozenAt = state.frozenAt {
                    state.frozenAt = frozenAt.adding(milliseconds: instant.milliseconds - current.milliseconds)
                } else {
                    state.offset += instant.milliseconds - current.milliseconds
                }
            }
            let now = read(state, wall: wallNow)
            let dueIDs = state.sleepers.filter { $0.value.deadline <= now }.sorted { ($0.value.deadline, $0.key) < ($1.value.deadline, $1.key) }
                .map(\.key)
            var due: [CheckedContinuation<Bool, any Error>] = []
            for id in dueIDs {
                guard let sleeper = state.sleepers.removeValue(forKey: id) else { continue }
                sleeper.timer?.cancel()
                due.append(sleeper.continuation)
            }
            state.pendingWakes += due.count
            // The others wait for the shorter wall time that is left.
            if rearm && state.frozenAt == nil {
                for id in state.sleepers.keys { arm(id, in: &state) }
            }
            return (due, now)
        }
        for continuation in due {
            continuation.resume(returning: true)
        }
        if !due.isEmpty {
            await waitForWokenSleepers()
        }
        return now
    }

    /// Waits until every sleeper woken by a move runs again (bounded by ``wakeWaitLimit``).
    private func waitForWokenSleepers() async {
        let limit = ContinuousClock.now + Self.wakeWaitLimit
        var spins = 0
        while state.withLock({ $0.pendingWakes > 0 }), ContinuousClock.now < limit {
            spins += 1
            if spins < 64 {
                await Task.yield()
            } else {
                try? await Task.sleep(for: .microseconds(200))
            }
        }
        state.withLock { $0.pendingWakes = 0 }
    }

    // MARK: - Sleeping

    public func sleep(until deadline: Timestamp) async throws {
        _ = try await sleepReportingWake(until: deadline)
    }

    /// ``sleep(until:)`` that returns the clock's time as the sleeper woke: its deadline when a
    /// time move woke it (the clock waits for it to read the time before moving on).
    public func sleepReportingWake(until deadline: Timestamp) async throws -> Timestamp {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        let wokenByMove = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Bool, any Error>) in
                let resumeNow: Bool = state.withLock { state in
                    if deadline <= read(state) || Task.isCancelled { return true }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    if state.frozenAt == nil { arm(id, in: &state) }
                    return false
                }
                if resumeNow {
                    if Task.isCancelled {
                        continuation.resume(throwing: CancellationError())
                    } else {
                        continuation.resume(returning: false)
                    }
                }
            }
        } onCancel: {
            let cancelled: Sleeper? = state.withLock { $0.sleepers.removeValue(forKey: id) }
            cancelled?.timer?.cancel()
            cancelled?.continuation.resume(throwing: CancellationError())
        }
        return state.withLock { state in
            let now = read(state)
            if wokenByMove { state.pendingWakes = max(0, state.pendingWakes - 1) }
            return now
        }
    }

    /// Starts (or restarts) a sleeper's wall-time timer for the time left until its deadline.
    private func arm(_ id: UInt64, in state: inout State) {
        guard let sleeper = state.sleepers[id] else { return }
        sleeper.timer?.cancel()
        let left = max(0, sleeper.deadline.milliseconds - read(state).milliseconds)
        state.sleepers[id]?.timer = Task { [weak self] in
            do {
                try await Task.sleep(for: .milliseconds(left))
            } catch {
                return
            }
            self?.timerFired(id)
        }
    }

    /// A wall-time timer ended: the sleeper wakes if it is due, or waits again.
    private func timerFired(_ id: UInt64) {
        let due: CheckedContinuation<Bool, any Error>? = state.withLock { state in
            guard let sleeper = state.sleepers[id], state.frozenAt == nil else { return nil }
            if sleeper.deadline <= read(state) {
                state.sleepers[id] = nil
                return sleeper.continuation
            }
            arm(id, in: &state)
            return nil
        }
        due?.resume(returning: false)
    }
}
