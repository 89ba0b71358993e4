import Logging
import SQSEngine
import SQSProtocol
import Synchronization

@testable import SQSNotify

/// A transport that records deliveries and answers from a script (delivered unless told to fail).
final class RecordingTransport: DeliveryTransport {
    private let state = Mutex<(deliveries: [DeliveryContext], failures: Int)>(([], 0))

    /// The next `count` attempts fail.
    func failNext(_ count: Int) {
        state.withLock { $0.failures = count }
    }

    var deliveries: [DeliveryContext] { state.withLock { $0.deliveries } }

    func deliver(_ delivery: DeliveryContext) async -> DeliveryAttemptResult {
        state.withLock { state in
            state.deliveries.append(delivery)
            if state.failures > 0 {
                state.failures -= 1
                return .failed("HTTP 500")
            }
            return .delivered("ok")
        }
    }
}

/// An SNS service over an in-memory (or file) store, a manual clock and recording transports.
struct SNSHarness {
    let clock = ManualClock()
    let store: SNSStore
    let scheduler: DeliveryScheduler
    let service: SNSService
    let transport = RecordingTransport()
    let context = RequestContext(account: "000000000000", region: "us-east-1", baseURL: "http://localhost:9324", senderID: "test", requestID: "r")

    /// One signer for every test: making its RSA key is the slowest part of a delivery in a debug build.
    static let signer = MessageSigner()

    init(path: String? = nil) throws {
        store = try SNSStore(path: path)
        let links = SNSLinks(baseURL: "http://localhost:9324")
        var transports: [SubscriptionProtocol: any DeliveryTransport] = [:]
        for kind in SubscriptionProtocol.allCases { transports[kind] = transport }
        scheduler = DeliveryScheduler(
            store: store, transports: transports, deadLetters: nil, links: links, signer: Self.signer, clock: clock, logger: Logger(label: "test"))
        service = SNSService(store: store, scheduler: scheduler, links: links, clock: clock)
    }

    /// Waits until the scheduler has nothing left to do at the current time.
    /// Waits until the scheduler is idle, or what is left waits on the clock (nothing changed
    /// for a while with a sleeper on the clock).
    func settle() async {
        var last = (-1, -1)
        var stable = 0
        for _ in 0..<1000 {
            let active = await scheduler.activeCount
            if active == 0 { return }
            let now = (active, transport.deliveries.count)
            stable = now == last ? stable + 1 : 0
            last = now
            if stable >= 10 && clock.sleeperCount > 0 { return }
            try? await Task.sleep(for: .milliseconds(1))
        }
    }
}
