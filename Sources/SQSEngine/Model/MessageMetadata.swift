import FoundationEssentials

/// What the engine keeps in memory of a message: what scheduling needs, not its content.
///
/// The body, attributes, digests and sender stay in the store and are read back (with
/// ``QueueStore/fetchMessages(queueID:sequences:)``) only when a receive, a peek or the admin page
/// returns the message; so memory grows with the number of messages, not their size.
public struct MessageMetadata: Sendable, Equatable {
    // Stored compactly (a million of these are resident for a million messages): optional
    // times as a sentinel, the receive count and queue id in 32 bits, so an entry is 104 bytes,
    // not 128. The public properties below keep the natural types.
    private static let noTime = Int64.min

    /// See ``MessageRecord/sequence``.
    public var sequence: Int64
    /// The SQS MessageId, kept as 16 bytes (sqslite's ids are lower-case UUIDs).
    public var messageID: UUID
    /// See ``MessageRecord/sentAt``.
    public var sentAt: Timestamp
    /// See ``MessageRecord/visibleAt``.
    public var visibleAt: Timestamp
    private var firstReceivedMilliseconds: Int64
    private var lastReceivedMilliseconds: Int64
    /// See ``MessageRecord/receiptToken``.
    public var receiptToken: UInt64
    private var storedQueueID: Int32
    private var storedReceiveCount: Int32
    /// See ``MessageRecord/messageGroupID``.
    public var messageGroupID: String?
    /// See ``MessageRecord/deadLetterSourceArn``.
    public var deadLetterSourceArn: String?

    /// The owning queue's ``QueueRecord/id`` (queue ids are row ids, far below 2³¹).
    public var queueID: Int64 {
        get { Int64(storedQueueID) }
        set { storedQueueID = Int32(truncatingIfNeeded: newValue) }
    }

    /// See ``MessageRecord/receiveCount``.
    public var receiveCount: Int {
        get { Int(storedReceiveCount) }
        set { storedReceiveCount = Int32(clamping: newValue) }
    }

    /// See ``MessageRecord/firstReceivedAt``.
    public var firstReceivedAt: Timestamp? {
        get { firstReceivedMilliseconds == Self.noTime ? nil : Timestamp(milliseconds: firstReceivedMilliseconds) }
        set { firstReceivedMilliseconds = newValue?.milliseconds ?? Self.noTime }
    }

    /// See ``MessageRecord/lastReceivedAt``.
    public var lastReceivedAt: Timestamp? {
        get { lastReceivedMilliseconds == Self.noTime ? nil : Timestamp(milliseconds: lastReceivedMilliseconds) }
        set { lastReceivedMilliseconds = newValue?.milliseconds ?? Self.noTime }
    }

    /// Creates metadata.
    public init(
        queueID: Int64, sequence: Int64, messageID: UUID, sentAt: Timestamp, visibleAt: Timestamp, receiveCount: Int = 0,
        firstReceivedAt: Timestamp? = nil, lastReceivedAt: Timestamp? = nil, receiptToken: UInt64 = 0,
        messageGroupID: String? = nil, deadLetterSourceArn: String? = nil
    ) {
        self.storedQueueID = Int32(truncatingIfNeeded: queueID)
        self.sequence = sequence
        self.messageID = messageID
        self.sentAt = sentAt
        self.visibleAt = visibleAt
        self.storedReceiveCount = Int32(clamping: receiveCount)
        self.firstReceivedMilliseconds = firstReceivedAt?.milliseconds ?? Self.noTime
        self.lastReceivedMilliseconds = lastReceivedAt?.milliseconds ?? Self.noTime
        self.receiptToken = receiptToken
        self.messageGroupID = messageGroupID
        self.deadLetterSourceArn = deadLetterSourceArn
    }

    /// The metadata of a full record. A MessageId that is not a UUID (never written by sqslite)
    /// maps to the nil UUID; the store keeps the real one.
    public init(_ record: MessageRecord) {
        self.init(record, messageID: Self.parseID(record.messageID))
    }

    /// The metadata of a full record whose MessageId's bytes are known (a message being sent).
    init(_ record: MessageRecord, messageID: UUID) {
        self.init(
            queueID: record.queueID, sequence: record.sequence, messageID: messageID,
            sentAt: record.sentAt, visibleAt: record.visibleAt, receiveCount: record.receiveCount,
            firstReceivedAt: record.firstReceivedAt, lastReceivedAt: record.lastReceivedAt, receiptToken: record.receiptToken,
            messageGroupID: record.messageGroupID, deadLetterSourceArn: record.deadLetterSourceArn)
    }

    /// The MessageId as SQS writes it (lower case).
    public var messageIDString: String { messageID.uuidString.lowercased() }

    /// Parses a MessageId (`8-4-4-4-12` hex digits, either case) without Foundation's scanner,
    /// which dominated loading a million messages; anything else is the nil UUID.
    public static func parseID(_ text: String) -> UUID {
        var text = text
        return text.withUTF8 { parseID(utf8: $0) }
    }

    /// ``parseID(_:)`` over UTF-8 bytes (a store column read in place, without making a String).
    public static func parseID(utf8 characters: UnsafeBufferPointer<UInt8>) -> UUID {
        var bytes: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        guard characters.count == 36 else { return nilID }
        let parsed = withUnsafeMutableBytes(of: &bytes) { output -> Bool in
            var byte = 0
            var index = 0
            var invalid: UInt8 = 0
            while index < 36 {
                if index == 8 || index == 13 || index == 18 || index == 23 {
                    invalid |= characters[index] == UInt8(ascii: "-") ? 0 : 1
                    index += 1
                    continue
                }
                let high = hexValue(characters[index])
                let low = hexValue(characters[index &+ 1])
                invalid |= high.invalid | low.invalid
                output[byte] = high.value << 4 | low.value
                byte &+= 1
                index &+= 2
            }
            return invalid == 0
        }
        return parsed ? UUID(uuid: bytes) : nilID
    }

    /// A hex digit's value, and `1` in `invalid` for anything that is not one. Without branches:
    /// random ids mix digits and letters, and a branch per character mispredicted often enough
    /// to be a tenth of loading a million messages.
    @inline(__always)
    private static func hexValue(_ character: UInt8) -> (value: UInt8, invalid: UInt8) {
        let isDigit: UInt8 = character &- UInt8(ascii: "0") < 10 ? 1 : 0
        let isLetter: UInt8 = (character | 0x20) &- UInt8(ascii: "a") < 6 ? 1 : 0
        return ((character & 0x0F) &+ 9 &* (character >> 6), (isDigit | isLetter) ^ 1)
    }

    public static let nilID = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
}

extension MessageRecord {
    /// This record with the delivery state of `metadata` (the engine's, which is authoritative).
    func with(_ metadata: MessageMetadata) -> MessageRecord {
        var record = self
        record.visibleAt = metadata.visibleAt
        record.receiveCount = metadata.receiveCount
        record.firstReceivedAt = metadata.firstReceivedAt
        record.lastReceivedAt = metadata.lastReceivedAt
        record.receiptToken = metadata.receiptToken
        return record
    }
}
