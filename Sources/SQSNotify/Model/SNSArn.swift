/// SNS ARNs: `arn:aws:sns:<region>:<account>:<topic>` and a subscription's
/// `arn:aws:sns:<region>:<account>:<topic>:<uuid>`.
public enum SNSArn {
    /// A topic's ARN.
    public static func topic(region: String, account: String, name: String) -> String {
        "arn:aws:sns:\(region):\(account):\(name)"
    }

    /// The parts of an ARN (`arn:partition:service:region:account:resource…`), or `nil` when it
    /// has fewer than 6 elements.
    static func parts(_ arn: String) -> [Substring]? {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 6, parts[0] == "arn" else { return nil }
        return parts
    }

    /// The topic ARN a subscription ARN belongs to.
    static func topic(ofSubscription arn: String) -> String? {
        guard let parts = parts(arn), parts.count == 7 else { return nil }
        return parts[0..<6].joined(separator: ":")
    }

    /// Validates a `TopicArn`-like parameter: 6 elements, or AWS's reason.
    static func validate(_ arn: String, parameter: String) throws(SNSError) {
        let count = arn.split(separator: ":", omittingEmptySubsequences: false).count
        guard arn.hasPrefix("arn:"), count >= 6 else {
            throw .invalidParameter("\(parameter) Reason: An ARN must have at least 6 elements, not \(count)")
        }
    }
}
