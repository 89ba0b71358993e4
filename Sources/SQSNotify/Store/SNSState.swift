import SNSFilterPolicy

/// The topics and subscriptions in memory (the database holds the same), with what publishing
/// needs at hand: parsed filter policies, FIFO deduplication ids, the last sequence number.
///
/// ## Sendable
/// Used only on ``SNSStore``'s serial queue; the `@unchecked Sendable` lets the queue's
/// closures capture it, as ``SNSDatabase``'s does.
final class SNSState: @unchecked Sendable {
    var topics: [String: Topic] = [:]
    var subscriptions: [String: Subscription] = [:]
    /// Parsed filter policies by subscription ARN.
    var filters: [String: FilterPolicy] = [:]
    /// FIFO topics' recent deduplication ids: `<topic ARN> <id>` → the first message's id, sequence number and expiry.
    var deduplication: [String: (messageID: String, sequenceNumber: String, expiresAt: Int64)] = [:]
    /// Deleted subscriptions per topic (the `SubscriptionsDeleted` attribute).
    var deletedSubscriptions: [String: Int] = [:]
    var lastSequence: UInt64 = 0

    /// The subscriptions of a topic, oldest first.
    func subscriptions(of topicArn: String) -> [Subscription] {
        subscriptions.values.filter { $0.topicArn == topicArn }.sorted { ($0.createdAt, $0.arn) < ($1.createdAt, $1.arn) }
    }

    /// A new FIFO sequence number: 20 digits, increasing (from the clock, so also across restarts).
    func nextSequenceNumber(now: Int64) -> String {
        lastSequence = max(lastSequence + 1, UInt64(max(now, 0)) * 1_000_000)
        let digits = String(lastSequence)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }

    /// Parses and remembers a subscription's filter policy.
    func refreshFilter(_ subscription: Subscription) {
        guard let json = subscription.attributes["FilterPolicy"], !json.isEmpty,
            let scope = FilterPolicy.Scope(rawValue: subscription.filterPolicyScope),
            let policy = try? FilterPolicy(json: json, scope: scope)
        else {
            filters[subscription.arn] = nil
            return
        }
        filters[subscription.arn] = policy
    }
}
