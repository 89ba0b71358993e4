import SQSEngine
import Synchronization

/// The call record: every API request (SQS, Lambda, Logs) in a bounded ring, oldest dropped
/// first, and optionally every one in SQLite too (``CallDatabase``).
///
/// Cheap on the hot path: the router hands over what it already knows (no body is parsed again),
/// and recording is one short lock. A size of 0 turns the ring off.
public final class CallRecorder: Sendable {
    private struct State {
        var capacity: Int
        var recordsBodies: Bool
        var ring: [CallRecord] = []
        /// Where the oldest call is once the ring is full.
        var start = 0
        var nextID = 1
        /// Calls pushed out of the ring.
        var dropped = 0
        var database: CallDatabase?
        var clock: any EngineClock = SystemClock()
    }

    /// A call as the router knows it, before the recorder numbers and times it.
    struct Call {
        var service: String
        var action: String
        var account: String
        var principal: String
        var resource: String?
        var status: Int
        var errorCode: String?
        var durationMs: Double
        var requestID: String
        var body: String?
        var startedAt: Timestamp?
    }

    private let state: Mutex<State>

    /// Creates a recorder keeping the last `capacity` calls.
    public init(capacity: Int = TestControlLimits.defaultCallRecordSize, recordsBodies: Bool = false) {
        state = Mutex(State(capacity: max(0, capacity), recordsBodies: recordsBodies))
    }

    /// Sets the size, the body option, the SQLite copy and the clock calls are timed with.
    func configure(capacity: Int, recordsBodies: Bool, database: CallDatabase?, clock: any EngineClock) {
        let highest = database?.highestID() ?? 0
        state.withLock { state in
            state.capacity = max(0, capacity)
            state.recordsBodies = recordsBodies
            state.database = database
            state.clock = clock
            state.nextID = max(state.nextID, highest + 1)
            let kept = Self.ordered(state).suffix(state.capacity)
            state.ring = Array(kept)
            state.start = 0
        }
    }

    /// Whether calls are recorded at all.
    var isEnabled: Bool {
        state.withLock { $0.capacity > 0 || $0.database != nil }
    }

    /// Whether request bodies are kept.
    var recordsBodies: Bool {
        state.withLock { $0.recordsBodies }
    }

    /// The ring's size, whether bodies are kept and whether SQLite keeps a copy.
    var settings: (capacity: Int, recordsBodies: Bool, database: Bool) {
        state.withLock { ($0.capacity, $0.recordsBodies, $0.database != nil) }
    }

    /// The server's time now (what a call is stamped with).
    func now() -> Timestamp {
        state.withLock { $0.clock }.now()
    }

    /// Records one call.
    func record(_ call: Call) {
        let (record, database): (CallRecord?, CallDatabase?) = state.withLock { state in
            guard state.capacity > 0 || state.database != nil else { return (nil, nil) }
            let record = CallRecord(
                id: state.nextID, time: (call.startedAt ?? state.clock.now()).milliseconds, service: call.service, action: call.action,
                account: call.account, principal: call.principal, resource: call.resource, status: call.status, errorCode: call.errorCode,
                durationMs: call.durationMs, requestId: call.requestID, body: state.recordsBodies ? call.body : nil)
            state.nextID += 1
            if state.capacity > 0 {
                if state.ring.count < state.capacity {
                    state.ring.append(record)
                } else {
                    state.ring[state.start] = record
                    state.start = (state.start + 1) % state.capacity
                    state.dropped += 1
                }
            }
            return (record, state.database)
        }
        if let record, let database { database.append(record) }
    }

    /// The recorded calls that pass `filter`, oldest first: from SQLite when it keeps a copy
    /// (every call), otherwise from the ring.
    public func calls(_ filter: CallFilter = CallFilter()) async -> [CallRecord] {
        if let database = state.withLock({ $0.database }) {
            return await database.calls(filter)
        }
        return state.withLock { state in
            Array(Self.ordered(state).lazy.filter(filter.admits).prefix(filter.limit))
        }
    }

    /// How many calls were pushed out of the ring since the last clear.
    var dropped: Int {
        state.withLock { $0.dropped }
    }

    /// Forgets every recorded call (ids keep growing).
    public func clear() async {
        let database: CallDatabase? = state.withLock { state in
            state.ring.removeAll()
            state.start = 0
            state.dropped = 0
            return state.database
        }
        await database?.clear()
    }

    private static func ordered(_ state: State) -> [CallRecord] {
        guard state.start > 0 else { return state.ring }
        return Array(state.ring[state.start...] + state.ring[..<state.start])
    }
}
