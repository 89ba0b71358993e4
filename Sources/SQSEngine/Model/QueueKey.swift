/// Identifies a queue the way SQS does: by account, region and name.
public struct QueueKey: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The 12-digit account id that owns the queue.
    public var account: String
    /// The region the queue lives in, e.g. `us-east-1`.
    public var region: String
    /// The queue name (FIFO queue names end in `.fifo`).
    public var name: String

    /// Creates a queue key.
    public init(account: String, region: String, name: String) {
        self.account = account
        self.region = region
        self.name = name
    }

    /// The queue's ARN: `arn:aws:sqs:<region>:<account>:<name>`.
    public var arn: String { "arn:aws:sqs:\(region):\(account):\(name)" }

    /// Whether the name marks a FIFO queue.
    public var isFIFO: Bool { name.hasSuffix(".fifo") }

    /// Parses `arn:aws:sqs:<region>:<account>:<name>`; `nil` if the string is not an SQS queue ARN.
    public init?(arn: String) {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[2] == "sqs", !parts[3].isEmpty, !parts[4].isEmpty, !parts[5].isEmpty
        else { return nil }
        self.init(account: String(parts[4]), region: String(parts[3]), name: String(parts[5]))
    }

    public var description: String { "\(account)/\(region)/\(name)" }
}
