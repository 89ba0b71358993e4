import Foundation
import SNSFilterPolicy

/// A delivery retry policy: SNS's `healthyRetryPolicy` (immediate, pre-backoff, backoff and
/// post-backoff phases) and, for HTTP, the request's `Content-Type`.
///
/// HTTP and HTTPS subscriptions take theirs from the subscription's `DeliveryPolicy`, else the
/// topic's `DeliveryPolicy` (`http.defaultHealthyRetryPolicy`), else SNS's default: 3 retries
/// 20 seconds apart. Other protocols use SNS's fixed policies (``managed`` for SQS and Lambda,
/// ``customerManaged`` for email and SMS), without their final 20-second / 10-minute phase of
/// 100,000 / 38 retries: sqslite gives up (or dead-letters) after the backoff phase.
public struct HTTPDeliveryPolicy: Sendable, Equatable {
    public var minDelayTarget: Int = 20
    public var maxDelayTarget: Int = 20
    public var numRetries: Int = 3
    public var numNoDelayRetries: Int = 0
    public var numMinDelayRetries: Int = 0
    public var numMaxDelayRetries: Int = 0
    public var backoffFunction: String = "linear"
    /// The `Content-Type` of notifications (`requestPolicy.headerContentType`).
    public var headerContentType: String = "text/plain; charset=UTF-8"

    /// SNS's default HTTP/S policy.
    public static let `default` = HTTPDeliveryPolicy()

    /// AWS-managed endpoints (SQS, Lambda): 3 immediate retries, 2 one second apart, 10 with
    /// exponential backoff from 1 to 20 seconds.
    public static let managed = HTTPDeliveryPolicy(
        minDelayTarget: 1, maxDelayTarget: 20, numRetries: 15, numNoDelayRetries: 3, numMinDelayRetries: 2, numMaxDelayRetries: 0,
        backoffFunction: "exponential")

    /// Customer-managed endpoints (email, SMS): 2 retries 10 seconds apart, 10 with exponential
    /// backoff from 10 seconds to 10 minutes.
    public static let customerManaged = HTTPDeliveryPolicy(
        minDelayTarget: 10, maxDelayTarget: 600, numRetries: 12, numNoDelayRetries: 0, numMinDelayRetries: 2, numMaxDelayRetries: 0,
        backoffFunction: "exponential")

    init(
        minDelayTarget: Int = 20, maxDelayTarget: Int = 20, numRetries: Int = 3, numNoDelayRetries: Int = 0, numMinDelayRetries: Int = 0,
        numMaxDelayRetries: Int = 0, backoffFunction: String = "linear"
    ) {
        self.minDelayTarget = minDelayTarget
        self.maxDelayTarget = maxDelayTarget
        self.numRetries = numRetries
        self.numNoDelayRetries = numNoDelayRetries
        self.numMinDelayRetries = numMinDelayRetries
        self.numMaxDelayRetries = numMaxDelayRetries
        self.backoffFunction = backoffFunction
    }

    /// A subscription's `DeliveryPolicy`: `{"healthyRetryPolicy": {…}, "requestPolicy": {…}}`.
    public init(subscriptionPolicy json: String, prefix: String = "") throws(SNSError) {
        guard case .object? = PolicyJSON.parse(json), let parsed = PolicyJSON.parse(json) else {
            throw .invalidParameter("\(prefix)DeliveryPolicy: failed to parse JSON.")
        }
        try apply(retry: parsed["healthyRetryPolicy"], request: parsed["requestPolicy"], prefix: prefix)
    }

    /// A topic's `DeliveryPolicy`: `{"http": {"defaultHealthyRetryPolicy": {…}, "defaultRequestPolicy": {…}}}`.
    public init(topicPolicy json: String, prefix: String = "") throws(SNSError) {
        guard case .object? = PolicyJSON.parse(json), let parsed = PolicyJSON.parse(json) else {
            throw .invalidParameter("\(prefix)DeliveryPolicy: failed to parse JSON.")
        }
        let http = parsed["http"]
        try apply(retry: http?["defaultHealthyRetryPolicy"], request: http?["defaultRequestPolicy"], prefix: prefix)
    }

    /// Whether a topic policy forbids subscriptions to override it.
    static func disablesOverrides(topicPolicy json: String) -> Bool {
        PolicyJSON.parse(json)?["http"]?["disableSubscriptionOverrides"] == .bool(true)
    }

    private mutating func apply(retry: PolicyJSON?, request: PolicyJSON?, prefix: String) throws(SNSError) {
        if let retry {
            func integer(_ key: String, _ range: ClosedRange<Int>) throws(SNSError) -> Int? {
                guard let value = retry[key] else { return nil }
                guard case .number(let number) = value, number == number.rounded(),
                    (Double(range.lowerBound)...Double(range.upperBound)).contains(number)
                else {
                    throw .invalidParameter("\(prefix)DeliveryPolicy: healthyRetryPolicy.\(key) must be an integer from \(range.lowerBound) to \(range.upperBound)")
                }
                return Int(number)
            }
            minDelayTarget = try integer("minDelayTarget", 1...3600) ?? minDelayTarget
            maxDelayTarget = try integer("maxDelayTarget", 1...3600) ?? maxDelayTarget
            numRetries = try integer("numRetries", 0...100) ?? numRetries
            numNoDelayRetries = try integer("numNoDelayRetries", 0...100) ?? numNoDelayRetries
            numMinDelayRetries = try integer("numMinDelayRetries", 0...100) ?? numMinDelayRetries
            numMaxDelayRetries = try integer("numMaxDelayRetries", 0...100) ?? numMaxDelayRetries
            if case .string(let function)? = retry["backoffFunction"] {
                guard ["linear", "arithmetic", "geometric", "exponential"].contains(function) else {
                    throw .invalidParameter("\(prefix)DeliveryPolicy: healthyRetryPolicy.backoffFunction must be linear, arithmetic, geometric or exponential")
                }
                backoffFunction = function
            }
            guard minDelayTarget <= maxDelayTarget else {
                throw .invalidParameter("\(prefix)DeliveryPolicy: healthyRetryPolicy.minDelayTarget must be less than or equal to maxDelayTarget")
            }
            guard numNoDelayRetries + numMinDelayRetries + numMaxDelayRetries <= numRetries else {
                throw .invalidParameter("\(prefix)DeliveryPolicy: healthyRetryPolicy.numRetries must be at least the sum of the other retry counts")
            }
        }
        if case .string(let type)? = request?["headerContentType"] { headerContentType = type }
    }

    /// The delay before retry number `retry` (1 for the first retry) in milliseconds, or `nil`
    /// when the policy has no more retries.
    public func delayMilliseconds(beforeRetry retry: Int) -> Int64? {
        guard retry >= 1, retry <= numRetries else { return nil }
        if retry <= numNoDelayRetries { return 0 }
        if retry <= numNoDelayRetries + numMinDelayRetries { return Int64(minDelayTarget) * 1000 }
        let backoffCount = numRetries - numNoDelayRetries - numMinDelayRetries - numMaxDelayRetries
        let step = retry - numNoDelayRetries - numMinDelayRetries
        if step > backoffCount { return Int64(maxDelayTarget) * 1000 }
        let low = Double(minDelayTarget)
        let high = Double(maxDelayTarget)
        let fraction = backoffCount <= 1 ? 0 : Double(step - 1) / Double(backoffCount - 1)
        let seconds: Double
        switch backoffFunction {
        case "exponential": seconds = low * pow(high / low, fraction)
        case "geometric": seconds = low + (high - low) * fraction * fraction
        case "arithmetic": seconds = low + (high - low) * fraction * (fraction + 1) / 2
        default: seconds = low + (high - low) * fraction
        }
        return Int64((seconds * 1000).rounded())
    }

    /// The policy as SNS shows it in `EffectiveDeliveryPolicy`.
    var effectiveTopicPolicy: String {
        #"{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":\#(minDelayTarget),"maxDelayTarget":\#(maxDelayTarget),"numRetries":\#(numRetries),"numMaxDelayRetries":\#(numMaxDelayRetries),"numNoDelayRetries":\#(numNoDelayRetries),"numMinDelayRetries":\#(numMinDelayRetries),"backoffFunction":"\#(backoffFunction)"},"disableSubscriptionOverrides":false,"defaultRequestPolicy":{"headerContentType":"\#(headerContentType)"}}}"#
    }

    /// A subscription's `EffectiveDeliveryPolicy`.
    var effectiveSubscriptionPolicy: String {
        #"{"healthyRetryPolicy":{"minDelayTarget":\#(minDelayTarget),"maxDelayTarget":\#(maxDelayTarget),"numRetries":\#(numRetries),"numMaxDelayRetries":\#(numMaxDelayRetries),"numNoDelayRetries":\#(numNoDelayRetries),"numMinDelayRetries":\#(numMinDelayRetries),"backoffFunction":"\#(backoffFunction)"},"requestPolicy":{"headerContentType":"\#(headerContentType)"},"throttlePolicy":{}}"#
    }

    /// The policy for a delivery to `subscription` of `topic`.
    static func forDelivery(to subscription: Subscription, of topic: Topic?) -> HTTPDeliveryPolicy {
        switch subscription.protocol {
        case .sqs, .lambda: return .managed
        case .email, .emailJSON, .sms: return .customerManaged
        case .http, .https:
            var policy = HTTPDeliveryPolicy.default
            if let topicPolicy = topic?.deliveryPolicy, let parsed = try? HTTPDeliveryPolicy(topicPolicy: topicPolicy) {
                policy = parsed
                if disablesOverrides(topicPolicy: topicPolicy) { return policy }
            }
            if let own = subscription.attributes["DeliveryPolicy"], !own.isEmpty, let parsed = try? HTTPDeliveryPolicy(subscriptionPolicy: own) {
                policy = parsed
            }
            return policy
        }
    }
}
