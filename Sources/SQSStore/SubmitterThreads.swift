/// The threads that submit changes to a ``SQLiteQueueStore`` (the server's event loops), as the
/// store needs to see them: it wakes its writer after their queued work, and it hands each commit's
/// completions back to them in one task per thread instead of one hand-off per submission.
///
/// The writer is a thread of its own. Calling every completion itself cost one cross-thread
/// hand-off per submission (two locks on the loop's task queue, and a wake-up when the loop slept);
/// through ``current()`` and ``run(_:on:)`` a commit of `n` submissions from two loops costs two.
public protocol SubmitterThreads: Sendable {
    /// The calling thread, if completions can be run on it later with ``run(_:on:)``; `nil` for a
    /// thread that cannot (a test's task, a startup task): their completions run on the writer.
    func current() -> (any AnyObject & Sendable)?

    /// Runs `work` on `thread`, a value ``current()`` returned. `work` must not be dropped: it
    /// resumes the requests waiting for their commit.
    func run(_ work: @escaping @Sendable () -> Void, on thread: any AnyObject & Sendable)

    /// Runs `wake` now, or soon after on the calling thread once the work already queued there has
    /// run (so that work's submissions join the same commit). It must run `wake` eventually.
    func afterQueuedWork(_ wake: @escaping @Sendable () -> Void)
}

/// The default ``SubmitterThreads``: wakes the writer at once and runs completions on the writer.
public struct WriterRunsCompletions: SubmitterThreads {
    /// The default.
    public init() {}

    public func current() -> (any AnyObject & Sendable)? { nil }

    public func run(_ work: @escaping @Sendable () -> Void, on thread: any AnyObject & Sendable) { work() }

    public func afterQueuedWork(_ wake: @escaping @Sendable () -> Void) { wake() }
}
