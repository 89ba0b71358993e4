import Foundation
import SQSEngine

/// The mailbox over HTTP, in LocalStack's shapes so existing test helpers work:
/// - `GET /_aws/ses` (`?email=<sender>`, `?id=<message id>`): `{"messages": [{"Id", "Region",
///   "Source", "Destination": {"ToAddresses", …}, "Subject", "Body": {"text_part", "html_part"},
///   "RawData", "Timestamp"}]}`; `DELETE /_aws/ses` (`?id=`) empties it.
/// - `GET /_aws/sns/sms-messages` (`?phoneNumber=`): `{"sms_messages": {"<phone>": […]},
///   "region": …}`; `DELETE` likewise.
public struct MailboxAPI: Sendable {
    /// The mails' path.
    public static let sesPath = "/_aws/ses"
    /// The text messages' path.
    public static let smsPath = "/_aws/sns/sms-messages"

    let store: MailStore
    let region: String

    /// Creates the API over the mailbox; `region` is what the SMS answer reports by default.
    public init(store: MailStore, region: String) {
        self.store = store
        self.region = region
    }

    /// Whether a path is one of the mailbox's.
    public static func handles(path: Substring) -> Bool {
        path == sesPath || path == sesPath + "/" || path == smsPath || path == smsPath + "/"
    }

    /// Answers one request: status and JSON body (empty for 204).
    public func handle(method: String, path: Substring, query: [String: String]) async -> (status: Int, json: String) {
        let isSMS = path.hasPrefix(Self.smsPath)
        do {
            switch (method, isSMS) {
            case ("GET", false):
                let mails = try await store.mails(source: query["email"].flatMap { $0.isEmpty ? nil : $0 }, id: query["id"].flatMap { $0.isEmpty ? nil : $0 })
                return (200, Self.encode(.object(["messages": .array(mails.map(Self.json))])))
            case ("DELETE", false):
                try await store.deleteMails(id: query["id"].flatMap { $0.isEmpty ? nil : $0 })
                return (204, "")
            case ("GET", true):
                let phone = query["phoneNumber"].flatMap { $0.isEmpty ? nil : $0 }
                var grouped: [String: JSONValue] = [:]
                for sms in try await store.textMessages(phoneNumber: phone) {
                    var list: [JSONValue] = []
                    if case .array(let existing)? = grouped[sms.phoneNumber] { list = existing }
                    list.append(Self.json(sms))
                    grouped[sms.phoneNumber] = .array(list)
                }
                if let phone, grouped[phone] == nil { grouped[phone] = .array([]) }
                return (200, Self.encode(.object(["sms_messages": .object(grouped), "region": .string(query["region"] ?? region)])))
            case ("DELETE", true):
                try await store.deleteTextMessages(phoneNumber: query["phoneNumber"].flatMap { $0.isEmpty ? nil : $0 })
                return (204, "")
            default:
                return (405, Self.encode(.object(["error": .string("Method not allowed")])))
            }
        } catch {
            return (500, Self.encode(.object(["error": .string("\(error)")])))
        }
    }

    /// A mail in LocalStack's shape (plus `Origin`: `SES` or the SNS topic).
    public static func json(_ mail: MailMessage) -> JSONValue {
        var destination: [String: JSONValue] = ["ToAddresses": .array(mail.to.map(JSONValue.string))]
        if !mail.cc.isEmpty { destination["CcAddresses"] = .array(mail.cc.map(JSONValue.string)) }
        if !mail.bcc.isEmpty { destination["BccAddresses"] = .array(mail.bcc.map(JSONValue.string)) }
        var body: [String: JSONValue] = [:]
        if let text = mail.text { body["text_part"] = .string(text) }
        if let html = mail.html { body["html_part"] = .string(html) }
        return .object([
            "Id": .string(mail.id), "Region": .string(mail.region), "Source": .string(mail.source), "Destination": .object(destination),
            "Subject": .string(mail.subject), "Body": .object(body), "RawData": .string(mail.raw),
            "Timestamp": .string(ISOTimestamp.string(milliseconds: mail.timestamp)), "Origin": .string(mail.origin),
        ])
    }

    static func json(_ sms: SMSMessage) -> JSONValue {
        .object([
            "PhoneNumber": .string(sms.phoneNumber), "TopicArn": sms.topicArn.map(JSONValue.string) ?? .null,
            "SubscriptionArn": sms.subscriptionArn.map(JSONValue.string) ?? .null, "MessageId": .string(sms.messageID),
            "Message": .string(sms.message), "Subject": sms.subject.map(JSONValue.string) ?? .null,
            "Timestamp": .string(ISOTimestamp.string(milliseconds: sms.timestamp)),
        ])
    }

    static func encode(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
