import NIOCore
import NIOPosix

/// Runs work after the jobs already queued on the calling event loop, so that what those jobs do
/// meanwhile is handled with it.
///
/// The SQLite store wakes its writer through this (see `EventLoopSubmitters` in SQSServer). The
/// requests an event loop read in one go run as jobs one after another on it; each SendMessage
/// submits its change. Woken at the first submission, the writer committed it nearly alone and
/// the others waited for the next commit. Woken after the queued jobs, it commits them together:
/// with `wrk -t2 -c16` SendMessage, 2.0 sends per transaction before and 6.4 after.
///
/// ```swift
/// EventLoopDeferral.afterQueuedWork { writer.wake() }
/// ```
public enum EventLoopDeferral {
    /// On an event loop thread: runs `work` as a task of that loop, after the tasks queued before
    /// it (an event loop runs every task queued on it, also while it shuts down). Elsewhere:
    /// runs `work` now.
    public static func afterQueuedWork(_ work: @escaping @Sendable () -> Void) {
        if let loop = MultiThreadedEventLoopGroup.currentEventLoop {
            loop.execute(work)
        } else {
            work()
        }
    }
}
