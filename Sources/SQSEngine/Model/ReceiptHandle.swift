import FoundationEssentials

/// The token a receive hands out and delete/visibility calls hand back.
///
/// It names the queue (by its never-reused id), the message and the particular receive, so a handle
/// from an older receive can be told apart from the latest one. It is opaque to clients: base64 of a
/// versioned binary layout with a check byte, so random strings are rejected as invalid.
public struct ReceiptHandle: Sendable, Hashable {
    /// The queue's ``QueueRecord/id``.
    public var queueID: Int64
    /// The message's ``MessageRecord/sequence``.
    public var sequence: Int64
    /// The receive's ``MessageRecord/receiptToken``.
    public var token: UInt64

    /// Creates a handle.
    public init(queueID: Int64, sequence: Int64, token: UInt64) {
        self.queueID = queueID
        self.sequence = sequence
        self.token = token
    }

    private static let version: UInt8 = 1

    /// The wire form.
    public var encoded: String {
        var bytes: [UInt8] = [Self.version]
        bytes.reserveCapacity(26)
        Self.append(UInt64(bitPattern: queueID), to: &bytes)
        Self.append(UInt64(bitPattern: sequence), to: &bytes)
        Self.append(token, to: &bytes)
        bytes.append(Self.check(bytes))
        return Data(bytes).base64EncodedString()
    }

    /// Parses the wire form; `nil` for anything this server did not issue.
    public init?(encoded: String) {
        guard encoded.utf8.count == 36, let data = Data(base64Encoded: encoded) else { return nil }
        let bytes = [UInt8](data)
        guard bytes.count == 26, bytes[0] == Self.version, bytes[25] == Self.check(bytes[0..<25]) else { return nil }
        queueID = Int64(bitPattern: Self.read(bytes, at: 1))
        sequence = Int64(bitPattern: Self.read(bytes, at: 9))
        token = Self.read(bytes, at: 17)
    }

    private static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        for shift in stride(from: 56, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }

    private static func read(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in offset..<(offset + 8) {
            value = value << 8 | UInt64(bytes[index])
        }
        return value
    }

    private static func check<C: Collection>(_ bytes: C) -> UInt8 where C.Element == UInt8 {
        var sum: UInt8 = 0x5a
        for byte in bytes {
            sum = (sum &* 31) &+ byte
        }
        return sum
    }
}
