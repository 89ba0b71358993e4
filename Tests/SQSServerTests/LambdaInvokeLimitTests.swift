import FoundationEssentials
import NIOHTTP1
import SQSEngine
import SQSLambda
import Synchronization
import Testing

/// Invoke's payload limits, the bound on queued asynchronous invocations, and synchronous
/// invocations not waiting behind them.
@Suite("Lambda invoke limits", .timeLimit(.minutes(1)))
struct LambdaInvokeLimitTests {
    static let invoke = "/2015-03-31/functions/worker/invocations"

    /// A JSON string document of exactly `size` bytes.
    static func payload(size: Int) -> [UInt8] {
        [UInt8(ascii: "\"")] + [UInt8](repeating: UInt8(ascii: "a"), count: size - 2) + [UInt8(ascii: "\"")]
    }

    @Test func payloadsOverTheLimitsAre413() async throws {
        let harness = try await HostileClientHarness()
        harness.functions.register(InProcessFunction(name: "worker") { invocation, _ in Array("\(invocation.payload.count)".utf8) })

        let atLimit = await harness.send(.POST, Self.invoke, body: Self.payload(size: 6_291_456))
        #expect(atLimit.status == 200)
        #expect(atLimit.body == "6291456")
        let over = await harness.send(.POST, Self.invoke, body: Self.payload(size: 6_291_457))
        #expect(over.status == 413)
        #expect(HostileClientHarness.lambdaError(over) == "RequestEntityTooLargeException")
        #expect(over.body.contains("Request must be smaller than 6291456 bytes for the InvokeFunction operation"))

        let event = [("X-Amz-Invocation-Type", "Event")]
        #expect(await harness.send(.POST, Self.invoke, headers: event, body: Self.payload(size: 1_048_576)).status == 202)
        let asyncOver = await harness.send(.POST, Self.invoke, headers: event, body: Self.payload(size: 1_048_577))
        #expect(asyncOver.status == 413)
        #expect(HostileClientHarness.lambdaError(asyncOver) == "RequestEntityTooLargeException")
        #expect(asyncOver.body.contains("Request must be smaller than 1048576 bytes"))
    }

    @Test func bodiesThatAreNotPlainUTF8AreRefused() async throws {
        let harness = try await HostileClientHarness()
        harness.functions.register(InProcessFunction(name: "worker") { _, _ in [] })
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("{}".utf8)
        let utf16: [UInt8] = [0xFF, 0xFE, UInt8(ascii: "{"), 0, UInt8(ascii: "}"), 0]
        let utf16WithoutBOM: [UInt8] = [UInt8(ascii: "{"), 0, UInt8(ascii: "}"), 0]
        for body in [bom, utf16, utf16WithoutBOM] {
            let invoke = await harness.send(.POST, Self.invoke, body: body)
            #expect(invoke.status == 400)
            #expect(HostileClientHarness.lambdaError(invoke) == "InvalidRequestContentException")
            let create = await harness.send(.POST, "/2015-03-31/event-source-mappings", body: body)
            #expect(create.status == 400)
            #expect(HostileClientHarness.lambdaError(create) == "InvalidRequestContentException")
        }
        #expect(harness.invocations.recent().isEmpty)
    }

    @Test func theAsyncQueueIsBoundedWith429() async throws {
        let gate = InvocationGate()
        let harness = try await HostileClientHarness(asyncQueue: { AsyncInvocationQueue(invoker: $0, depth: 3, concurrency: 1) })
        harness.functions.register(InProcessFunction(name: "worker") { _, _ in await gate.pass(); return [] })
        let event = [("X-Amz-Invocation-Type", "Event")]
        // One runs (held at the gate), three wait, the fifth is throttled.
        var statuses: [Int] = []
        for _ in 0..<4 {
            statuses.append(await harness.send(.POST, Self.invoke, headers: event, body: Array("{}".utf8)).status)
            try await gate.waitUntilHeld(1)
        }
        let throttled = await harness.send(.POST, Self.invoke, headers: event, body: Array("{}".utf8))
        #expect(statuses == [202, 202, 202, 202])
        #expect(throttled.status == 429)
        #expect(HostileClientHarness.lambdaError(throttled) == "TooManyRequestsException")
        await gate.open()
    }

    @Test func aSyncInvokeDoesNotWaitForTheQueuedEvents() async throws {
        // A function that runs one invocation at a time, first come first served (a single
        // process), taking a few milliseconds each.
        let lock = FIFOLock()
        let finishedEvents = Mutex(0)
        let harness = try await HostileClientHarness()
        harness.functions.register(
            InProcessFunction(name: "worker") { invocation, _ in
                await lock.acquire()
                try? await Task.sleep(for: .milliseconds(5))
                await lock.release()
                if invocation.payload == Array(#"{"async":true}"#.utf8) { finishedEvents.withLock { $0 += 1 } }
                return Array("{}".utf8)
            })
        let count = 200
        for _ in 0..<count {
            let queued = await harness.send(
                .POST, Self.invoke, headers: [("X-Amz-Invocation-Type", "Event")], body: Array(#"{"async":true}"#.utf8))
            #expect(queued.status == 202)
        }
        let sync = await harness.send(.POST, Self.invoke, body: Array(#"{"sync":true}"#.utf8))
        #expect(sync.status == 200)
        // The synchronous invoke waited for a few queued events at most, not for all of them.
        let before = finishedEvents.withLock { $0 }
        #expect(before < 20, "\(before) of \(count) events ran before the synchronous invoke")
    }
}

/// Holds invocations until opened.
actor InvocationGate {
    private var isOpen = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func pass() async {
        if isOpen { return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func open() {
        isOpen = true
        for waiter in waiting { waiter.resume() }
        waiting = []
    }

    /// Waits (bounded) until `count` invocations are held.
    func waitUntilHeld(_ count: Int) async throws {
        for _ in 0..<2000 where waiting.count < count {
            try await Task.sleep(for: .milliseconds(1))
        }
    }
}

/// A lock handed over in the order it was asked for.
actor FIFOLock {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        if !busy {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            busy = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}
