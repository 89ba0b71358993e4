import Synchronization
import Testing

@testable import SQSLambda

@Suite("Race")
struct RaceTests {
    @Test("work that goes on after its timeout's cancellation finds its outputs already closed")
    func beforeCancellingRunsBeforeTheWorkSeesCancellation() async {
        // The work swallows its cancellation at once and reports whether the output was closed by
        // then, as a function's closure that catches `CancellationError` and logs would.
        for _ in 0..<200 {
            let closed = Mutex(false)
            let seen = OneShot<Bool>()
            let result = await Race.first(
                { () async -> Int in
                    try? await Task.sleep(for: .seconds(30))
                    seen.resolve(closed.withLock { $0 })
                    return 1
                }, orTimeoutAfter: .milliseconds(1), 0,
                beforeCancelling: { closed.withLock { $0 = true } })
            #expect(result == 0)
            #expect(await seen.value() == true)
        }
    }

    @Test("work that returns in time wins and nothing is closed")
    func workInTime() async {
        let closed = Mutex(false)
        let result = await Race.first({ 7 }, orTimeoutAfter: .seconds(30), 0, beforeCancelling: { closed.withLock { $0 = true } })
        #expect(result == 7)
        #expect(closed.withLock { $0 } == false)
    }
}
