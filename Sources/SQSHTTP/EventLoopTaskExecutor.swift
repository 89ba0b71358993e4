import NIOCore

/// A `TaskExecutor` that runs jobs on one NIO event loop.
///
/// Each request's responder `Task` prefers the event loop of its connection. The responder's
/// code, and the code of default actors it calls (the queue engine), then runs on the thread that
/// already holds the request, instead of handing it to the global concurrency pool and back: on
/// two cores, the thread wake-ups of those hand-offs cost more than the request's own work. The
/// responders never block (SQLite runs on the store's own threads), so the event loop stays free
/// for I/O between jobs.
final class EventLoopTaskExecutor: TaskExecutor {
    /// The event loop the jobs run on.
    let eventLoop: any EventLoop

    /// An executor for `eventLoop`.
    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        self.eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
