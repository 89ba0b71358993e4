/// Amazon SQS fair queues (July 2025): on a standard queue, a message's `MessageGroupId` names its
/// tenant, and a tenant that holds a disproportionate share of the in-flight messages is a noisy
/// neighbour whose messages wait while quiet tenants' messages are available.
///
/// AWS documents the detection rule ("How Amazon SQS fair queues work"): a tenant is noisy when it
/// holds more than 10% of the queue's in-flight messages and at least 30 of its own are in flight,
/// or when it takes more than 10% of recent consumer processing time. sqslite applies the first
/// rule exactly and continuously (the tenant is quiet again as soon as it no longer meets it); it
/// does not measure processing time. Messages without a group are each their own tenant, so never
/// noisy. Deterministic under the engine's clock: only counts decide.
enum FairQueue {
    /// In-flight messages a tenant must hold before it can be noisy.
    static let minimumInFlight = 30
    /// The share of the queue's in-flight messages above which it is noisy, in percent.
    static let sharePercent = 10
    /// How many visible messages a receive looks through for a quiet tenant's message.
    static let lookahead = 1_000

    /// Whether a tenant with `inFlight` messages in flight, of `queueInFlight` in the queue, is noisy.
    static func isNoisy(inFlight: Int, queueInFlight: Int) -> Bool {
        inFlight >= minimumInFlight && inFlight * 100 > queueInFlight * sharePercent
    }
}
