import FoundationEssentials
import SNSFilterPolicy
import SQSEngine
import SQSProtocol

extension SNSService {
    /// Publish: to a topic (TopicArn or TargetArn), or straight to a phone number.
    public func publish(_ input: PublishInput, context: RequestContext) async throws(SNSError) -> PublishResult {
        let prepared = try Self.prepare(input, entry: nil)
        if let phone = input.phoneNumber, input.topicArn == nil, input.targetArn == nil {
            guard Self.isPhoneNumber(phone) else { throw .invalidParameter("PhoneNumber Reason: \(phone) is not valid to publish to") }
            let message = prepared.message(id: UUID().uuidString.lowercased(), topicArn: "", now: clock.now().milliseconds)
            await scheduler.sendSMS(to: phone, message: message)
            return PublishResult(messageID: message.id, sequenceNumber: nil)
        }
        guard let arn = input.topicArn ?? input.targetArn, !arn.isEmpty else {
            throw .invalidParameter("TopicArn or TargetArn Reason: no value for required parameter")
        }
        try SNSArn.validate(arn, parameter: input.topicArn != nil ? "TopicArn" : "TargetArn")
        if arn.hasSuffix(".fifo") {
            guard prepared.groupID != nil else { throw .invalidParameter("The MessageGroupId parameter is required for FIFO topics") }
        } else if prepared.deduplicationID != nil {
            throw .invalidParameter(
                "MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type")
        }
        let (result, records) = try await accept([prepared], topicArn: arn)[0].get()
        await scheduler.enqueue(records)
        return result
    }

    /// PublishBatch: request-level problems fail the call; a FIFO entry without its ids fails the call too, as SNS does.
    public func publishBatch(topicArn: String, entries: [(id: String, input: PublishInput)], context: RequestContext) async throws(SNSError)
        -> [PublishBatchOutcome]
    {
        try SNSArn.validate(topicArn, parameter: "TopicArn")
        guard !entries.isEmpty else {
            throw SNSError(.emptyBatchRequest, "The batch request doesn't contain any entries.")
        }
        guard entries.count <= SNSLimits.maximumBatchEntries else {
            throw SNSError(.tooManyEntriesInBatchRequest, "The batch request contains more entries than permissible.")
        }
        let exists = try await store.perform { state, _ in state.topics[topicArn] != nil }
        guard exists else { throw SNSError.topicNotFound }
        guard Set(entries.map(\.id)).count == entries.count else {
            throw SNSError(.batchEntryIdsNotDistinct, "Two or more batch entries in the request have the same Id.")
        }
        for entry in entries {
            if entry.id.count > SNSLimits.maximumBatchEntryIdLength {
                throw SNSError(.invalidBatchEntryId, "The Id of a batch entry in the batch request is too long: \(entry.id)")
            }
            let valid = !entry.id.isEmpty && entry.id.utf8.allSatisfy { $0.isASCIILetterOrDigit || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
            if !valid {
                throw SNSError(.invalidBatchEntryId, "The Id of a batch entry in the batch request contains an impermissible character: \(entry.id)")
            }
        }
        var prepared: [PreparedPublish] = []
        var total = 0
        for (index, entry) in entries.enumerated() {
            let one = try Self.prepare(entry.input, entry: index + 1)
            total += one.size
            prepared.append(one)
        }
        if topicArn.hasSuffix(".fifo") {
            guard prepared.allSatisfy({ $0.groupID != nil }) else {
                throw .invalidParameter("The MessageGroupId parameter is required for FIFO topics")
            }
        } else if prepared.contains(where: { $0.deduplicationID != nil }) {
            throw .invalidParameter(
                "MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type")
        }
        guard total <= SNSLimits.maximumMessageSize else {
            throw SNSError(.batchRequestTooLong, "The length of all the messages put together is more than the limit.")
        }
        let outcomes = try await accept(prepared, topicArn: topicArn)
        var result: [PublishBatchOutcome] = []
        var records: [DeliveryRecord] = []
        for (entry, outcome) in zip(entries, outcomes) {
            switch outcome {
            case .success(let (published, deliveries)):
                result.append(PublishBatchOutcome(id: entry.id, result: .success(published)))
                records += deliveries
            case .failure(let error):
                result.append(PublishBatchOutcome(id: entry.id, result: .failure(error)))
            }
        }
        await scheduler.enqueue(records)
        return result
    }

    /// Stores accepted messages with one delivery per matching, confirmed subscription.
    private func accept(_ prepared: [PreparedPublish], topicArn: String) async throws(SNSError)
        -> [Result<(PublishResult, [DeliveryRecord]), SNSError>]
    {
        let now = clock.now().milliseconds
        let ids = prepared.map { _ in UUID().uuidString.lowercased() }
        return try await store.perform { state, database in
            guard let topic = state.topics[topicArn] else { throw SNSError.topicNotFound }
            state.deduplication = state.deduplication.filter { $0.value.expiresAt > now }
            var results: [Result<(PublishResult, [DeliveryRecord]), SNSError>] = []
            for (index, one) in prepared.enumerated() {
                var message = one.message(id: ids[index], topicArn: topicArn, now: now)
                if topic.isFIFO {
                    if message.deduplicationID == nil {
                        guard topic.contentBasedDeduplication else {
                            results.append(
                                .failure(
                                    .invalidParameter(
                                        "The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly")))
                            continue
                        }
                        message.deduplicationID = MessageDigest.sha256Hex(of: message.message)
                    }
                    let key = topicArn + " " + (message.deduplicationID ?? "")
                    if let seen = state.deduplication[key] {
                        results.append(.success((PublishResult(messageID: seen.messageID, sequenceNumber: seen.sequenceNumber), [])))
                        continue
                    }
                    message.sequenceNumber = state.nextSequenceNumber(now: now)
                    state.deduplication[key] = (message.id, message.sequenceNumber!, now + Int64(SNSLimits.deduplicationWindowSeconds) * 1000)
                }
                let targets = state.subscriptions(of: topicArn).filter { subscription in
                    guard !subscription.pendingConfirmation else { return false }
                    guard let policy = state.filters[subscription.arn] else { return true }
                    return policy.matches(attributes: one.filterAttributes, body: message.content(for: subscription.protocol.rawValue))
                }
                let records = try database.insert(message, to: targets.map(\.arn), at: now)
                results.append(.success((PublishResult(messageID: message.id, sequenceNumber: message.sequenceNumber), records)))
            }
            return results
        }
    }
}

/// A Publish request that passed the checks that need no topic.
struct PreparedPublish: Sendable {
    var subject: String?
    var message: String
    var perProtocol: [String: String]?
    var attributes: [String: MessageAttributeValue]
    var groupID: String?
    var deduplicationID: String?
    /// Bytes toward the 256 KiB limit: the message and its attributes.
    var size: Int

    func message(id: String, topicArn: String, now: Int64) -> PublishedMessage {
        PublishedMessage(
            kind: .notification, id: id, topicArn: topicArn, subject: subject, message: message, perProtocol: perProtocol, attributes: attributes,
            messageGroupID: groupID, deduplicationID: deduplicationID, sequenceNumber: nil, timestamp: now, token: nil)
    }

    /// The attributes as a filter policy sees them.
    var filterAttributes: [String: FilterAttribute] {
        attributes.mapValues { FilterAttribute(dataType: $0.dataType, value: $0.stringValue) }
    }
}

extension SNSService {
    /// The checks of Publish that need no topic: subject, message, structure, attributes, size.
    static func prepare(_ input: PublishInput, entry: Int?) throws(SNSError) -> PreparedPublish {
        if let subject = input.subject {
            guard !subject.isEmpty, subject.count <= SNSLimits.maximumSubjectLength,
                subject.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0.value != 0x7F })
            else { throw .invalidParameter("Subject") }
        }
        guard let message = input.message, !message.isEmpty else { throw .invalidParameter("Empty message") }
        var defaultMessage = message
        var perProtocol: [String: String]?
        if let structure = input.messageStructure {
            guard structure == "json" else { throw .invalidParameter("MessageStructure") }
            guard case .object(let members)? = PolicyJSON.parse(message) else {
                throw .invalidParameter("Message Structure - JSON message body failed to parse")
            }
            var entries: [String: String] = [:]
            for (key, value) in members {
                if case .string(let text) = value { entries[key] = text }
            }
            guard let fallback = entries["default"] else { throw .invalidParameter("Message Structure - No default entry in JSON message body") }
            defaultMessage = fallback
            perProtocol = entries
        }
        try validateAttributes(input.attributes, entry: entry)
        var size = message.utf8.count
        for (name, value) in input.attributes {
            size += name.utf8.count + value.dataType.utf8.count + (value.stringValue?.utf8.count ?? 0) + (value.binaryValue?.count ?? 0)
        }
        guard size <= SNSLimits.maximumMessageSize else { throw .invalidParameter("Message too long") }
        if let group = input.messageGroupID { try validateIdentifier(group, parameter: "MessageGroupId") }
        if let deduplication = input.deduplicationID { try validateIdentifier(deduplication, parameter: "MessageDeduplicationId") }
        return PreparedPublish(
            subject: input.subject, message: defaultMessage, perProtocol: perProtocol, attributes: input.attributes,
            groupID: input.messageGroupID, deduplicationID: input.deduplicationID, size: size)
    }

    /// 1 to 128 characters, alphanumeric or punctuation.
    static func validateIdentifier(_ value: String, parameter: String) throws(SNSError) {
        let valid = !value.isEmpty && value.utf8.count <= 128 && value.utf8.allSatisfy { $0 >= 0x21 && $0 <= 0x7E }
        guard valid else {
            throw .invalidParameter("\(parameter) Reason: \(parameter) can only include alphanumeric and punctuation characters. 1 to 128 in length.")
        }
    }

    /// Message attribute names, types and values, worded as SNS words its `ParameterValueInvalid` errors.
    static func validateAttributes(_ attributes: [String: MessageAttributeValue], entry: Int?) throws(SNSError) {
        if attributes.count > SNSLimits.maximumMessageAttributes {
            throw .parameterValueInvalid("Number of message attributes [\(attributes.count)] exceeds the allowed maximum [\(SNSLimits.maximumMessageAttributes)].")
        }
        for name in attributes.keys.sorted() {
            let value = attributes[name]!
            if name.utf8.count > SNSLimits.maximumAttributeNameLength {
                throw .parameterValueInvalid("Length of message attribute name must be less than 256 bytes.")
            }
            if name.hasPrefix(".") { throw .parameterValueInvalid("Invalid message attribute name starting with character '.' was found.") }
            if name.hasSuffix(".") { throw .parameterValueInvalid("Invalid message attribute name ending with character '.' was found.") }
            if name.contains("..") { throw .parameterValueInvalid("Message attribute name can not have successive '.' character.") }
            if let bad = name.unicodeScalars.first(where: { !($0.isASCII && (UInt8($0.value).isASCIILetterOrDigit || "-_.".unicodeScalars.contains($0))) }) {
                throw .parameterValueInvalid(
                    "Invalid non-alphanumeric character '#x\(String(bad.value, radix: 16, uppercase: true))' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots."
                )
            }
            if value.dataType.isEmpty {
                let at = entry.map { "publishBatchRequestEntries.\($0).member.messageAttributes.\(name).member.dataType" } ?? "messageAttributes.\(name).member.dataType"
                throw SNSError(.validationError, "1 validation error detected: Value null at '\(at)' failed to satisfy constraint: Member must not be null")
            }
            let base = value.baseType
            guard ["String", "Number", "Binary"].contains(base) else {
                throw .parameterValueInvalid(
                    "The message attribute '\(name)' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String."
                )
            }
            if base == "Binary" {
                guard value.binaryValue != nil else {
                    throw .parameterValueInvalid("The message attribute '\(name)' with type 'Binary' must use field 'Binary'.")
                }
            } else {
                guard let text = value.stringValue else {
                    throw .parameterValueInvalid("The message attribute '\(name)' with type '\(value.dataType)' must use field 'String'.")
                }
                guard !text.isEmpty else {
                    throw .parameterValueInvalid(
                        "The message attribute '\(name)' must contain non-empty message attribute value for message attribute type '\(value.dataType)'.")
                }
                if base == "Number", Double(text) == nil {
                    throw .parameterValueInvalid("Could not cast message attribute '\(name)' value to number.")
                }
                if value.dataType == "String.Array", case .array? = PolicyJSON.parse(text) {} else if value.dataType == "String.Array" {
                    throw .parameterValueInvalid("The message attribute '\(name)' with type 'String.Array' must be a JSON array of strings, numbers, true, false or null.")
                }
            }
        }
    }
}
