import Logging
import Synchronization
import Testing

@testable import SQSEngine

/// The clock test suites move (`--controllable-clock`): wall time plus an offset, or frozen;
/// moving it wakes what became due one deadline after the other.
struct ControllableClockTests {
    /// A wall clock the test moves by hand (so a running clock's wall-time timers never fire).
    final class FakeWall: Sendable {
        private let milliseconds = Mutex<Int64>(1_704_067_200_000)
        var now: Timestamp { Timestamp(milliseconds: milliseconds.withLock { $0 }) }
        func move(_ delta: Int64) { milliseconds.withLock { $0 += delta } }
    }

    /// What the sleepers saw, shared with their tasks.
    final class Wakes: Sendable {
        private let state = Mutex<[Int64: Int64]>([:])
        var value: [Int64: Int64] { state.withLock { $0 } }
        func record(_ offset: Int64, _ at: Int64) { state.withLock { $0[offset] = at } }
    }

    static func waitForSleepers(_ clock: ControllableClock, _ count: Int, sourceLocation: SourceLocation = #_sourceLocation) async {
        for _ in 0..<200_000 {
            if clock.reading.sleepers == count { return }
            await Task.yield()
        }
        Issue.record("the clock never had \(count) sleepers", sourceLocation: sourceLocation)
    }

    @Test func sleepersWakeInDeadlineOrderEachWithTheClockAtItsOwnDeadline() async throws {
        let wall = FakeWall()
        let clock = ControllableClock(wall: { wall.now })
        let start = clock.now()
        let woke = Wakes()
        let offsets: [Int64] = [30_000, 10_000, 20_000, 10_000]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for offset in offsets {
                group.addTask {
                    let at = try await clock.sleepReportingWake(until: start.adding(milliseconds: offset))
                    woke.record(offset, at.milliseconds - start.milliseconds)
                }
            }
            await Self.waitForSleepers(clock, 4)
            let reached = try await clock.advance(milliseconds: 25_000)
            #expect(reached == start.adding(milliseconds: 25_000))
            // Everything due woke with the clock at its own deadline: moved one deadline at a time.
            await Self.waitForSleepers(clock, 1)
            #expect(woke.value == [10_000: 10_000, 20_000: 20_000])
            try await clock.advance(milliseconds: 10_000)
            try await group.waitForAll()
        }
        #expect(woke.value == [10_000: 10_000, 20_000: 20_000, 30_000: 30_000])
        #expect(clock.now() == start.adding(milliseconds: 35_000))
        #expect(clock.reading.offsetMilliseconds == 35_000)
    }

    @Test func timeNeverGoesBack() async throws {
        let wall = FakeWall()
        let clock = ControllableClock(wall: { wall.now })
        let now = clock.now()
        await #expect(throws: ControllableClock.MoveError.self) { try await clock.advance(to: now.adding(milliseconds: -1)) }
        await #expect(throws: ControllableClock.MoveError.self) { try await clock.advance(milliseconds: -5) }
        #expect(try await clock.advance(to: now.adding(milliseconds: 500)) == now.adding(milliseconds: 500))
        #expect(clock.now() == now.adding(milliseconds: 500))
    }

    @Test func aRunningClockFollowsTheWallPlusItsOffset() async throws {
        let wall = FakeWall()
        let clock = ControllableClock(wall: { wall.now })
        try await clock.advance(milliseconds: 3_600_000)
        wall.move(1_000)
        #expect(clock.now() == wall.now.adding(milliseconds: 3_600_000))
    }

    @Test func aFrozenClockStandsStillUntilAdvancedAndResumesFromThere() async throws {
        let wall = FakeWall()
        let clock = ControllableClock(wall: { wall.now })
        let frozenAt = await clock.freeze()
        wall.move(60_000)
        #expect(clock.now() == frozenAt)
        #expect(clock.reading.frozen)
        try await clock.advance(milliseconds: 1_000)
        #expect(clock.now() == frozenAt.adding(milliseconds: 1_000))
        let resumed = await clock.resume()
        #expect(resumed == frozenAt.adding(milliseconds: 1_000))
        wall.move(500)
        #expect(clock.now() == frozenAt.adding(milliseconds: 1_500))
        #expect(!clock.reading.frozen)
    }

    @Test func resumeAndReadingAreExactWhileTheWallTicksDuringTheCall() async throws {
        // A wall that moves a millisecond at every read, as a busy machine's can between two reads.
        let wall = FakeWall()
        let clock = ControllableClock(wall: {
            defer { wall.move(1) }
            return wall.now
        })
        let frozenAt = await clock.freeze()
        try await clock.advance(milliseconds: 10_000)
        #expect(await clock.resume() == frozenAt.adding(milliseconds: 10_000))
        #expect(await clock.resume() > frozenAt.adding(milliseconds: 10_000), "resuming a running clock reads it")
        // The offset is the time the clock reads less the wall read in the same instant.
        let unmoved = ControllableClock(wall: {
            defer { wall.move(1) }
            return wall.now
        })
        #expect(unmoved.reading.offsetMilliseconds == 0)
        let target = unmoved.now().adding(milliseconds: 5_000)
        #expect(try await unmoved.advance(to: target) == target, "a running clock is set to exactly the time asked for")
    }

    @Test func aSleeperWakesByWallTimeWhileTheClockRunsButNotWhileItIsFrozen() async throws {
        let clock = ControllableClock()
        // Running: a 30 ms sleep ends after about 30 ms of wall time.
        let deadline = clock.now().adding(milliseconds: 30)
        let woke = try await clock.sleepReportingWake(until: deadline)
        #expect(woke >= deadline)

        // Frozen: the wall passing does not wake it; an advance does.
        _ = await clock.freeze()
        let frozenDeadline = clock.now().adding(milliseconds: 30)
        let sleeper = Task { try await clock.sleepReportingWake(until: frozenDeadline) }
        await Self.waitForSleepers(clock, 1)
        try await Task.sleep(for: .milliseconds(150))
        #expect(clock.reading.sleepers == 1)
        try await clock.advance(milliseconds: 30)
        #expect(try await sleeper.value == frozenDeadline)
    }

    @Test func anAdvanceShortensTheWallTimeLeftToSleepers() async throws {
        let clock = ControllableClock()
        // Due in an hour of wall time; an advance of 59 min 59.95 s leaves 50 ms.
        let deadline = clock.now().adding(milliseconds: 3_600_000)
        let sleeper = Task { try await clock.sleepReportingWake(until: deadline) }
        await Self.waitForSleepers(clock, 1)
        try await clock.advance(milliseconds: 3_600_000 - 50)
        let started = ContinuousClock.now
        #expect(try await sleeper.value >= deadline)
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func aCancelledSleeperThrowsAndLeaves() async throws {
        let clock = ControllableClock()
        let sleeper = Task { try await clock.sleepReportingWake(until: clock.now().adding(milliseconds: 3_600_000)) }
        await Self.waitForSleepers(clock, 1)
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.reading.sleepers == 0)
    }

    // MARK: - The engine on a controllable clock

    static let logger = Logger(label: "sqslite.clock.tests") { _ in SwiftLogNoOpLogHandler() }

    @Test func aLongPollWaitingForAVisibilityTimeoutReturnsWhenTimeIsAdvanced() async throws {
        let clock = ControllableClock()
        let engine = QueueEngine(store: MemoryQueueStore(), clock: clock, logger: Self.logger)
        try await engine.start()
        let key = EngineFixture.key("orders")
        _ = try await engine.createQueue(key, attributes: [:], tags: [:])
        _ = try await engine.sendMessage(key, SendMessageInput(body: "hello"), senderID: "AIDA")
        let first = try await engine.receiveMessage(key, ReceiveMessageInput(maxNumberOfMessages: 1, visibilityTimeout: 15, waitTimeSeconds: 0))
        #expect(first.count == 1)
        let started = ContinuousClock.now
        let poll = Task { try await engine.receiveMessage(key, ReceiveMessageInput(maxNumberOfMessages: 1, waitTimeSeconds: 20)) }
        for _ in 0..<200_000 where await engine.waitingReceiveCount == 0 { await Task.yield() }
        try await clock.advance(milliseconds: 15_000)
        let again = try await poll.value
        #expect(again.map(\.record.messageID) == first.map(\.record.messageID))
        #expect(again.first?.record.receiveCount == 2)
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test func aRateLimitedMoveTaskMovesWhatTheAdvancedSecondsAllow() async throws {
        let clock = ControllableClock()
        let engine = QueueEngine(store: MemoryQueueStore(), clock: clock, logger: Self.logger)
        try await engine.start()
        let dlq = try await engine.createQueue(EngineFixture.key("dlq"), attributes: [:], tags: [:])
        let source = try await engine.createQueue(
            EngineFixture.key("source"), attributes: ["RedrivePolicy": #"{"deadLetterTargetArn":"\#(dlq.arn)","maxReceiveCount":1}"#], tags: [:])
        for index in 0..<60 {
            _ = try await engine.sendMessage(source, SendMessageInput(body: "m\(index)"), senderID: "AIDA")
        }
        for _ in 0..<6 {
            _ = try await engine.receiveMessage(source, ReceiveMessageInput(maxNumberOfMessages: 10, visibilityTimeout: 0, waitTimeSeconds: 0))
        }
        for _ in 0..<6 {
            _ = try await engine.receiveMessage(source, ReceiveMessageInput(maxNumberOfMessages: 10, waitTimeSeconds: 0))
        }
        #expect(try await engine.getQueueAttributes(dlq, names: ["ApproximateNumberOfMessages"])["ApproximateNumberOfMessages"] == "60")
        _ = try await engine.startMessageMoveTask(sourceArn: dlq.arn, destinationArn: nil, maxNumberOfMessagesPerSecond: 10)
        // 10 per second: the first slice at once, the other 50 once five seconds have passed, which
        // an advance does without waiting (the wall clock alone would take five seconds).
        try await clock.advance(milliseconds: 5_000)
        let started = ContinuousClock.now
        var moved = 0
        while ContinuousClock.now - started < .seconds(15) {
            moved = try await engine.listMessageMoveTasks(sourceArn: dlq.arn, maxResults: 1).first?.moved ?? 0
            if moved == 60 { break }
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(moved == 60)
    }

    @Test func resetDeletesEveryQueueAtOnceAndLeavesNoCooldown() async throws {
        let store = MemoryQueueStore()
        let engine = QueueEngine(store: store, clock: ControllableClock(), logger: Self.logger)
        try await engine.start()
        for index in 0..<3 {
            let key = try await engine.createQueue(EngineFixture.key("q\(index)"), attributes: [:], tags: [:])
            _ = try await engine.sendMessage(key, SendMessageInput(body: "x"), senderID: "AIDA")
        }
        let summary = try await engine.resetAll()
        #expect(summary == ResetSummary(queues: 3, messages: 3))
        #expect(try await store.load().queues.isEmpty)
        #expect(try await store.load().messages.isEmpty)
        // No QueueDeletedRecently after a reset.
        _ = try await engine.createQueue(EngineFixture.key("q0"), attributes: [:], tags: [:])
        _ = try await engine.resetQueue(EngineFixture.key("q0"))
        _ = try await engine.createQueue(EngineFixture.key("q0"), attributes: [:], tags: [:])
        await #expect(throws: EngineError.queueDoesNotExist) { _ = try await engine.resetQueue(EngineFixture.key("nope")) }
    }
}
