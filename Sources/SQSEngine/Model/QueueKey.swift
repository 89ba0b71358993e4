/// Identifies a queue the way SQS does: by account, region and name.
///
/// Its hash is computed once, when it is made: a request's key is looked up several times (the
/// engine's queue table, then each traffic observer's counters), and hashing three strings each
/// time cost more than the lookups themselves.
public struct QueueKey: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The 12-digit account id that owns the queue.
    public let account: String
    /// The region the queue lives in, e.g. `us-east-1`.
    public let region: String
    /// The queue name (FIFO queue names end in `.fifo`).
    public let name: String
    /// The hash of the three, with the process's seed.
    private let precomputedHash: Int

    /// Creates a queue key.
    public init(account: String, region: String, name: String) {
        self.account = account
        self.region = region
        self.name = name
        var hasher = Hasher()
        hasher.combine(account)
        hasher.combine(region)
        hasher.combine(name)
        self.precomputedHash = hasher.finalize()
    }

    public static func == (lhs: QueueKey, rhs: QueueKey) -> Bool {
        lhs.precomputedHash == rhs.precomputedHash && lhs.name == rhs.name && lhs.account == rhs.account && lhs.region == rhs.region
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(precomputedHash)
    }

    private enum CodingKeys: String, CodingKey {
        case account, region, name
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            account: try container.decode(String.self, forKey: .account), region: try container.decode(String.self, forKey: .region),
            name: try container.decode(String.self, forKey: .name))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(account, forKey: .account)
        try container.encode(region, forKey: .region)
        try container.encode(name, forKey: .name)
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
