import FoundationEssentials

/// A send's pure work, done before it reaches the engine actor: the content checks that do not
/// depend on the queue, the digests, the message id and (when it may be needed) the body's SHA-256.
///
/// The checks are kept as results, not thrown, so the engine still reports errors in the order AWS
/// does (a missing queue before an invalid body, the size limit before the characters).
struct PreparedSend: Sendable {
    let input: SendMessageInput
    let messageID: String
    /// `messageID`'s bytes, which the engine keeps (parsing the text back cost a pass per message).
    let messageUUID: UUID
    let md5OfBody: String
    let md5OfAttributes: String?
    let md5OfSystemAttributes: String?
    /// SHA-256 of the body, for content-based deduplication (only when a group id is given and no
    /// deduplication id: the only case a FIFO queue may need it).
    let contentDigest: String?
    /// The size that counts against MaximumMessageSize.
    let size: Int
    /// The first problem with the body or the attributes, if any.
    let contentError: EngineError?

    init(_ input: SendMessageInput) {
        self.input = input
        (messageUUID, messageID) = RandomID.uuid()
        md5OfBody = MessageDigest.md5Hex(of: input.body)
        md5OfAttributes = MessageDigest.md5Hex(of: input.attributes)
        md5OfSystemAttributes = MessageDigest.md5Hex(of: input.systemAttributes)
        contentDigest = input.messageGroupID != nil && input.deduplicationID == nil ? MessageDigest.sha256Hex(of: input.body) : nil
        size = MessageValidator.messageSize(body: input.body, attributes: input.attributes)
        do {
            try MessageValidator.validateBody(input.body)
            try MessageValidator.validateAttributes(input.attributes)
            try MessageValidator.validateSystemAttributes(input.systemAttributes)
            contentError = nil
        } catch {
            contentError = error
        }
    }
}
