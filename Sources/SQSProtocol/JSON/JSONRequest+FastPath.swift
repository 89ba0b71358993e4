import FoundationEssentials

// The hot actions' bodies read with `JSONScanner` instead of Codable.
//
// Each reader takes exactly the members its Codable shape declares (unknown members are skipped,
// as Codable skips them) and gives up, returning `nil`, on anything unusual: a duplicate member,
// a value of another type, a number that is not a plain integer. `JSONRequest.decode(_:)` then
// decodes the body with Codable, so the result, or the error, is the same either way; the tests
// hold the two paths to the same answers.

extension JSONRequest {
    /// The body as `action`'s request, when `action` is one of the hot ones and the body reads
    /// cleanly; `nil` otherwise.
    func fastDecode(_ action: SQSAction) -> SQSRequest? {
        body.withUnsafeBufferPointer { buffer -> SQSRequest? in
            var scanner = JSONScanner(buffer)
            let request: SQSRequest?
            switch action {
            case .sendMessage: request = Self.sendMessage(&scanner).map { .sendMessage($0) }
            case .sendMessageBatch: request = Self.sendMessageBatch(&scanner).map { .sendMessageBatch($0) }
            case .receiveMessage: request = Self.receiveMessage(&scanner).map { .receiveMessage($0) }
            case .deleteMessage: request = Self.receiptHandleEntry(&scanner).map { .deleteMessage($0) }
            case .deleteMessageBatch: request = Self.receiptHandleBatch(&scanner).map { .deleteMessageBatch($0) }
            case .changeMessageVisibility: request = Self.receiptHandleEntry(&scanner).map { .changeMessageVisibility($0) }
            case .changeMessageVisibilityBatch: request = Self.receiptHandleBatch(&scanner).map { .changeMessageVisibilityBatch($0) }
            default: return nil
            }
            return scanner.atEnd() ? request : nil
        }
    }

    // MARK: - Shapes

    private static func sendMessage(_ scanner: inout JSONScanner) -> SendMessageRequest? {
        var request = SendMessageRequest(queueUrl: nil, entry: SendMessageEntry())
        var seen = Members()
        let ok = scanner.object { scanner, key in
            if key.equals("QueueUrl") {
                return seen.first(0) && scanner.read(&request.queueUrl)
            }
            return sendEntryMember(key, &scanner, &request.entry, &seen) ?? scanner.skipValue()
        }
        return ok ? request : nil
    }

    private static func sendMessageBatch(_ scanner: inout JSONScanner) -> SendMessageBatchRequest? {
        var request = SendMessageBatchRequest()
        var seen = Members()
        let ok = scanner.object { scanner, key in
            if key.equals("QueueUrl") { return seen.first(0) && scanner.read(&request.queueUrl) }
            if key.equals("Entries") { return seen.first(1) && entries(&scanner, into: &request.entries, sendEntry) }
            return scanner.skipValue()
        }
        return ok ? request : nil
    }

    /// An `Entries` member: `null`, or an array of objects each read by `entry`.
    private static func entries<Entry>(
        _ scanner: inout JSONScanner, into value: inout [Entry]?, _ entry: (inout JSONScanner) -> Entry?
    ) -> Bool {
        if scanner.null() {
            value = nil
            return true
        }
        var entries: [Entry] = []
        entries.reserveCapacity(10)
        let read = scanner.array { scanner in
            guard let next = entry(&scanner) else { return false }
            entries.append(next)
            return true
        }
        value = entries
        return read
    }

    private static func sendEntry(_ scanner: inout JSONScanner) -> SendMessageEntry? {
        var entry = SendMessageEntry()
        var seen = Members()
        let ok = scanner.object { scanner, key in
            sendEntryMember(key, &scanner, &entry, &seen) ?? scanner.skipValue()
        }
        return ok ? entry : nil
    }

    /// One of an entry's members (bits 1–7 of `seen`); `nil` when `key` is not one.
    private static func sendEntryMember(
        _ key: UnsafeBufferPointer<UInt8>, _ scanner: inout JSONScanner, _ entry: inout SendMessageEntry, _ seen: inout Members
    ) -> Bool? {
        if key.equals("MessageBody") { return seen.first(1) && scanner.read(&entry.messageBody) }
        if key.equals("Id") { return seen.first(2) && scanner.read(&entry.id) }
        if key.equals("DelaySeconds") { return seen.first(3) && scanner.read(&entry.delaySeconds) }
        if key.equals("MessageAttributes") { return seen.first(4) && attributes(&scanner, into: &entry.messageAttributes) }
        if key.equals("MessageSystemAttributes") {
            return seen.first(5) && attributes(&scanner, into: &entry.messageSystemAttributes)
        }
        if key.equals("MessageDeduplicationId") { return seen.first(6) && scanner.read(&entry.messageDeduplicationId) }
        if key.equals("MessageGroupId") { return seen.first(7) && scanner.read(&entry.messageGroupId) }
        return nil
    }

    private static func attributes(_ scanner: inout JSONScanner, into map: inout [String: WireMessageAttribute]?) -> Bool {
        if scanner.null() {
            map = nil
            return true
        }
        var values: [String: WireMessageAttribute] = [:]
        let ok = scanner.object { scanner, key in
            guard let name = String(validating: key, as: UTF8.self), values[name] == nil,
                let attribute = attribute(&scanner)
            else { return false }
            values[name] = attribute
            return true
        }
        map = values
        return ok
    }

    /// An attribute value; a `null` one is left to Codable (which refuses it).
    private static func attribute(_ scanner: inout JSONScanner) -> WireMessageAttribute? {
        var attribute = WireMessageAttribute()
        var seen = Members()
        let ok = scanner.object { scanner, key in
            if key.equals("DataType") { return seen.first(0) && scanner.read(&attribute.dataType) }
            if key.equals("StringValue") { return seen.first(1) && scanner.read(&attribute.stringValue) }
            if key.equals("BinaryValue") {
                guard seen.first(2), let text = scanner.optionalString() else { return false }
                guard let text else { return true }
                attribute.binaryValue = Data(base64Encoded: text)
                return attribute.binaryValue != nil
            }
            if key.equals("StringListValues") { return seen.first(3) && scanner.read(&attribute.stringListValues) }
            if key.equals("BinaryListValues") {
                guard seen.first(4) else { return false }
                var texts: [String]?
                guard scanner.read(&texts) else { return false }
                guard let texts else { return true }
                var values: [Data] = []
                for text in texts {
                    guard let value = Data(base64Encoded: text) else { return false }
                    values.append(value)
                }
                attribute.binaryListValues = values
                return true
            }
            return scanner.skipValue()
        }
        return ok ? attribute : nil
    }

    private static func receiveMessage(_ scanner: inout JSONScanner) -> ReceiveMessageRequest? {
        var request = ReceiveMessageRequest()
        var seen = Members()
        let ok = scanner.object { scanner, key in
            if key.equals("QueueUrl") { return seen.first(0) && scanner.read(&request.queueUrl) }
            if key.equals("MaxNumberOfMessages") { return seen.first(1) && scanner.read(&request.maxNumberOfMessages) }
            if key.equals("WaitTimeSeconds") { return seen.first(2) && scanner.read(&request.waitTimeSeconds) }
            if key.equals("VisibilityTimeout") { return seen.first(3) && scanner.read(&request.visibilityTimeout) }
            if key.equals("AttributeNames") { return seen.first(4) && scanner.read(&request.attributeNames) }
            if key.equals("MessageSystemAttributeNames") {
                return seen.first(5) && scanner.read(&request.messageSystemAttributeNames)
            }
            if key.equals("MessageAttributeNames") { return seen.first(6) && scanner.read(&request.messageAttributeNames) }
            if key.equals("ReceiveRequestAttemptId") { return seen.first(7) && scanner.read(&request.receiveRequestAttemptId) }
            return scanner.skipValue()
        }
        return ok ? request : nil
    }

    private static func receiptHandleEntry(_ scanner: inout JSONScanner) -> ReceiptHandleEntry? {
        var entry = ReceiptHandleEntry()
        var seen = Members()
        let ok = scanner.object { scanner, key in
            receiptHandleMember(key, &scanner, &entry, &seen) ?? scanner.skipValue()
        }
        return ok ? entry : nil
    }

    private static func receiptHandleMember(
        _ key: UnsafeBufferPointer<UInt8>, _ scanner: inout JSONScanner, _ entry: inout ReceiptHandleEntry, _ seen: inout Members
    ) -> Bool? {
        if key.equals("ReceiptHandle") { return seen.first(0) && scanner.read(&entry.receiptHandle) }
        if key.equals("QueueUrl") { return seen.first(1) && scanner.read(&entry.queueUrl) }
        if key.equals("Id") { return seen.first(2) && scanner.read(&entry.id) }
        if key.equals("VisibilityTimeout") { return seen.first(3) && scanner.read(&entry.visibilityTimeout) }
        return nil
    }

    private static func receiptHandleBatch(_ scanner: inout JSONScanner) -> ReceiptHandleBatchRequest? {
        var request = ReceiptHandleBatchRequest()
        var seen = Members()
        let ok = scanner.object { scanner, key in
            if key.equals("QueueUrl") { return seen.first(0) && scanner.read(&request.queueUrl) }
            if key.equals("Entries") { return seen.first(1) && entries(&scanner, into: &request.entries, receiptHandleEntry) }
            return scanner.skipValue()
        }
        return ok ? request : nil
    }
}

/// Which members of one object were read already: a second one is left to Codable.
private struct Members {
    private var bits: UInt32 = 0

    /// Marks member `index` as read; `false` when it was already.
    mutating func first(_ index: Int) -> Bool {
        let bit: UInt32 = 1 << UInt32(index)
        guard bits & bit == 0 else { return false }
        bits |= bit
        return true
    }
}

extension JSONScanner {
    /// Reads an optional string member into `value`.
    fileprivate mutating func read(_ value: inout String?) -> Bool {
        guard let read = optionalString() else { return false }
        value = read
        return true
    }

    /// Reads an optional integer member into `value`.
    fileprivate mutating func read(_ value: inout Int?) -> Bool {
        guard let read = optionalInt() else { return false }
        value = read
        return true
    }

    /// Reads an optional array of strings into `value`.
    fileprivate mutating func read(_ value: inout [String]?) -> Bool {
        if null() {
            value = nil
            return true
        }
        var strings: [String] = []
        let ok = array { scanner in
            guard let string = scanner.string() else { return false }
            strings.append(string)
            return true
        }
        value = strings
        return ok
    }
}
