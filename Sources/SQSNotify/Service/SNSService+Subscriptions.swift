import FoundationEssentials
import SQSEngine
import SQSProtocol

extension SNSService {
    /// Subscribe: validates the endpoint for its protocol, returns the existing subscription for
    /// the same endpoint, and sends HTTP and email endpoints their confirmation.
    public func subscribe(
        topicArn: String, protocolName: String?, endpoint: String?, attributes: [String: String], returnSubscriptionArn: Bool,
        context: RequestContext
    ) async throws(SNSError) -> String {
        try SNSArn.validate(topicArn, parameter: "TopicArn")
        guard let protocolName, !protocolName.isEmpty else { throw .invalidParameter("Protocol Reason: no value for required parameter") }
        guard let subscriptionProtocol = SubscriptionProtocol(rawValue: protocolName.lowercased()) else {
            throw .invalidParameter("Amazon SNS does not support this protocol string: \(protocolName)")
        }
        let endpoint = endpoint ?? ""
        try Self.validateEndpoint(endpoint, for: subscriptionProtocol, topicArn: topicArn)
        var validated: [String: String] = [:]
        let scope = attributes["FilterPolicyScope"] ?? "MessageAttributes"
        for name in attributes.keys.sorted() {
            validated[name] = try SNSAttributeRules.validateSubscriptionAttribute(
                name, attributes[name]!, subscriptionProtocol: subscriptionProtocol, topicArn: topicArn, endpoint: endpoint, scope: scope,
                prefix: "Attributes Reason: ")
        }
        let now = clock.now().milliseconds
        let owner = context.account
        let requested = validated
        let (subscription, isNew) = try await store.perform { state, database in
            guard state.topics[topicArn] != nil else { throw SNSError.topicNotFound }
            if let existing = state.subscriptions(of: topicArn).first(where: {
                $0.protocol == subscriptionProtocol && $0.endpoint == endpoint
            }) {
                for (name, value) in requested where existing.attributes[name] != value {
                    throw SNSError.invalidParameter("Attributes Reason: Subscription already exists with different attributes")
                }
                return (existing, false)
            }
            let subscription = Subscription(
                arn: "\(topicArn):\(UUID().uuidString.lowercased())", topicArn: topicArn, protocol: subscriptionProtocol, endpoint: endpoint,
                owner: owner, attributes: requested, pendingConfirmation: subscriptionProtocol.needsConfirmation,
                token: Self.newToken(), createdAt: now)
            try database.save(subscription)
            state.subscriptions[subscription.arn] = subscription
            state.refreshFilter(subscription)
            return (subscription, true)
        }
        if isNew && subscription.pendingConfirmation {
            try await sendConfirmation(subscription)
        }
        return subscription.pendingConfirmation && !returnSubscriptionArn ? "pending confirmation" : subscription.arn
    }

    /// Queues the SubscriptionConfirmation message for a pending subscription.
    func sendConfirmation(_ subscription: Subscription) async throws(SNSError) {
        let message = PublishedMessage(
            kind: .subscriptionConfirmation, id: UUID().uuidString.lowercased(), topicArn: subscription.topicArn, subject: nil,
            message:
                "You have chosen to subscribe to the topic \(subscription.topicArn).\nTo confirm the subscription, visit the SubscribeURL included in this message.",
            perProtocol: nil, attributes: [:], messageGroupID: nil, deduplicationID: nil, sequenceNumber: nil,
            timestamp: clock.now().milliseconds, token: subscription.token)
        let now = message.timestamp
        let records = try await store.perform { _, database in
            try database.insert(message, to: [subscription.arn], at: now)
        }
        await scheduler.enqueue(records)
    }

    /// ConfirmSubscription (also the GET of a SubscribeURL): idempotent.
    public func confirmSubscription(topicArn: String, token: String?) async throws(SNSError) -> String {
        try SNSArn.validate(topicArn, parameter: "TopicArn")
        guard let token, !token.isEmpty else { throw .invalidParameter("Token") }
        return try await store.perform { state, database in
            guard state.topics[topicArn] != nil else { throw SNSError.topicNotFound }
            guard var subscription = state.subscriptions(of: topicArn).first(where: { $0.token == token }) else {
                throw SNSError.invalidParameter("Token")
            }
            if subscription.pendingConfirmation {
                subscription.pendingConfirmation = false
                try database.save(subscription)
                state.subscriptions[subscription.arn] = subscription
            }
            return subscription.arn
        }
    }

    /// Unsubscribe: idempotent for an unknown subscription of a valid ARN.
    public func unsubscribe(arn: String) async throws(SNSError) {
        guard !arn.isEmpty else { throw .invalidParameter("SubscriptionArn Reason: no value for required parameter") }
        try SNSArn.validate(arn, parameter: "SubscriptionArn")
        guard arn.split(separator: ":", omittingEmptySubsequences: false).count == 7 else { throw .invalidParameter("SubscriptionId") }
        try await store.perform { state, database in
            guard let subscription = state.subscriptions[arn] else { return }
            let deleted = (state.deletedSubscriptions[subscription.topicArn] ?? 0) + 1
            try database.deleteSubscription(arn, topicArn: subscription.topicArn, deletedCount: deleted)
            state.subscriptions[arn] = nil
            state.filters[arn] = nil
            state.deletedSubscriptions[subscription.topicArn] = deleted
        }
    }

    /// ListSubscriptions: the caller's subscriptions in its region, 100 per page.
    public func listSubscriptions(nextToken: String?, context: RequestContext) async throws(SNSError) -> ([Subscription], String?) {
        let prefix = "arn:aws:sns:\(context.region):\(context.account):"
        let subscriptions = try await store.perform { state, _ in
            state.subscriptions.values.filter { $0.arn.hasPrefix(prefix) }.sorted { $0.arn < $1.arn }
        }
        return try Self.page(subscriptions, nextToken: nextToken, key: \.arn)
    }

    /// ListSubscriptionsByTopic, 100 per page.
    public func listSubscriptions(topicArn: String, nextToken: String?) async throws(SNSError) -> ([Subscription], String?) {
        try SNSArn.validate(topicArn, parameter: "TopicArn")
        let subscriptions = try await store.perform { state, _ in
            guard state.topics[topicArn] != nil else { throw SNSError.topicNotFound }
            return state.subscriptions(of: topicArn).sorted { $0.arn < $1.arn }
        }
        return try Self.page(subscriptions, nextToken: nextToken, key: \.arn)
    }

    /// GetSubscriptionAttributes.
    public func subscriptionAttributes(arn: String) async throws(SNSError) -> [String: String] {
        try SNSArn.validate(arn, parameter: "SubscriptionArn")
        return try await store.perform { state, _ in
            guard let subscription = state.subscriptions[arn] else { throw SNSError.subscriptionNotFound }
            var result = subscription.attributes
            result["SubscriptionArn"] = subscription.arn
            result["TopicArn"] = subscription.topicArn
            result["Owner"] = subscription.owner
            result["Protocol"] = subscription.protocol.rawValue
            result["Endpoint"] = subscription.endpoint
            result["PendingConfirmation"] = String(subscription.pendingConfirmation)
            result["ConfirmationWasAuthenticated"] = String(!subscription.pendingConfirmation)
            result["RawMessageDelivery"] = subscription.attributes["RawMessageDelivery"] ?? "false"
            result["SubscriptionPrincipal"] = "arn:aws:iam::\(subscription.owner):user/sqslite"
            if subscription.attributes["FilterPolicy"].map({ !$0.isEmpty }) == true {
                result["FilterPolicyScope"] = subscription.filterPolicyScope
            } else {
                result["FilterPolicy"] = nil
                result["FilterPolicyScope"] = nil
            }
            if subscription.protocol.isHTTP {
                result["EffectiveDeliveryPolicy"] =
                    HTTPDeliveryPolicy.forDelivery(to: subscription, of: state.topics[subscription.topicArn]).effectiveSubscriptionPolicy
            }
            return result
        }
    }

    /// SetSubscriptionAttributes.
    public func setSubscriptionAttribute(arn: String, name: String, value: String) async throws(SNSError) {
        try SNSArn.validate(arn, parameter: "SubscriptionArn")
        try await store.perform { state, database in
            guard var subscription = state.subscriptions[arn] else { throw SNSError.subscriptionNotFound }
            let scope = name == "FilterPolicyScope" ? value : subscription.filterPolicyScope
            let stored = try SNSAttributeRules.validateSubscriptionAttribute(
                name, value, subscriptionProtocol: subscription.protocol, topicArn: subscription.topicArn, endpoint: subscription.endpoint,
                scope: scope, prefix: "")
            // A new scope must still accept the policy already set.
            if name == "FilterPolicyScope", let policy = subscription.attributes["FilterPolicy"], !policy.isEmpty {
                _ = try SNSAttributeRules.validateSubscriptionAttribute(
                    "FilterPolicy", policy, subscriptionProtocol: subscription.protocol, topicArn: subscription.topicArn,
                    endpoint: subscription.endpoint, scope: value, prefix: "")
            }
            subscription.attributes[name] = stored.isEmpty && name != "RawMessageDelivery" ? nil : stored
            try database.save(subscription)
            state.subscriptions[arn] = subscription
            state.refreshFilter(subscription)
        }
    }

    // MARK: - Helpers

    /// The endpoint checks of Subscribe, per protocol.
    static func validateEndpoint(_ endpoint: String, for subscriptionProtocol: SubscriptionProtocol, topicArn: String) throws(SNSError) {
        switch subscriptionProtocol {
        case .http, .https:
            guard endpoint.lowercased().hasPrefix("\(subscriptionProtocol.rawValue)://"), endpoint.count > subscriptionProtocol.rawValue.count + 3 else {
                throw .invalidParameter("Endpoint must match the specified protocol")
            }
        case .email, .emailJSON:
            let parts = endpoint.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !endpoint.contains(where: \.isWhitespace) else {
                throw .invalidParameter("Email address")
            }
        case .sms:
            guard isPhoneNumber(endpoint) else { throw SNSError(.invalidParameter, "Invalid SMS endpoint: \(endpoint)") }
        case .sqs:
            guard let parts = SNSArn.parts(endpoint), parts[2] == "sqs", parts.count == 6 else { throw .invalidParameter("SQS endpoint ARN") }
            if endpoint.hasSuffix(".fifo") && !topicArn.hasSuffix(".fifo") {
                throw .invalidParameter("Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics")
            }
        case .lambda:
            guard let parts = SNSArn.parts(endpoint), parts[2] == "lambda", parts.count >= 7, parts[5] == "function" else {
                throw .invalidParameter("Lambda endpoint ARN")
            }
        }
    }

    /// E.164: `+` then up to 15 digits, the first not 0.
    static func isPhoneNumber(_ text: String) -> Bool {
        var digits = Substring(text)
        if digits.first == "+" { digits = digits.dropFirst() }
        return (2...15).contains(digits.count) && digits.first != "0" && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// A confirmation token: 64 hex digits of randomness (SNS's are longer still).
    static func newToken() -> String {
        (UUID().uuidString + UUID().uuidString).lowercased().filter { $0 != "-" }
    }
}
