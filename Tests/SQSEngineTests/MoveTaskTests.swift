import Testing

@testable import SQSEngine

/// Message move tasks (StartMessageMoveTask / ListMessageMoveTasks / CancelMessageMoveTask).
///
/// Task runners run in the background: tests wait for them by polling ListMessageMoveTasks between
/// `Task.yield()`s, and drive rate-limited tasks (one slice per second) with the ``ManualClock``.
struct MoveTaskTests {
    /// A dead-letter queue and two sources that send there after one receive.
    struct Setup {
        let fixture: EngineFixture
        let dlq: QueueKey
        let sourceA: QueueKey
        let sourceB: QueueKey

        var engine: QueueEngine { fixture.engine }
        var clock: ManualClock { fixture.clock }

        static func make() async throws -> Setup {
            let fixture = try await EngineFixture.make()
            let dlq = try await fixture.createQueue("dlq")
            let policy = #"{"deadLetterTargetArn":"\#(dlq.arn)","maxReceiveCount":1}"#
            let sourceA = try await fixture.createQueue("source-a", ["RedrivePolicy": policy])
            let sourceB = try await fixture.createQueue("source-b", ["RedrivePolicy": policy])
            return Setup(fixture: fixture, dlq: dlq, sourceA: sourceA, sourceB: sourceB)
        }

        /// Sends `bodies` to `source` and receives them twice, which moves them to the DLQ.
        /// Returns their message ids.
        @discardableResult
        func deadLetter(_ source: QueueKey, _ bodies: [String]) async throws -> [String] {
            var ids: [String] = []
            for start in stride(from: 0, to: bodies.count, by: 10) {
                for body in bodies[start..<min(start + 10, bodies.count)] {
                    ids.append(try await fixture.send(source, body).messageID)
                }
                #expect(try await fixture.receive(source, visibilityTimeout: 0).count == min(10, bodies.count - start))
                #expect(try await fixture.receive(source).isEmpty)
            }
            #expect(try await fixture.counts(source) == [0, 0, 0])
            return ids
        }

        /// The latest task of the DLQ.
        func latestTask(on engine: QueueEngine? = nil) async throws -> MoveTaskRecord? {
            try await (engine ?? self.engine).listMessageMoveTasks(sourceArn: dlq.arn, maxResults: 1).first
        }

        /// Waits until the latest task satisfies `condition`, then returns it.
        @discardableResult
        func waitForTask(
            _ what: String, on engine: QueueEngine? = nil, sourceLocation: SourceLocation = #_sourceLocation,
            _ condition: @escaping (MoveTaskRecord) -> Bool
        ) async throws -> MoveTaskRecord {
            try await fixture.waitUntil(what, sourceLocation: sourceLocation) {
                try await latestTask(on: engine).map(condition) ?? false
            }
            return try #require(try await latestTask(on: engine), sourceLocation: sourceLocation)
        }

        /// Waits until a rate-limited runner has moved `moved` messages and sleeps on the clock.
        @discardableResult
        func waitForSlice(moved: Int, on engine: QueueEngine? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws
            -> MoveTaskRecord
        {
            let task = try await waitForTask("\(moved) moved", on: engine, sourceLocation: sourceLocation) { $0.moved == moved }
            await fixture.waitUntil("the runner sleeps", sourceLocation: sourceLocation) { clock.sleeperCount == 1 }
            return task
        }

        /// Yields a while and checks that the latest task has still moved `moved` messages.
        func expectNoProgress(moved: Int, on engine: QueueEngine? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws {
            for _ in 0..<300 { await Task.yield() }
            #expect(try await latestTask(on: engine)?.moved == moved, sourceLocation: sourceLocation)
        }

        /// Every message in the store, as (queue name, message id), checking none is duplicated.
        func storedMessages(sourceLocation: SourceLocation = #_sourceLocation) async throws -> [(queue: String, id: String)] {
            let snapshot = try await fixture.store.load()
            let names = Dictionary(uniqueKeysWithValues: snapshot.queues.map { ($0.id, $0.key.name) })
            let messages = snapshot.messages.map { (queue: names[$0.queueID] ?? "?", id: $0.messageID) }
            #expect(Set(messages.map(\.id)).count == messages.count, "a message is stored twice", sourceLocation: sourceLocation)
            #expect(Set(snapshot.messages.map(\.sequence)).count == messages.count, "a sequence is used twice", sourceLocation: sourceLocation)
            return messages
        }
    }

    // MARK: - Start errors

    @Test func startChecksTheSourceTheDestinationAndTheRate() async throws {
        let setup = try await Setup.make()
        let engine = setup.engine
        let plain = try await setup.fixture.createQueue("plain")
        await #expect(throws: EngineError(.invalidParameterValue, "Source queue must be configured as a Dead Letter Queue.")) {
            try await engine.startMessageMoveTask(sourceArn: plain.arn, destinationArn: nil, maxNumberOfMessagesPerSecond: nil)
        }
        // A source queue (it has a RedrivePolicy) is not itself a DLQ.
        await #expect(throws: EngineError(.invalidParameterValue, "Source queue must be configured as a Dead Letter Queue.")) {
            try await engine.startMessageMoveTask(sourceArn: setup.sourceA.arn, destinationArn: nil, maxNumberOfMessagesPerSecond: nil)
        }
        let missingSource = EngineError(.resourceNotFound, "The resource that you specified for the SourceArn parameter doesn't exist.")
        await #expect(throws: missingSource) {
            try await engine.startMessageMoveTask(sourceArn: EngineFixture.key("missing").arn, destinationArn: nil, maxNumberOfMessagesPerSecond: nil)
        }
        await #expect(throws: missingSource) {
            try await engine.startMessageMoveTask(sourceArn: "not-an-arn", destinationArn: nil, maxNumberOfMessagesPerSecond: nil)
        }
        await #expect(
            throws: EngineError(.resourceNotFound, "The resource that you specified for the DestinationArn parameter doesn't exist.")
        ) {
            try await engine.startMessageMoveTask(
                sourceArn: setup.dlq.arn, destinationArn: EngineFixture.key("missing").arn, maxNumberOfMessagesPerSecond: nil)
        }
        for rate in [0, 501] {
            await #expect(
                throws: EngineError(
                    .invalidParameterValue,
                    "Value \(rate) for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: Value must be greater than 0 and less than or equal to 500."
                )
            ) {
                try await engine.startMessageMoveTask(sourceArn: setup.dlq.arn, destinationArn: nil, maxNumberOfMessagesPerSecond: rate)
            }
        }
        // None of the refused starts left a task behind.
        #expect(try await engine.listMessageMoveTasks(sourceArn: setup.dlq.arn, maxResults: 10).isEmpty)
        #expect(try await setup.fixture.store.load().moveTasks.isEmpty)
    }

    @Test func listChecksItsArguments() async throws {
        let setup = try await Setup.make()
        let engine = setup.engine
        await #expect(
            throws: EngineError(
                .invalidParameterValue,
                "You must use this format to specify the SourceArn: arn:<partition>:<service>:<region>:<account-id>:<resource-id>")
        ) {
            try await engine.listMessageMoveTasks(sourceArn: "dlq", maxResults: nil)
        }
        await #expect(throws: EngineError(.resourceNotFound, "The resource that you specified for the SourceArn parameter doesn't exist.")) {
            try await engine.listMessageMoveTasks(sourceArn: EngineFixture.key("missing").arn, maxResults: nil)
        }
        await #expect(throws: EngineError(.invalidParameterValue, "Value 11 for parameter MaxResults is invalid. Reason: Value must be between 1 and 10.")) {
            try await engine.listMessageMoveTasks(sourceArn: setup.dlq.arn, maxResults: 11)
        }
    }

    // MARK: - Moving

    @Test func aTaskMovesMessagesBackToTheirOriginalSources() async throws {
        let setup = try await Setup.make()
        let fixture = setup.fixture
        let idsA = try await setup.deadLetter(setup.sourceA, ["a1", "a2", "a3"])
        let idsB = try await setup.deadLetter(setup.sourceB, ["b1", "b2"])
        #expect(try await fixture.counts(setup.dlq) == [5, 0, 0])
        fixture.clock.advance(seconds: 7)

        let handle = try await setup.engine.startMessageMoveTask(sourceArn: setup.dlq.arn, destinationArn: nil, maxNumberOfMessagesPerSecond: nil)
        let task = try await setup.waitForTask("the task completes") { $0.status != .running }
        #expect(task.status == .completed)
        #expect(task.moved == 5)
        #expect(task.toMove == 5)
        #expect(task.destinationArn == nil)
        #expect(task.maxNumberOfMessagesPerSecond == nil)
        #expect(task.failureReason == nil)
        #expect(task.startedAt == EngineFixture.start.adding(seconds: 7))
        #expect(QueueEngine.taskHandle(task) == handle)
        #expect(try await fixture.store.load().moveTasks == [task])

        #expect(try await fixture.counts(setup.dlq) == [0, 0, 0])
        let backInA = try await fixture.receive(setup.sourceA, visibilityTimeout: 60)
        #expect(backInA.map(\.record.body) == ["a1", "a2", "a3"])
        #expect(backInA.map(\.record.messageID) == idsA)
        // Back in the source they start over: a fresh receive count, no DLQ source.
        #expect(backInA.map(\.record.receiveCount) == [1, 1, 1])
        #expect(backInA.allSatisfy { $0.systemAttributes["DeadLetterQueueSourceArn"] == nil })
        let backInB = try await fixture.receive(setup.sourceB, visibilityTimeout: 60)
        #expect(backInB.map(\.record.messageID) == idsB)
        #expect(try await setup.storedMessages().count == 5)
    }

    @Test func anExplicitDestinationReceivesEveryMessage() async throws {
        let setup = try await Setup.make()
        let fixture = setup.fixture
        let replay = try await fixture.createQueue("replay", ["DelaySeconds": "5"])
        let ids = try await setup.deadLetter(setup.sourceA, ["a1", "a2"]) + setup.deadLetter(setup.sourceB, ["b1"])

        _ = try await setup.engine.startMessageMoveTask(sourceArn: setup.dlq.arn, destinationArn: replay.arn, maxNumberOfMessagesPerSecond: nil)
        let task = try await setup.waitForTask("the task completes") { $0.status != .running }
        #expect(task.status == .completed)
        #expect(task.moved == 3)
        #expect(task.destinationArn == replay.arn)
        #expect(try await fixture.counts(setup.sourceA) == [0, 0, 0])
        #expect(try await fixture.counts(setup.sourceB) == [0, 0, 0])
        // The destination's delay applies to moved messages.
        #expect(try await fixture.counts(replay) == [0, 0, 3])
        fixture.clock.advance(seconds: 5)
        let received = try await fixture.receive(replay)
        #expect(received.map(\.record.body) == ["a1", "a2", "b1"])
        #expect(received.map(\.record.messageID) == ids)
    }

    @Test func aSecondStartWhileATaskRunsIsRefused() async throws {
        let setup = try await Setup.make()
        let engine = setup.engine
        try await setup.deadLetter(setup.sourceA, ["m1", "m2", "m3", "m4", "m5"])
        let first = try await engine.startMessageMoveTask(sourceArn: setup.dlq.arn, destinationArn: nil, maxNumberOfMessagesPerSecond: 2)
        try await setup.waitForSlice(moved: 2)
        let running = EngineError(
            .invalidParameterValue, "There is already a task running. Only one active task is allowed for a source queue arn at a given time.")
        await #expect(throws: running) {
            try await engine.startMessageMoveTask(sourceArn: setup.dlq.arn, destinationArn: nil, maxNumberOfMessagesPerSecond: nil)
        }
        await #expect(throws: running) {
            try await engine.startMessageMoveTask(sourceArn: setup.dlq.arn, destinationArn: setup.sourceB.arn, maxNumberOfMessagesPerSecond: 10)
        }
        setup.clock.advance(seconds: 1)
        try await setup.waitForSlice(moved: 4)
        setup.clock.advance(seconds: 1)
        try await setup.waitForSlice(moved: 5)
        setup.clock.advance(seconds: 1)
        let done = try await setup.waitForTask("the task completes") { $0.status == .completed }
        #expect(done.moved == 5)

        // Once it ended, a new task may start (here on an empty DLQ: it completes at once).
        let second = try await engine.startMessageMoveTask(sourceArn: setup.dlq.arn, destinationArn: nil, maxNumberOfMessagesPerSecond: nil)
        #expect(second != first)
        let empty = try await setup.waitForTask("the second task completes") { $0.status == .completed }
        #expect(empty.moved == 0)
        #expect(empty.toMove == 0)
        let tasks = try await engine.listMessageMoveTasks(sourceArn: setup.dlq.arn, maxResults: 10)
        #expect(tasks.map(QueueEngine.taskHandle) == [second, first])
    }

    @Test func cancellingStopsATaskAndReportsWhatItMoved() async throws {
        let setup = try await Setup.make()
        let engine = setup.engine
        let fixture = setup.fixture
        try await setup.deadLetter(setup.sourceA, ["m1", "m2", "m3", "m4", "m5"])
        let handle = try await engine.startMessageMoveTask(sourceArn: setup.dlq.arn, destinationArn: nil, maxNumberOfMessagesPerSecond: 2)
        try await setup.waitForSlice(moved: 2)

        #expect(try await engine.cancelMessageMoveTask(taskHandle: handle) == 2)
        let cancelled = try #require(try await setup.latestTask())
        #expect(cancelled.status == .cancelled)
        #expect(cancelled.moved == 2)
        #expect(try await fixture.store.load().moveTasks.map(\.status) == [.cancelled])
        await fixture.waitUntil("the runner stops sleeping") { fixture.clock.sleeperCount == 0 }
        // Nothing more moves, whatever the clock does.
        fixture.clock.advance(seconds: 10)
        try await setup.expectNoProgress(moved: 2)
        #expect(try await fixture.counts(setup.sourceA) == [2, 0, 0])
        #expect(try await fixture.counts(setup.dlq) == [3, 0, 0])
        #expect(try await setup.storedMessages().count == 5)

        await #expect(throws: EngineError(.invalidParameterValue, "Only active tasks can be cancelled.")) {
            try await engine.cancelMessageMoveTask(taskHandle: handle)
        }
        // A new task moves the rest.
        _ = try await engine.startMessageMoveTask(sourceArn: setup.dlq.arn, destinationArn: nil, maxNumberOfMessagesPerSecond: nil)
        let rest = try await setup.waitForTask("the new task completes") { $0.status == .completed }
        #expect(rest.moved == 3)
        #expect(try await fixture.receive(setup.sourceA).map(\.record.body) == ["m1", "m2", "m3", "m4", "m5"])
    }

    @Test func cancelRefusesInvalidHandles() async throws {
        let setup = try await Setup.make()
        let engine = setup.engine
        let invalid = EngineError(.invalidParameterValue, "Value for parameter TaskHandle is invalid.")
        await #expect(throws: invalid) {
            try await engine.cancelMessageMoveTask(taskHandle: "not-a-handle")
        }
        // Base64 that is not a task handle document.
        await #expect(throws: invalid) {
            try await engine.cancelMessageMoveTask(taskHandle: "aGVsbG8=")
        }
        let unknownTask = MoveTaskRecord(
            taskID: "00000000-0000-0000-0000-000000000000", sourceArn: setup.dlq.arn, destinationArn: nil, maxNumberOfMessagesPerSecond: nil,
            status: .running, startedAt: EngineFixture.start, toMove: 0)
        await #expect(throws: EngineError(.resourceNotFound, "Task does not exist.")) {
            try await engine.cancelMessageMoveTask(taskHandle: QueueEngine.taskHandle(unknownTask))
        }
        var unknownSource = unknownTask
        unknownSource.sourceArn = EngineFixture.key("missing").arn
        await #expect(throws: EngineError(.resourceNotFound, "The resource that you specified for the SourceArn parameter doesn't exist.")) {
            try await engine.cancelMessageMoveTask(taskHandle: QueueEngine.taskHandle(unknownSource))
        }
    }

    @Test func aRateLimitedTaskMovesItsRatePerSecond() async throws {
        let setup = try await Setup.make()
        let fixture = setup.fixture
        let bodies = (0..<10).map { "m\($0)" }
        try await setup.deadLetter(setup.sourceA, bodies)
        _ = try await setup.engine.startMessageMoveTask(sourceArn: setup.dlq.arn, destinationArn: nil, maxNumberOfMessagesPerSecond: 3)

        var task = try await setup.waitForSlice(moved: 3)
        #expect(task.status == .running)
        #expect(task.toMove == 10)
        #expect(task.maxNumberOfMessagesPerSecond == 3)
        // Moved messages are receivable while the task runs.
        #expect(try await fixture.counts(setup.sourceA) == [3, 0, 0])
        #expect(try await fixture.counts(setup.dlq) == [7, 0, 0])
        try await setup.expectNoProgress(moved: 3)
        fixture.clock.advance(milliseconds: 999)
        try await setup.expectNoProgress(moved: 3)
        fixture.clock.advance(milliseconds: 1)
        try await setup.waitForSlice(moved: 6)
        try await setup.expectNoProgress(moved: 6)
        fixture.clock.advance(seconds: 1)
        try await setup.waitForSlice(moved: 9)
        fixture.clock.advance(seconds: 1)
        task = try await setup.waitForSlice(moved: 10)
        #expect(task.status == .running)
        fixture.clock.advance(seconds: 1)
        task = try await setup.waitForTask("the task completes") { $0.status != .running }
        #expect(task.status == .completed)
        #expect(task.moved == 10)
        #expect(fixture.clock.sleeperCount == 0)
        #expect(try await fixture.receive(setup.sourceA).map(\.record.body) == bodies)
        #expect(try await setup.storedMessages().count == 10)
    }

    @Test func aTaskFailsWhenItsDestinationIsDeleted() async throws {
        let setup = try await Setup.make()
        let fixture = setup.fixture
        let replay = try await fixture.createQueue("replay")
        try await setup.deadLetter(setup.sourceA, ["m1", "m2", "m3"])
        _ = try await setup.engine.startMessageMoveTask(sourceArn: setup.dlq.arn, destinationArn: replay.arn, maxNumberOfMessagesPerSecond: 1)
        try await setup.waitForSlice(moved: 1)
        try await setup.engine.deleteQueue(replay)
        fixture.clock.advance(seconds: 1)
        let failed = try await setup.waitForTask("the task fails") { $0.status != .running }
        #expect(failed.status == .failed)
        #expect(failed.failureReason == "AWS.SimpleQueueService.NonExistentQueue")
        #expect(failed.moved == 1)
        #expect(try await fixture.counts(setup.dlq) == [2, 0, 0])
    }

    // MARK: - Restart

    @Test func aRunningTaskResumesAfterARestartWithoutLosingOrDuplicatingMessages() async throws {
        let setup = try await Setup.make()
        let fixture = setup.fixture
        let bodiesA = (0..<6).map { "a\($0)" }
        let bodiesB = (0..<4).map { "b\($0)" }
        let ids = try await setup.deadLetter(setup.sourceA, bodiesA) + setup.deadLetter(setup.sourceB, bodiesB)
        let handle = try await setup.engine.startMessageMoveTask(sourceArn: setup.dlq.arn, destinationArn: nil, maxNumberOfMessagesPerSecond: 3)
        try await setup.waitForSlice(moved: 3)

        // The first engine goes idle (as its process would stop): its runner ends.
        await setup.engine.stopMoveTaskRunners()
        await fixture.waitUntil("the old runner stops sleeping") { fixture.clock.sleeperCount == 0 }
        #expect(try await fixture.store.load().moveTasks.map(\.moved) == [3])
        #expect(Set(try await setup.storedMessages().map(\.id)) == Set(ids))

        let restarted = try await fixture.restarted()
        let engine = restarted.engine
        var task = try await setup.waitForSlice(moved: 6, on: engine)
        #expect(task.status == .running)
        #expect(task.toMove == 10)
        #expect(QueueEngine.taskHandle(task) == handle)
        var messages = try await setup.storedMessages()
        #expect(messages.count == 10)
        #expect(Set(messages.map(\.id)) == Set(ids))
        #expect(messages.filter { $0.queue == "dlq" }.count == 4)

        fixture.clock.advance(seconds: 1)
        try await setup.waitForSlice(moved: 9, on: engine)
        #expect(try await setup.storedMessages().count == 10)
        fixture.clock.advance(seconds: 1)
        try await setup.waitForSlice(moved: 10, on: engine)
        fixture.clock.advance(seconds: 1)
        task = try await setup.waitForTask("the task completes", on: engine) { $0.status != .running }
        #expect(task.status == .completed)
        #expect(task.moved == 10)

        messages = try await setup.storedMessages()
        #expect(messages.count == 10)
        #expect(Set(messages.map(\.id)) == Set(ids))
        #expect(messages.filter { $0.queue == "dlq" }.isEmpty)
        #expect(try await restarted.receive(setup.sourceA).map(\.record.body) == bodiesA)
        #expect(try await restarted.receive(setup.sourceB).map(\.record.body) == bodiesB)
        // The cancel of a finished task is refused by the new engine too.
        await #expect(throws: EngineError(.invalidParameterValue, "Only active tasks can be cancelled.")) {
            try await engine.cancelMessageMoveTask(taskHandle: handle)
        }
    }

    @Test func aCancelledTaskStaysCancelledAfterARestart() async throws {
        let setup = try await Setup.make()
        let fixture = setup.fixture
        try await setup.deadLetter(setup.sourceA, ["m1", "m2", "m3"])
        let handle = try await setup.engine.startMessageMoveTask(sourceArn: setup.dlq.arn, destinationArn: nil, maxNumberOfMessagesPerSecond: 1)
        try await setup.waitForSlice(moved: 1)
        #expect(try await setup.engine.cancelMessageMoveTask(taskHandle: handle) == 1)
        await fixture.waitUntil("the runner stops sleeping") { fixture.clock.sleeperCount == 0 }

        let restarted = try await fixture.restarted()
        fixture.clock.advance(seconds: 5)
        try await setup.expectNoProgress(moved: 1, on: restarted.engine)
        #expect(try await setup.latestTask(on: restarted.engine)?.status == .cancelled)
        #expect(try await restarted.counts(setup.dlq) == [2, 0, 0])
    }
}
