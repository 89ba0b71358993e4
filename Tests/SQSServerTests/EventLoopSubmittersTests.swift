import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import SQSServer

@Suite("EventLoopSubmitters")
struct EventLoopSubmittersTests {
    @Test("a loop names itself, and work handed to it runs on it; off the loops there is no home")
    func completionsRunOnTheSubmittingLoop() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let (first, second) = (group.next(), group.next())
        let submitters = EventLoopSubmitters()
        #expect(submitters.current() == nil)

        let home = try await second.submit { submitters.current() }.get()
        #expect(home === second)
        let ranOn = Mutex<(onSecond: Bool, onFirst: Bool)?>(nil)
        try await first.submit {
            // Handed from another thread (here the first loop), the work runs on the home loop.
            submitters.run({ ranOn.withLock { $0 = (second.inEventLoop, first.inEventLoop) } }, on: home!)
        }.get()
        try await second.submit {}.get()
        #expect(ranOn.withLock { $0 }?.onSecond == true)
        #expect(ranOn.withLock { $0 }?.onFirst == false)
        try await group.shutdownGracefully()
    }
}
