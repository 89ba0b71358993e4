import FoundationEssentials
import NIOHTTP1
import SQSEngine
import SQSHTTP

/// The queue page's consumer tools: delete the queue, receive ("poll like a consumer") and act on
/// what was received by its receipt handle, search messages, and delete or move several at once.
/// Every change goes through the engine's public API, as an SQS client's would.
extension AdminResponder {
    /// The most messages a search looks through (oldest first), so a search stays cheap on a big queue.
    static let searchScanLimit = 2000
    /// The most queue names the "Move to" box suggests (any name may be typed).
    static let moveTargetSuggestions = 200
    /// The most messages one bulk delete or move handles.
    static let maxBulkMessages = 500

    /// `POST /admin/queues/<id>/receive`: receives like a consumer and shows what came back (a
    /// page, or JSON for API callers). `nil` for any other request.
    func consumerPage(_ request: AdminRequest) async -> HTTPResponse? {
        let segments = request.segments
        guard segments.first == "queues", segments.count == 5, segments[4] == "receive", let key = AdminPaths.key(segments.dropFirst()) else {
            return nil
        }
        let input: ReceiveMessageInput
        do throws(AdminInputError) {
            input = ReceiveMessageInput(
                maxNumberOfMessages: try request.formInteger("maxNumberOfMessages", in: 1...10) ?? 1,
                visibilityTimeout: try request.formInteger("visibilityTimeout", in: 0...43_200),
                waitTimeSeconds: try request.formInteger("waitTimeSeconds", in: 0...20) ?? 0)
        } catch {
            return failure(request, status: .badRequest, error.message)
        }
        let received: [ReceivedMessage]
        do {
            received = try await engine.receiveMessage(key, input)
        } catch {
            return failure(request, status: error.code == .queueDoesNotExist ? .notFound : .badRequest, error.message)
        }
        if request.wantsJSON {
            return Self.json(
                received.map {
                    AdminAPI.ReceivedMessage(messageId: $0.record.messageID, receiptHandle: $0.receiptHandle, body: $0.record.body, receiveCount: $0.record.receiveCount)
                })
        }
        let base = AdminPaths.queue(key)
        let context: [String: Any] = [
            "name": key.name, "queueHref": base, "count": received.count, "hasMessages": !received.isEmpty,
            "receiveAction": base + "/receive", "maxNumberOfMessages": input.maxNumberOfMessages,
            "messages": received.map { message -> [String: Any] in
                let record = message.record
                return [
                    "messageId": record.messageID, "href": AdminPaths.message(key, record.messageID), "receiptHandle": message.receiptHandle,
                    "receiveCount": record.receiveCount, "body": Self.prettyJSON(record.body) ?? record.body,
                    "visibleUntil": Self.time(record.visibleAt.milliseconds), "deleteAction": base + "/delete-received",
                    "visibilityAction": base + "/visibility",
                    "attributes": record.attributes.sorted { $0.key < $1.key }.map { ["name": $0.key, "value": $0.value.stringValue ?? "(binary)"] },
                ]
            },
        ]
        return render("received", title: "Received · \(key.name)", context: context, request: request)
    }

    /// The queue actions of this file, or `nil` when `name` is not one of them.
    func consumerAction(_ name: String, key: QueueKey, request: AdminRequest) async -> Outcome? {
        let page = AdminPaths.queue(key)
        switch name {
        case "delete":
            guard request.form["confirmName"] == key.name else {
                return Outcome(
                    result: AdminAPI.Result(ok: false, message: "Type the queue's name (\(key.name)) to confirm deleting it."), location: page,
                    status: .badRequest)
            }
            return await outcome(location: page) { () async throws(EngineError) -> AdminAPI.Result in
                try await engine.deleteQueue(key)
                return AdminAPI.Result(ok: true, message: "Queue \(key.name) deleted.")
            }.withLocation(success: AdminPaths.root)
        case "delete-received":
            return await outcome(location: page) { () async throws(EngineError) -> AdminAPI.Result in
                guard let handle = request.field("receiptHandle") else { throw EngineError.missingParameter("ReceiptHandle") }
                try await engine.deleteMessage(key, receiptHandle: handle)
                return AdminAPI.Result(ok: true, message: "Message deleted (DeleteMessage).", messageId: request.field("messageId"))
            }
        case "visibility":
            return await outcome(location: page) { () async throws(EngineError) -> AdminAPI.Result in
                guard let handle = request.field("receiptHandle") else { throw EngineError.missingParameter("ReceiptHandle") }
                let timeout: Int
                do throws(AdminInputError) {
                    guard let value = try request.formInteger("visibilityTimeout", in: 0...43_200) else {
                        throw AdminInputError(message: "visibilityTimeout is required.")
                    }
                    timeout = value
                } catch {
                    throw EngineError(.invalidParameterValue, error.message)
                }
                try await engine.changeMessageVisibility(key, receiptHandle: handle, visibilityTimeout: timeout)
                return AdminAPI.Result(
                    ok: true, message: "Visibility changed: visible again in \(timeout) s (ChangeMessageVisibility).", messageId: request.field("messageId"))
            }
        case "bulk":
            return await bulk(key: key, request: request)
        default:
            return nil
        }
    }

    /// Deletes (`op=delete`) or moves (`op=move`, to `target`) the messages whose ids are checked.
    private func bulk(key: QueueKey, request: AdminRequest) async -> Outcome {
        let page = AdminPaths.queue(key)
        let ids = Array(request.formValues("id").prefix(Self.maxBulkMessages))
        guard !ids.isEmpty else {
            return Outcome(result: AdminAPI.Result(ok: false, message: "Select at least one message."), location: page, status: .badRequest)
        }
        switch request.form["op"] {
        case "delete":
            return await outcome(location: page) { () async throws(EngineError) -> AdminAPI.Result in
                var deleted = 0
                for id in ids {
                    if try await engine.deleteMessage(key, byID: id) { deleted += 1 }
                }
                return AdminAPI.Result(ok: true, message: "Deleted \(deleted) of \(ids.count) selected messages.")
            }
        case "move":
            guard let targetName = request.field("target")?.filter({ !$0.isWhitespace }), targetName != key.name else {
                return Outcome(result: AdminAPI.Result(ok: false, message: "Choose another queue to move to."), location: page, status: .badRequest)
            }
            let target = QueueKey(account: key.account, region: key.region, name: targetName)
            return await outcome(location: page) { () async throws(EngineError) -> AdminAPI.Result in
                _ = try await engine.queueSummary(target)
                var moved = 0
                for id in ids {
                    guard let message = try await engine.peekMessage(key, messageID: id) else { continue }
                    let record = message.record
                    var input = SendMessageInput(body: record.body)
                    input.attributes = record.attributes
                    if target.name.hasSuffix(".fifo") {
                        input.messageGroupID = record.messageGroupID ?? "default"
                        input.deduplicationID = record.deduplicationID ?? record.messageID
                    }
                    _ = try await engine.sendMessage(target, input, senderID: defaults.account)
                    if try await engine.deleteMessage(key, byID: id) { moved += 1 }
                }
                return AdminAPI.Result(ok: true, message: "Moved \(moved) of \(ids.count) selected messages to \(target.name).")
            }
        default:
            return Outcome(result: AdminAPI.Result(ok: false, message: "op must be delete or move."), location: page, status: .badRequest)
        }
    }

    /// Messages whose body, attribute name or attribute value contains `text` (ignoring case),
    /// among the oldest ``searchScanLimit`` in `state`; and how many were looked at.
    func searchMessages(
        _ key: QueueKey, text: String, state: PeekedMessage.State?, limit: Int
    ) async throws(EngineError) -> (messages: [PeekedMessage], scanned: Int, total: Int) {
        let page = try await engine.peekMessagePage(key, state: state, offset: 0, limit: Self.searchScanLimit)
        let matches = page.messages.filter { Self.matches($0.record, text) }
        return (Array(matches.prefix(limit)), page.messages.count, page.total)
    }

    static func matches(_ record: MessageRecord, _ text: String) -> Bool {
        let needle = text.lowercased()
        if record.body.lowercased().contains(needle) { return true }
        return record.attributes.contains { name, value in
            name.lowercased().contains(needle) || (value.stringValue?.lowercased().contains(needle) ?? false)
        }
    }
}

extension AdminRequest {
    /// Every value of a form field that may repeat (checkboxes), in order.
    func formValues(_ name: String) -> [String] {
        formText.split(separator: "&").compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, FormEncoding.percentDecoded(parts[0], plusAsSpace: true) == name else { return nil }
            let value = FormEncoding.percentDecoded(parts[1], plusAsSpace: true)
            return value.isEmpty ? nil : value
        }
    }
}

extension AdminAPI {
    /// A message received from the admin page (`POST …/receive` with `Accept: application/json`).
    struct ReceivedMessage: Codable, Sendable {
        var messageId: String
        var receiptHandle: String
        var body: String
        var receiveCount: Int
    }
}
