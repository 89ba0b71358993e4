import FoundationEssentials
import NIOHTTP1
import SQSEngine
import SQSHTTP

/// The queue pages: the list, one queue, one message.
extension AdminResponder {
    /// Messages per page on a queue's page.
    static let pageSize = 50
    /// Queues per page of the queue list (page and API), unless `limit` says otherwise.
    static let queuePageSize = 100
    /// The most queues one page of the list may ask for.
    static let maxQueuePageSize = 1000
    /// Attributes SetQueueAttributes can change, in the order the form shows them.
    static let editableAttributes = [
        "VisibilityTimeout", "DelaySeconds", "MessageRetentionPeriod", "MaximumMessageSize", "ReceiveMessageWaitTimeSeconds",
        "RedrivePolicy", "RedriveAllowPolicy", "Policy", "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled",
    ]
    static let fifoEditableAttributes = ["ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit"]

    func page(_ request: AdminRequest) async -> HTTPResponse {
        do {
            return try await pageRoute(request)
        } catch {
            return failure(request, status: .badRequest, error.message)
        }
    }

    private func pageRoute(_ request: AdminRequest) async throws(AdminInputError) -> HTTPResponse {
        let segments = request.segments
        switch segments.first {
        case nil:
            return try await queuesPage(request)
        case "queues" where segments.count == 4:
            guard let key = AdminPaths.key(segments.dropFirst()) else { break }
            return try await queuePage(request, key)
        case "queues" where segments.count == 6 && segments[4] == "messages":
            guard let key = AdminPaths.key(segments.dropFirst()) else { break }
            return await messagePage(request, key, messageID: String(segments[5]))
        case "functions", "invocations":
            return await lambdaPage(request)
        case "topics", "mailbox":
            return await notifyPage(request)
        case "controls" where segments.count == 1:
            return await controlsPage(request)
        default:
            break
        }
        return notFound(request, "There is no admin page at this address.")
    }

    /// The request's `Host`, as queue URLs use it.
    func baseURL(_ request: AdminRequest) -> String {
        "http://" + (request.headers.first(name: "host").flatMap { $0.isEmpty ? nil : $0 } ?? defaults.authority)
    }

    func apiQueue(_ summary: QueueSummary, _ request: AdminRequest) -> AdminAPI.Queue {
        AdminAPI.Queue(summary, rates: activity?.rates(summary.key) ?? .init(sent: 0, received: 0, deleted: 0), baseURL: baseURL(request))
    }

    private func queueLink(_ key: QueueKey) -> [String: Any] {
        ["name": key.name, "href": AdminPaths.queue(key), "arn": key.arn]
    }

    private func queueContext(_ summary: QueueSummary, _ request: AdminRequest) -> [String: Any] {
        let api = apiQueue(summary, request)
        var context: [String: Any] = [
            "id": api.id, "name": api.name, "account": api.account, "region": api.region, "href": AdminPaths.queue(summary.key),
            "arn": api.arn, "url": api.url, "type": summary.isFIFO ? "FIFO" : "Standard", "typeClass": summary.isFIFO ? "fifo" : "standard",
            "visible": api.visible, "inFlight": api.inFlight, "delayed": api.delayed, "oldest": Self.age(api.oldestMessageAgeSeconds),
            "sentPerMinute": api.sentPerMinute, "receivedPerMinute": api.receivedPerMinute, "deletedPerMinute": api.deletedPerMinute,
            "sources": summary.deadLetterSources.map(queueLink), "isDLQ": !summary.deadLetterSources.isEmpty, "fifo": summary.isFIFO,
        ]
        if let target = summary.deadLetterTarget {
            var link = queueLink(target)
            link["maxReceiveCount"] = summary.maxReceiveCount ?? 0
            context["target"] = link
        }
        return context
    }

    /// One page of the queue list (`?offset=&limit=&filter=`), filtered and paged on the server.
    private func queuesPage(_ request: AdminRequest) async throws(AdminInputError) -> HTTPResponse {
        let offset = try request.integer("offset", in: 0...Int.max, default: 0)
        let limit = try request.integer("limit", in: 1...Self.maxQueuePageSize, default: Self.queuePageSize)
        let filter = request.query["filter"].flatMap { $0.isEmpty ? nil : $0 }
        let index = await AdminQueueIndex(engine: engine, policies: redrivePolicies)
        let page = await index.page(filter: filter, offset: offset, limit: limit)
        func href(_ offset: Int) -> String {
            var link = AdminPaths.root
            if let filter { link = Self.withQuery(link, "filter", filter) }
            if offset > 0 { link = Self.withQuery(link, "offset", String(offset)) }
            if limit != Self.queuePageSize { link = Self.withQuery(link, "limit", String(limit)) }
            return link
        }
        let shown = page.summaries.count
        var context: [String: Any] = [
            "queues": page.summaries.map { queueContext($0, request) }, "count": page.total, "hasQueues": shown > 0,
            "offset": offset, "limit": limit, "filter": filter ?? "",
            "pageText": shown == 0 ? "" : "\(offset + 1)–\(offset + shown) of \(page.total)",
        ]
        if offset > 0 { context["previousHref"] = href(max(0, offset - limit)) }
        if offset < page.total - shown { context["nextHref"] = href(offset + shown) }
        return render("queues", title: "Queues", context: context, request: request, live: AdminPaths.api + "/queues")
    }

    private func queuePage(_ request: AdminRequest, _ key: QueueKey) async throws(AdminInputError) -> HTTPResponse {
        let offset = try request.integer("offset", in: 0...Int.max, default: 0)
        let index = await AdminQueueIndex(engine: engine, policies: redrivePolicies)
        guard let summary = await index.summaries([key]).first,
            let attributes = try? await engine.getQueueAttributes(key, names: ["All"])
        else {
            return notFound(request, "The queue \(key.name) does not exist.")
        }
        var context = queueContext(summary, request)
        context.merge(queueCharts(summary)) { a, _ in a }
        let base = AdminPaths.queue(key)
        context["actionBase"] = base
        context["peekHref"] = "/_aws/sqs/messages/\(AdminPaths.id(key))?ShowInvisible=true&ShowDelayed=true"
        context["delayDefault"] = attributes["DelaySeconds"] ?? "0"
        context["contentDedup"] = attributes["ContentBasedDeduplication"] == "true"
        context["attributeRows"] = (1...3).map { ["n": $0] }

        // Messages, paged, by state.
        let filter = request.query["state"].flatMap(PeekedMessage.State.init(rawValue:))
        let search = request.query["search"].flatMap { $0.isEmpty ? nil : $0 }
        var result = (messages: [PeekedMessage](), total: 0)
        if let search {
            let found = (try? await searchMessages(key, text: search, state: filter, limit: Self.pageSize)) ?? (messages: [], scanned: 0, total: 0)
            result = (found.messages, found.messages.count)
            context["searchText"] =
                "\(found.messages.count) matching “\(search)” among the oldest \(found.scanned) of \(found.total) messages"
                + (found.scanned < found.total ? " (a search looks at the oldest \(Self.searchScanLimit))." : ".")
        } else {
            result = (try? await engine.peekMessagePage(key, state: filter, offset: offset, limit: Self.pageSize)) ?? (messages: [], total: 0)
        }
        let page = result.messages
        context["search"] = search ?? ""
        context["stateValue"] = filter?.rawValue ?? ""
        context["clearSearchHref"] = filter.map { Self.withQuery(base, "state", $0.rawValue) } ?? base
        context["otherQueues"] = await engine.queueDirectory().map(\.key).filter { $0 != key && $0.account == key.account && $0.region == key.region }
            .map(\.name).sorted().prefix(Self.moveTargetSuggestions).map { $0 }
        func href(state: PeekedMessage.State?, offset: Int) -> String {
            var link = base
            if let state { link = Self.withQuery(link, "state", state.rawValue) }
            if let search { link = Self.withQuery(link, "search", search) }
            if offset > 0 { link = Self.withQuery(link, "offset", String(offset)) }
            return link
        }
        context["messages"] = page.map { messageRow($0, key: key) }
        context["hasMessages"] = !page.isEmpty
        context["filtered"] = filter != nil
        context["pageText"] = page.isEmpty ? "" : "\(offset + 1)–\(offset + page.count) of \(result.total)"
        context["selfHref"] = href(state: filter, offset: offset)
        if offset > 0 { context["previousHref"] = href(state: filter, offset: max(0, offset - Self.pageSize)) }
        if offset + page.count < result.total { context["nextHref"] = href(state: filter, offset: offset + Self.pageSize) }
        let states: [(PeekedMessage.State?, String)] = [(nil, "All"), (.visible, "Visible"), (.inFlight, "In flight"), (.delayed, "Delayed")]
        context["filters"] = states.map { state, label in
            ["label": label, "href": href(state: state, offset: 0), "active": state == filter] as [String: Any]
        }

        // Attributes: the editable ones in a form, the others as a table.
        let editable = Self.editableAttributes + (summary.isFIFO ? Self.fifoEditableAttributes : [])
        context["editable"] = editable.map { name in
            ["name": name, "value": attributes[name] ?? "", "multiline": name.hasSuffix("Policy")] as [String: Any]
        }
        context["readOnly"] = attributes.keys.filter { !editable.contains($0) }.sorted().map { name in
            ["name": name, "value": Self.attributeText(name, attributes[name] ?? "")]
        }

        // Redrive tasks, when this is a dead-letter queue.
        if !summary.deadLetterSources.isEmpty {
            let tasks = (try? await engine.listMessageMoveTasks(sourceArn: key.arn, maxResults: 10)) ?? []
            context["hasTasks"] = !tasks.isEmpty
            context["tasks"] = tasks.map { task -> [String: Any] in
                [
                    "taskId": task.taskID, "shortId": String(task.taskID.prefix(8)), "status": task.status.rawValue,
                    "statusClass": "status-" + task.status.rawValue.lowercased(), "moved": task.moved, "toMove": task.toMove,
                    "started": Self.time(task.startedAt.milliseconds),
                ]
            }
        }
        return render(
            "queue", title: key.name, context: context, request: request, live: AdminPaths.api + "/queues/" + AdminPaths.id(key))
    }

    private func messageRow(_ message: PeekedMessage, key: QueueKey) -> [String: Any] {
        let record = message.record
        let flat = record.body.replacing("\n", with: " ")
        return [
            "href": AdminPaths.message(key, record.messageID), "messageId": record.messageID, "shortId": String(record.messageID.prefix(13)) + "…",
            "stateClass": message.state.rawValue, "stateLabel": Self.stateLabel(message.state), "sentText": Self.time(record.sentAt.milliseconds),
            "sentISO": Self.isoTime(record.sentAt.milliseconds), "receiveCount": record.receiveCount, "group": record.messageGroupID ?? "",
            "sequence": record.sequenceNumber ?? "", "preview": flat.count > 160 ? String(flat.prefix(160)) + "…" : flat,
        ]
    }

    private func messagePage(_ request: AdminRequest, _ key: QueueKey, messageID: String) async -> HTTPResponse {
        let found: PeekedMessage?
        do {
            found = try await engine.peekMessage(key, messageID: messageID)
        } catch {
            return notFound(request, "The queue \(key.name) does not exist.")
        }
        guard let message = found else {
            return notFound(request, "The message \(messageID) is not in \(key.name) (deleted, received and deleted, or expired).")
        }
        let record = message.record
        let pretty = Self.prettyJSON(record.body)
        var details: [(String, String)] = [
            ("Sent", Self.isoTime(record.sentAt.milliseconds)), ("Receive count", String(record.receiveCount)),
            ("MD5 of body", record.md5OfBody), ("Sender", record.senderID),
        ]
        if message.state != .visible { details.append(("Visible at", Self.isoTime(record.visibleAt.milliseconds))) }
        if let group = record.messageGroupID { details.append(("Group id", group)) }
        if let dedup = record.deduplicationID { details.append(("Deduplication id", dedup)) }
        if let sequence = record.sequenceNumber { details.append(("Sequence number", sequence)) }
        var context: [String: Any] = [
            "queueName": key.name, "queueHref": AdminPaths.queue(key), "messageId": record.messageID,
            "stateClass": message.state.rawValue, "stateLabel": Self.stateLabel(message.state),
            "deleteAction": AdminPaths.message(key, record.messageID) + "/delete", "body": pretty ?? record.body, "isJSON": pretty != nil,
            "size": record.body.utf8.count, "details": details.map { ["name": $0.0, "value": $0.1] },
            "attributes": record.attributes.sorted { $0.key < $1.key }.map { name, value in
                ["name": name, "type": value.dataType, "value": value.stringValue ?? value.binaryValue.map { Data($0).base64EncodedString() } ?? ""]
            },
            "hasAttributes": !record.attributes.isEmpty,
            "system": message.systemAttributes.sorted { $0.key < $1.key }.map { ["name": $0.key, "value": Self.attributeText($0.key, $0.value)] },
        ]
        context.merge(messageInvocations(record.messageID)) { a, _ in a }
        return render("message", title: "Message · \(key.name)", context: context, request: request)
    }

    // MARK: - Formatting

    static func stateLabel(_ state: PeekedMessage.State) -> String {
        switch state {
        case .visible: "visible"
        case .inFlight: "in flight"
        case .delayed: "delayed"
        }
    }

    /// A body pretty-printed when it is a JSON object or array, else `nil`.
    static func prettyJSON(_ text: String) -> String? {
        let trimmed = text.drop { $0.isWhitespace }
        guard trimmed.first == "{" || trimmed.first == "[",
            let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Seconds as `1m 5s`, `–` for none.
    static func age(_ seconds: Int) -> String {
        switch seconds {
        case ...0: "–"
        case ..<60: "\(seconds)s"
        case ..<3600: "\(seconds / 60)m \(seconds % 60)s"
        case ..<86400: "\(seconds / 3600)h \((seconds % 3600) / 60)m"
        default: "\(seconds / 86400)d \((seconds % 86400) / 3600)h"
        }
    }

    /// Epoch milliseconds as `2026-11-23 02:44:53 UTC`.
    static func time(_ milliseconds: Int64) -> String {
        let iso = isoTime(milliseconds)
        return String(iso.prefix(19)).replacing("T", with: " ") + " UTC"
    }

    /// Epoch milliseconds as ISO 8601 with milliseconds, UTC.
    static func isoTime(_ milliseconds: Int64) -> String {
        ISOTimestamp.string(milliseconds: milliseconds)
    }

    /// Timestamps among queue and message attributes, shown as dates too.
    static func attributeText(_ name: String, _ value: String) -> String {
        guard let number = Int64(value) else { return value }
        switch name {
        case "CreatedTimestamp", "LastModifiedTimestamp": return "\(value) (\(time(number * 1000)))"
        case "SentTimestamp", "ApproximateFirstReceiveTimestamp": return "\(value) (\(time(number)))"
        default: return value
        }
    }
}
