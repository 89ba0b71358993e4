import NIOCore
import NIOPosix
import SQSHTTP
import SQSStore

/// The server's event loops as the SQLite store's ``SubmitterThreads``.
///
/// A request submits its change on its connection's event loop (the engine runs there, see
/// `EventLoopTaskExecutor`). The store's writer is woken after that loop's queued requests
/// (``EventLoopDeferral``), and once the group is committed the loop gets its completions back in
/// one task, in which the requests resume with enqueues local to the loop. Before, the writer
/// resumed each request itself: one cross-thread enqueue on the loop per request.
struct EventLoopSubmitters: SubmitterThreads {
    func current() -> (any AnyObject & Sendable)? {
        MultiThreadedEventLoopGroup.currentEventLoop
    }

    func run(_ work: @escaping @Sendable () -> Void, on thread: any AnyObject & Sendable) {
        guard let loop = thread as? any EventLoop else {
            work()
            return
        }
        loop.execute(work)
    }

    func afterQueuedWork(_ wake: @escaping @Sendable () -> Void) {
        EventLoopDeferral.afterQueuedWork(wake)
    }
}
