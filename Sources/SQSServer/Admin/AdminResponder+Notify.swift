import FoundationEssentials
import NIOHTTP1
import SQSEngine
import SQSHTTP
import SQSMail
import SQSNotify
import SQSProtocol

/// The Topics and Mailbox pages: topics with their subscriptions and recent deliveries, a
/// publish form, the mailbox with each mail's HTML shown in a sandboxed frame (no scripts, no
/// same origin, the page's CSP inherited), its text part and its raw source.
extension AdminResponder {
    func notifyPage(_ request: AdminRequest) async -> HTTPResponse {
        guard let notify else { return notFound(request, "This server has no SNS or mailbox.") }
        let segments = request.segments
        do {
            switch (segments.first, segments.count) {
            case ("topics", 1):
                let topics = try await notify.store.topics()
                var rows: [[String: Any]] = []
                for topic in topics {
                    let subscriptions = try await notify.store.subscriptions(of: topic.arn)
                    rows.append([
                        "name": topic.name, "arn": topic.arn, "href": Self.topicPath(topic), "type": topic.isFIFO ? "FIFO" : "Standard",
                        "confirmed": subscriptions.filter { !$0.pendingConfirmation }.count,
                        "pending": subscriptions.filter(\.pendingConfirmation).count,
                    ])
                }
                let context: [String: Any] = ["topics": rows, "topicCount": rows.count, "hasTopics": !rows.isEmpty]
                    .merging(try await deliveriesContext(notify, topicArn: nil)) { a, _ in a }
                return render("topics", title: "Topics", context: context, request: request, nav: "topics")
            case ("topics", 4):
                guard let topic = try await topic(notify, segments) else { return notFound(request, "There is no such topic.") }
                let attributes = try await notify.sns.topicAttributes(arn: topic.arn)
                let subscriptions = try await notify.store.subscriptions(of: topic.arn)
                let context: [String: Any] = [
                    "name": topic.name, "arn": topic.arn, "type": topic.isFIFO ? "FIFO" : "Standard", "fifo": topic.isFIFO,
                    "publishAction": Self.topicPath(topic) + "/publish",
                    "attributes": attributes.keys.sorted().filter { $0 != "Policy" && $0 != "EffectiveDeliveryPolicy" }.map {
                        ["name": $0, "value": attributes[$0] ?? ""]
                    },
                    "subscriptions": subscriptions.map { subscription -> [String: Any] in
                        var row: [String: Any] = [
                            "protocol": subscription.protocol.rawValue, "endpoint": subscription.endpoint, "arn": subscription.arn,
                            "state": subscription.pendingConfirmation ? "pending confirmation" : "confirmed",
                            "stateClass": subscription.pendingConfirmation ? "disabled" : "enabled",
                            "raw": subscription.rawMessageDelivery ? "yes" : "no",
                            "filterPolicy": subscription.attributes["FilterPolicy"] ?? "",
                        ]
                        if subscription.attributes["FilterPolicy"] != nil { row["filterScope"] = subscription.filterPolicyScope }
                        return row
                    },
                    "hasSubscriptions": !subscriptions.isEmpty,
                ].merging(try await deliveriesContext(notify, topicArn: topic.arn)) { a, _ in a }
                return render("topic", title: topic.name, context: context, request: request, nav: "topics")
            case ("mailbox", 1):
                let mails = try await notify.mailbox.mails()
                let texts = try await notify.mailbox.textMessages()
                let context: [String: Any] = [
                    "mails": mails.reversed().map { mail -> [String: Any] in
                        [
                            "time": Self.isoTime(mail.timestamp), "from": mail.source, "to": (mail.to + mail.cc + mail.bcc).joined(separator: ", "),
                            "subject": mail.subject.isEmpty ? "(no subject)" : mail.subject, "href": "/admin/mailbox/\(mail.id)",
                            "origin": mail.origin,
                        ]
                    },
                    "mailCount": mails.count, "hasMails": !mails.isEmpty,
                    "sms": texts.reversed().map { sms -> [String: Any] in
                        ["time": Self.isoTime(sms.timestamp), "phone": sms.phoneNumber, "message": sms.message, "topic": sms.topicArn ?? ""]
                    },
                    "hasSMS": !texts.isEmpty,
                ]
                return render("mailbox", title: "Mailbox", context: context, request: request, nav: "mailbox")
            case ("mailbox", 2):
                guard let mail = try await notify.mailbox.mails(id: String(segments[1])).first else {
                    return notFound(request, "There is no such mail (it may have been deleted).")
                }
                var headers: [(String, String)] = [("From", mail.source), ("To", mail.to.joined(separator: ", "))]
                if !mail.cc.isEmpty { headers.append(("Cc", mail.cc.joined(separator: ", "))) }
                if !mail.bcc.isEmpty { headers.append(("Bcc", mail.bcc.joined(separator: ", "))) }
                if !mail.replyTo.isEmpty { headers.append(("Reply-To", mail.replyTo.joined(separator: ", "))) }
                headers += [("Date", Self.isoTime(mail.timestamp)), ("Source", mail.origin), ("Message id", mail.id)]
                var context: [String: Any] = [
                    "subject": mail.subject.isEmpty ? "(no subject)" : mail.subject, "headers": headers.map { ["name": $0.0, "value": $0.1] },
                    "raw": mail.raw, "deleteAction": "/admin/mailbox/\(mail.id)/delete",
                ]
                if let html = mail.html { context["html"] = html }
                if let text = mail.text { context["text"] = text }
                return render("mail", title: mail.subject, context: context, request: request, nav: "mailbox")
            default:
                return notFound(request, "There is no admin page at this address.")
            }
        } catch {
            return failure(request, status: .internalServerError, "\(error)")
        }
    }

    /// Publishes from a topic page's form, or deletes mail.
    func notifyAction(_ request: AdminRequest) async -> Outcome? {
        guard let notify else { return nil }
        let segments = request.segments
        switch (segments.first, segments.count) {
        case ("topics", 5) where segments[4] == "publish":
            guard let topic = try? await topic(notify, segments) else { return nil }
            let location = Self.topicPath(topic)
            var attributes: [String: MessageAttributeValue] = [:]
            if let text = request.field("attributes") {
                guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else {
                    return Outcome(result: AdminAPI.Result(ok: false, message: "Attributes must be a JSON object."), location: location, status: .badRequest)
                }
                for (name, value) in object {
                    if case .number = value {
                        attributes[name] = .number(value.text)
                    } else {
                        attributes[name] = .string(value.stringValue ?? value.text)
                    }
                }
            }
            let context = RequestContext(
                account: topic.account, region: topic.region, baseURL: "http://\(defaults.authority)", senderID: topic.account,
                requestID: UUID().uuidString.lowercased())
            do {
                let result = try await notify.sns.publish(
                    PublishInput(
                        topicArn: topic.arn, message: request.form["message"] ?? "", subject: request.field("subject"), attributes: attributes,
                        messageGroupID: request.field("groupId"), deduplicationID: request.field("deduplicationId")), context: context)
                return Outcome(result: AdminAPI.Result(ok: true, message: "Published message \(result.messageID).", messageId: result.messageID), location: location)
            } catch {
                return Outcome(result: AdminAPI.Result(ok: false, message: error.message), location: location, status: .badRequest)
            }
        case ("mailbox", 2) where segments[1] == "delete":
            let deleted = (try? await notify.mailbox.deleteMails()) ?? 0
            return Outcome(result: AdminAPI.Result(ok: true, message: "Deleted \(deleted) mail(s)."), location: "/admin/mailbox")
        case ("mailbox", 3) where segments[2] == "delete":
            let deleted = (try? await notify.mailbox.deleteMails(id: String(segments[1]))) ?? 0
            return Outcome(
                result: AdminAPI.Result(ok: deleted > 0, message: deleted > 0 ? "Mail deleted." : "The mail was already gone."), location: "/admin/mailbox")
        default:
            return nil
        }
    }

    /// `/admin/topics/<region>/<account>/<name>`.
    static func topicPath(_ topic: Topic) -> String {
        "/admin/topics/\(topic.region)/\(topic.account)/\(topic.name)"
    }

    private func topic(_ notify: AdminNotify, _ segments: [Substring]) async throws -> Topic? {
        let arn = SNSArn.topic(region: String(segments[1]), account: String(segments[2]), name: String(segments[3]))
        return try await notify.store.topics().first { $0.arn == arn }
    }

    private func deliveriesContext(_ notify: AdminNotify, topicArn: String?) async throws -> [String: Any] {
        let entries = try await notify.store.recentDeliveries().filter { topicArn == nil || $0.topicArn == topicArn }.prefix(50)
        return [
            "hasDeliveries": !entries.isEmpty,
            "deliveries": entries.map { entry -> [String: Any] in
                [
                    "time": Self.isoTime(entry.time), "topic": entry.topicArn.split(separator: ":").last.map(String.init) ?? entry.topicArn,
                    "protocol": entry.protocol, "endpoint": entry.endpoint, "status": entry.status.rawValue,
                    "statusClass": entry.status == .delivered ? "success" : "failure", "attempts": entry.attempts, "detail": entry.detail,
                ]
            },
        ]
    }
}
