import SQSEngine
import Synchronization
import Testing

@testable import SQSStore

/// A ``SubmitterThreads`` for tests: holds every wake until the test runs it, names the calling
/// task's "thread" from a task-local value, and records each hand-off of completions.
final class RecordingSubmitters: SubmitterThreads {
    /// A stand-in for an event loop.
    final class Home: Sendable {
        let name: String
        init(_ name: String) { self.name = name }
    }

    /// The home of the submitting task (`nil`: completions run on the writer).
    @TaskLocal static var home: Home?

    private let wakes = Mutex<[@Sendable () -> Void]>([])
    private let handOffs = Mutex<[String]>([])

    /// The wakes asked for and not yet run.
    var pendingWakes: Int { wakes.withLock { $0.count } }

    /// The names of the homes completions were handed to, one entry per hand-off.
    var handedTo: [String] { handOffs.withLock { $0 } }

    /// Runs the oldest wake asked for.
    func runWake() {
        wakes.withLock { $0.removeFirst() }()
    }

    /// Commits `changes` on `store` as its only submission, running the wake it asks for.
    func commitWaking(_ store: SQLiteQueueStore, _ changes: [StoreChange]) async throws {
        let task = Task { try await store.commit(changes) }
        while pendingWakes < 1 { await Task.yield() }
        runWake()
        try await task.value
    }

    func current() -> (any AnyObject & Sendable)? { Self.home }

    func run(_ work: @escaping @Sendable () -> Void, on thread: any AnyObject & Sendable) {
        guard let home = thread as? Home else {
            Issue.record("handed a thread this test did not make")
            return
        }
        handOffs.withLock { $0.append(home.name) }
        work()
    }

    func afterQueuedWork(_ wake: @escaping @Sendable () -> Void) {
        wakes.withLock { $0.append(wake) }
    }
}
