import FoundationEssentials
import SQSEngine

/// The SELECTs that read messages back, and the decoding of their rows: one place for the column
/// lists that ``StoreWriter`` (the whole snapshot) and ``StoreReader`` (messages on demand) share.
enum MessageRows {
    /// A full message: delivery state from `messages` (alias `m`), content from `message_bodies` (`b`).
    static let fullColumns = """
        m.queue_id, m.sequence, b.message_id, b.body, b.attributes, b.system_attributes, b.md5_of_body,
        b.md5_of_attributes, b.md5_of_system_attributes, b.sender_id, m.sent_at, m.visible_at, m.receive_count,
        m.first_received_at, m.last_received_at, m.receipt_token, m.message_group_id, m.deduplication_id,
        m.sequence_number, m.dead_letter_source_arn
        """

    /// What the engine keeps of a message (no content).
    static let metadataColumns = """
        m.queue_id, m.sequence, b.message_id, m.sent_at, m.visible_at, m.receive_count, m.first_received_at,
        m.last_received_at, m.receipt_token, m.message_group_id, m.dead_letter_source_arn
        """

    /// The join both read from.
    static let source = "messages AS m JOIN message_bodies AS b ON b.id = m.body_id"

    /// Decodes a row of ``fullColumns``.
    static func full(_ row: SQLiteStatement) throws(SQLiteStoreError) -> MessageRecord {
        let sequence = row.int64(1)
        return MessageRecord(
            queueID: row.int64(0), sequence: sequence, messageID: row.string(2), body: row.string(3),
            attributes: try row.withBlob(4) { bytes throws(SQLiteStoreError) in
                try AttributeCoding.decodeAttributes(bytes, column: "message_bodies.attributes of message \(sequence)")
            },
            systemAttributes: try row.withBlob(5) { bytes throws(SQLiteStoreError) in
                try AttributeCoding.decodeAttributes(bytes, column: "message_bodies.system_attributes of message \(sequence)")
            },
            md5OfBody: row.string(6), md5OfAttributes: row.optionalString(7), md5OfSystemAttributes: row.optionalString(8),
            senderID: row.string(9), sentAt: Timestamp(milliseconds: row.int64(10)),
            visibleAt: Timestamp(milliseconds: row.int64(11)), receiveCount: Int(row.int64(12)),
            firstReceivedAt: row.optionalInt64(13).map(Timestamp.init(milliseconds:)),
            lastReceivedAt: row.optionalInt64(14).map(Timestamp.init(milliseconds:)),
            receiptToken: UInt64(bitPattern: row.int64(15)), messageGroupID: row.optionalString(16),
            deduplicationID: row.optionalString(17), sequenceNumber: row.optionalString(18),
            deadLetterSourceArn: row.optionalString(19))
    }

    /// Decodes a row of ``metadataColumns``.
    static func metadata(_ row: SQLiteStatement) -> MessageMetadata {
        MessageMetadata(
            queueID: row.int64(0), sequence: row.int64(1), messageID: row.withText(2) { MessageMetadata.parseID(utf8: $0) },
            sentAt: Timestamp(milliseconds: row.int64(3)), visibleAt: Timestamp(milliseconds: row.int64(4)),
            receiveCount: Int(row.int64(5)), firstReceivedAt: row.optionalInt64(6).map(Timestamp.init(milliseconds:)),
            lastReceivedAt: row.optionalInt64(7).map(Timestamp.init(milliseconds:)),
            receiptToken: UInt64(bitPattern: row.int64(8)), messageGroupID: row.optionalString(9),
            deadLetterSourceArn: row.optionalString(10))
    }
}
