import Logging
import SQSEngine
import ServiceLifecycle

/// Makes the deliveries SNS accepted, retries failed ones on the injected clock as the
/// subscription's delivery policy says, then hands them to the dead-letter queue (or drops
/// them, as SNS does without one).
///
/// Deliveries to a subscription of a FIFO topic are made one after another in publish order;
/// others run concurrently. Every change is in the ``SNSStore`` first, so deliveries a crash
/// interrupted are made after the restart (``run()`` reloads them).
public actor DeliveryScheduler: Service {
    let store: SNSStore
    let transports: [SubscriptionProtocol: any DeliveryTransport]
    let deadLetters: QueueDelivery?
    let links: SNSLinks
    let signer: MessageSigner
    let clock: any EngineClock
    let logger: Logger
    /// Running deliveries by record id.
    private var tasks: [Int64: Task<Void, Never>] = [:]
    /// The last delivery of each FIFO subscription, which the next one waits for.
    private var chains: [String: (id: Int64, task: Task<Void, Never>)] = [:]
    private var scheduled: Set<Int64> = []
    private var stopping = false

    /// Creates the scheduler.
    /// - Parameters:
    ///   - transports: The transport per protocol (a protocol without one fails its deliveries).
    ///   - deadLetters: Sends exhausted deliveries to `RedrivePolicy.deadLetterTargetArn`.
    public init(
        store: SNSStore, transports: [SubscriptionProtocol: any DeliveryTransport], deadLetters: QueueDelivery?, links: SNSLinks,
        signer: MessageSigner, clock: any EngineClock, logger: Logger
    ) {
        self.store = store
        self.transports = transports
        self.deadLetters = deadLetters
        self.links = links
        self.signer = signer
        self.clock = clock
        self.logger = logger
    }

    /// Reloads the pending deliveries, then waits for shutdown and cancels what is still
    /// running (it stays pending in the store for the next start).
    public func run() async throws {
        await resume()
        try? await gracefulShutdown()
        await stop()
    }

    /// Schedules the deliveries the store still holds.
    public func resume() async {
        do {
            enqueue(try await store.pendingDeliveries())
        } catch {
            logger.error("cannot read the pending SNS deliveries", metadata: ["error": "\(error)"])
        }
    }

    /// Cancels the running deliveries and waits for them.
    public func stop() async {
        stopping = true
        let running = Array(tasks.values)
        for task in running { task.cancel() }
        for task in running { await task.value }
    }

    /// Schedules deliveries the store just accepted.
    public func enqueue(_ records: [DeliveryRecord]) {
        guard !stopping else { return }
        for record in records where !scheduled.contains(record.id) {
            scheduled.insert(record.id)
            let fifo = SNSArn.topic(ofSubscription: record.subscriptionArn)?.hasSuffix(".fifo") == true
            let previous = fifo ? chains[record.subscriptionArn]?.task : nil
            let task = Task {
                await previous?.value
                await self.attempt(record)
                self.finished(record, fifo: fifo)
            }
            tasks[record.id] = task
            if fifo { chains[record.subscriptionArn] = (record.id, task) }
        }
    }

    /// Waits until no delivery is running or waiting for a retry (tests).
    public func waitUntilIdle() async {
        while let task = tasks.values.first {
            await task.value
        }
    }

    /// The number of deliveries running or waiting for a retry.
    public var activeCount: Int { tasks.count }

    private func finished(_ record: DeliveryRecord, fifo: Bool) {
        tasks[record.id] = nil
        scheduled.remove(record.id)
        if fifo, chains[record.subscriptionArn]?.id == record.id { chains[record.subscriptionArn] = nil }
    }

    /// Stores a text message published straight to a phone number.
    func sendSMS(to phoneNumber: String, message: PublishedMessage) async {
        let subscription = Subscription(
            arn: "", topicArn: "", protocol: .sms, endpoint: phoneNumber, owner: "", attributes: [:], pendingConfirmation: false, token: "",
            createdAt: message.timestamp)
        let context = DeliveryContext(
            record: DeliveryRecord(id: 0, messageID: message.id, subscriptionArn: "", attempts: 0, nextAttemptAt: message.timestamp),
            message: message, subscription: subscription, topic: nil,
            envelope: Envelope(message: message, subscription: subscription, links: links, signer: signer, signatureVersion: "1"))
        if case .failed(let reason) = await transports[.sms]?.deliver(context) ?? .failed("no mailbox") {
            logger.warning("cannot store the text message", metadata: ["phoneNumber": "\(phoneNumber)", "error": "\(reason)"])
        }
    }

    /// Attempts a delivery until it succeeds, its policy gives up, or the task is cancelled.
    private nonisolated func attempt(_ initial: DeliveryRecord) async {
        var record = initial
        while !Task.isCancelled {
            if record.nextAttemptAt > clock.now().milliseconds {
                do { try await clock.sleep(until: Timestamp(milliseconds: record.nextAttemptAt)) } catch { return }
            }
            let found: (PublishedMessage, Subscription, Topic?)?
            do {
                found = try await store.attemptContext(record)
            } catch {
                logger.error("cannot read an SNS delivery", metadata: ["error": "\(error)"])
                return
            }
            guard let (message, subscription, topic) = found else {
                try? await store.finish(record, log(record, message: nil, subscription: nil, status: .dropped, detail: "subscription deleted"))
                return
            }
            let envelope = Envelope(
                message: message, subscription: subscription, links: links, signer: signer,
                signatureVersion: topic?.attributes["SignatureVersion"] ?? "1")
            let context = DeliveryContext(record: record, message: message, subscription: subscription, topic: topic, envelope: envelope)
            let result = await transports[subscription.protocol]?.deliver(context) ?? .failed("no transport for \(subscription.protocol.rawValue)")
            switch result {
            case .delivered(let detail):
                record.attempts += 1
                try? await store.finish(record, log(record, message: message, subscription: subscription, status: .delivered, detail: detail))
                return
            case .failed(let reason):
                record.attempts += 1
                let policy = HTTPDeliveryPolicy.forDelivery(to: subscription, of: topic)
                if let delay = policy.delayMilliseconds(beforeRetry: record.attempts) {
                    record.nextAttemptAt = clock.now().milliseconds + delay
                    logger.debug(
                        "SNS delivery failed, will retry",
                        metadata: ["subscription": "\(subscription.arn)", "attempt": "\(record.attempts)", "error": "\(reason)"])
                    try? await store.reschedule(record)
                    continue
                }
                var status = DeliveryLogEntry.Status.failed
                var detail = reason
                if message.kind == .notification, let target = subscription.deadLetterTargetArn, let deadLetters {
                    let extra: [String: MessageAttributeValue] = [
                        "ErrorCode": .string("DeliveryFailed"), "ErrorMessage": .string(String(reason.prefix(1000))),
                    ]
                    switch await deadLetters.send(context, to: target, extra: extra) {
                    case .delivered(let sent):
                        status = .deadLettered
                        detail = reason + " (dead-letter queue: \(sent))"
                    case .failed(let dlqError):
                        detail = reason + " (dead-letter queue failed: \(dlqError))"
                    }
                }
                logger.warning(
                    "SNS delivery failed", metadata: ["subscription": "\(subscription.arn)", "attempts": "\(record.attempts)", "error": "\(detail)"])
                try? await store.finish(record, log(record, message: message, subscription: subscription, status: status, detail: detail))
                return
            }
        }
    }

    private nonisolated func log(
        _ record: DeliveryRecord, message: PublishedMessage?, subscription: Subscription?, status: DeliveryLogEntry.Status, detail: String
    ) -> DeliveryLogEntry {
        DeliveryLogEntry(
            time: clock.now().milliseconds, messageID: record.messageID,
            topicArn: subscription?.topicArn ?? SNSArn.topic(ofSubscription: record.subscriptionArn) ?? "",
            subscriptionArn: record.subscriptionArn, protocol: subscription?.protocol.rawValue ?? "", endpoint: subscription?.endpoint ?? "",
            status: status, attempts: record.attempts, detail: message?.kind == .subscriptionConfirmation ? "confirmation: " + detail : detail)
    }
}
