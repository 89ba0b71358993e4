import NIOCore
import NIOPosix
import SQSHTTP
import Synchronization
import Testing

@Suite("EventLoopDeferral")
struct EventLoopDeferralTests {
    @Test("on an event loop the work runs after the tasks queued before it; elsewhere it runs at once")
    func runsAfterQueuedWork() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let order = Mutex<[String]>([])
        try await loop.submit {
            loop.execute { order.withLock { $0.append("queued before") } }
            EventLoopDeferral.afterQueuedWork { order.withLock { $0.append("deferred") } }
            order.withLock { $0.append("caller") }
        }.get()
        // A task submitted now runs after everything queued so far.
        try await loop.submit {}.get()
        #expect(order.withLock { $0 } == ["caller", "queued before", "deferred"])

        EventLoopDeferral.afterQueuedWork { order.withLock { $0.append("off the loop") } }
        #expect(order.withLock { $0.last } == "off the loop")
        try await group.shutdownGracefully()
    }
}
