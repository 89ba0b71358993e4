import Testing

@testable import SQSLambda

@Suite("Reserved concurrency", .timeLimit(.minutes(1)))
struct ConcurrencyLimitsTests {
    @Test func unlimitedFunctionsAreNotCounted() {
        let limits = ConcurrencyLimits()
        let permits = (0..<100).compactMap { _ in limits.tryAcquire("f") }
        #expect(permits.count == 100)
        #expect(limits.running("f") == 0)
        // A limit set while uncounted places are out is not disturbed by their release.
        limits.setLimit(1, for: "f")
        for permit in permits { permit.release() }
        #expect(limits.tryAcquire("f") != nil)
        #expect(limits.tryAcquire("f") == nil)
    }

    @Test func aLimitCapsPlacesAndAReleaseLetsAWaiterIn() async {
        let limits = ConcurrencyLimits()
        limits.setLimit(2, for: "f")
        let first = limits.tryAcquire("f")
        let second = limits.tryAcquire("f")
        #expect(first != nil && second != nil)
        #expect(limits.tryAcquire("f") == nil)
        let waiter = Task { await limits.acquire("f") }
        first?.release()
        first?.release()  // a second release does nothing
        let third = await waiter.value
        #expect(third != nil)
        #expect(limits.running("f") == 2)
        #expect(limits.tryAcquire("f") == nil)
        second?.release()
        third?.release()
        #expect(limits.running("f") == 0)
    }

    @Test func zeroThrottlesAndACancelledWaiterGetsNothing() async {
        let limits = ConcurrencyLimits()
        limits.setLimit(0, for: "f")
        #expect(limits.tryAcquire("f") == nil)
        let waiter = Task { await limits.acquire("f") }
        waiter.cancel()
        #expect(await waiter.value == nil)
        let raised = Task { await limits.acquire("f") }
        limits.setLimit(nil, for: "f")
        #expect(await raised.value != nil)
    }
}
