import Foundation
import SQSEngine

/// SES v2: the REST-JSON API under `/v2/email/` (signing name `ses`): SendEmail with Simple,
/// Raw and Template content, email identities, email templates, the account's quota.
public struct SESRestHandler: Sendable {
    /// The path prefix of every SES v2 operation.
    public static let prefix = "/v2/email/"

    let service: SESService

    /// Creates the handler.
    public init(service: SESService) {
        self.service = service
    }

    /// Whether a request path belongs to SES v2.
    public static func handles(path: Substring) -> Bool {
        path.hasPrefix(prefix)
    }

    /// An answer: status, headers and JSON body.
    public struct Answer: Sendable {
        public var status: Int
        public var headers: [(name: String, value: String)]
        public var body: String
    }

    /// Handles one request.
    public func handle(method: String, path: Substring, body: [UInt8], region: String) async -> Answer {
        let segments = path.dropFirst(Self.prefix.count).split(separator: "/", omittingEmptySubsequences: false).map {
            $0.removingPercentEncoding ?? String($0)
        }
        let input: [String: JSONValue]
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            input = [:]
        } else if case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(body)) {
            input = object
        } else {
            return Self.error(SESError(code: "BadRequestException", message: "The request body is not a JSON object."))
        }
        do throws(SESError) {
            let output = try await route(method: method, segments: segments, input: input, region: region)
            return Answer(status: 200, headers: [("Content-Type", "application/json")], body: Self.encode(.object(output)))
        } catch {
            return Self.error(error)
        }
    }

    private func route(method: String, segments: [String], input: [String: JSONValue], region: String) async throws(SESError) -> [String: JSONValue] {
        switch (method, segments.first ?? "", segments.count) {
        case ("POST", "outbound-emails", 1):
            return ["MessageId": .string(try await sendEmail(input, region: region))]
        case ("POST", "identities", 1):
            let name = try Self.string(input, "EmailIdentity")
            if try await service.identities(region: region).contains(where: { $0.identity.lowercased() == name.lowercased() }) {
                throw SESError(code: "AlreadyExistsException", message: "Email identity \(name) already exist.")
            }
            let isDomain = !name.contains("@")
            if isDomain { _ = try await service.verifyDomain(name, region: region) } else { try await service.verifyEmail(name, region: region) }
            return [
                "IdentityType": .string(isDomain ? "DOMAIN" : "EMAIL_ADDRESS"), "VerifiedForSendingStatus": .bool(true),
                "DkimAttributes": .object(["SigningEnabled": .bool(false), "Status": .string("NOT_STARTED"), "Tokens": .array([])]),
            ]
        case ("GET", "identities", 1), ("POST", "list-identities", 1):
            let identities = try await service.identities(region: region)
            return [
                "EmailIdentities": .array(
                    identities.map {
                        .object([
                            "IdentityType": .string($0.type == "Domain" ? "DOMAIN" : "EMAIL_ADDRESS"), "IdentityName": .string($0.identity),
                            "SendingEnabled": .bool(true), "VerificationStatus": .string("SUCCESS"),
                        ])
                    })
            ]
        case ("GET", "identities", 2):
            guard let identity = try await service.identities(region: region).first(where: { $0.identity.lowercased() == segments[1].lowercased() })
            else { throw SESError(code: "NotFoundException", status: 404, message: "Email identity \(segments[1]) does not exist.") }
            return [
                "IdentityType": .string(identity.type == "Domain" ? "DOMAIN" : "EMAIL_ADDRESS"), "FeedbackForwardingStatus": .bool(true),
                "VerifiedForSendingStatus": .bool(true), "VerificationStatus": .string("SUCCESS"),
                "DkimAttributes": .object(["SigningEnabled": .bool(false), "Status": .string("NOT_STARTED")]),
                "Tags": .array([]),
            ]
        case ("DELETE", "identities", 2):
            guard try await service.identities(region: region).contains(where: { $0.identity.lowercased() == segments[1].lowercased() }) else {
                throw SESError(code: "NotFoundException", status: 404, message: "Email identity \(segments[1]) does not exist.")
            }
            try await service.deleteIdentity(segments[1], region: region)
            return [:]
        case ("POST", "templates", 1):
            let name = try Self.string(input, "TemplateName")
            if try await service.template(name, region: region) != nil {
                throw SESError(code: "AlreadyExistsException", message: "Template \(name) already exists.")
            }
            try await service.saveTemplate(try Self.template(name, input["TemplateContent"], region: region, now: service.now()))
            return [:]
        case ("PUT", "templates", 2):
            guard let existing = try await service.template(segments[1], region: region) else { throw Self.noTemplate(segments[1]) }
            try await service.saveTemplate(try Self.template(segments[1], input["TemplateContent"], region: region, now: existing.createdAt))
            return [:]
        case ("GET", "templates", 1):
            return [
                "TemplatesMetadata": .array(
                    try await service.templates(region: region).map {
                        .object(["TemplateName": .string($0.name), "CreatedTimestamp": .number(Double($0.createdAt) / 1000)])
                    })
            ]
        case ("GET", "templates", 2):
            guard let template = try await service.template(segments[1], region: region) else { throw Self.noTemplate(segments[1]) }
            var content: [String: JSONValue] = ["Subject": .string(template.subject)]
            if let text = template.text { content["Text"] = .string(text) }
            if let html = template.html { content["Html"] = .string(html) }
            return ["TemplateName": .string(template.name), "TemplateContent": .object(content)]
        case ("DELETE", "templates", 2):
            guard try await service.template(segments[1], region: region) != nil else { throw Self.noTemplate(segments[1]) }
            try await service.deleteTemplate(segments[1], region: region)
            return [:]
        case ("GET", "account", 1):
            let sent = try await service.sentLast24Hours(region: region)
            return [
                "SendQuota": .object([
                    "Max24HourSend": .number(Double(SESService.max24HourSend)), "MaxSendRate": .number(Double(SESService.maxSendRate)),
                    "SentLast24Hours": .number(Double(sent)),
                ]),
                "SendingEnabled": .bool(true), "ProductionAccessEnabled": .bool(false), "EnforcementStatus": .string("HEALTHY"),
                "DedicatedIpAutoWarmupEnabled": .bool(false),
            ]
        default:
            throw SESError(code: "NotFoundException", status: 404, message: "No SES v2 operation for \(method) /v2/email/\(segments.joined(separator: "/")).")
        }
    }

    /// SendEmail: `Content.Simple`, `Content.Raw` or `Content.Template`.
    private func sendEmail(_ input: [String: JSONValue], region: String) async throws(SESError) -> String {
        guard case .object(let content)? = input["Content"] else { throw SESError.missing("content") }
        let destination: [String: JSONValue]
        if case .object(let value)? = input["Destination"] { destination = value } else { destination = [:] }
        func addresses(_ value: JSONValue?) -> [String] {
            guard case .array(let items)? = value else { return [] }
            return items.compactMap(\.stringValue)
        }
        let to = addresses(destination["ToAddresses"])
        let cc = addresses(destination["CcAddresses"])
        let bcc = addresses(destination["BccAddresses"])
        let replyTo = addresses(input["ReplyToAddresses"])
        let from = input["FromEmailAddress"]?.stringValue
        if case .object(let raw)? = content["Raw"] {
            guard let data = raw["Data"]?.stringValue else { throw SESError.missing("content.raw.data") }
            let text = Data(base64Encoded: data).map { String(decoding: $0, as: UTF8.self) } ?? data
            return try await service.sendRaw(text, source: from, destinations: to + cc + bcc, region: region)
        }
        guard let from, !from.isEmpty else { throw SESError(code: "BadRequestException", message: "Missing required parameter FromEmailAddress.") }
        if case .object(let simple)? = content["Simple"] {
            let body: [String: JSONValue]
            if case .object(let value)? = simple["Body"] { body = value } else { body = [:] }
            let outgoing = SESService.Outgoing(
                source: from, to: to, cc: cc, bcc: bcc, replyTo: replyTo, subject: simple["Subject"]?["Data"]?.stringValue ?? "",
                text: body["Text"]?["Data"]?.stringValue, html: body["Html"]?["Data"]?.stringValue)
            return try await service.send(outgoing, region: region)
        }
        if case .object(let templated)? = content["Template"] {
            let name = templated["TemplateName"]?.stringValue ?? templated["TemplateArn"]?.stringValue.map { String($0.split(separator: "/").last ?? "") } ?? ""
            let template: MailTemplate
            if let stored = try await service.template(name, region: region) {
                template = stored
            } else if case .object(let inline)? = templated["TemplateContent"] {
                template = MailTemplate(
                    region: region, name: "", subject: inline["Subject"]?.stringValue ?? "", text: inline["Text"]?.stringValue,
                    html: inline["Html"]?.stringValue, createdAt: 0)
            } else {
                throw Self.noTemplate(name)
            }
            let data = Self.templateData(templated["TemplateData"]?.stringValue ?? "{}")
            let outgoing = SESService.Outgoing(
                source: from, to: to, cc: cc, bcc: bcc, replyTo: replyTo, subject: SESService.render(template.subject, data: data) ?? "",
                text: SESService.render(template.text, data: data), html: SESService.render(template.html, data: data))
            return try await service.send(outgoing, region: region)
        }
        throw SESError(code: "BadRequestException", message: "Content must have one of Simple, Raw or Template.")
    }

    // MARK: - Helpers

    /// Template data: a JSON object whose scalar values replace `{{name}}`.
    static func templateData(_ json: String) -> [String: String] {
        guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(json.utf8)) else { return [:] }
        return object.compactMapValues { value in
            switch value {
            case .string(let text): text
            case .number, .bool: value.text
            default: nil
            }
        }
    }

    static func template(_ name: String, _ content: JSONValue?, region: String, now: Int64) throws(SESError) -> MailTemplate {
        guard case .object(let content)? = content else { throw SESError.missing("templateContent") }
        return MailTemplate(
            region: region, name: name, subject: content["Subject"]?.stringValue ?? "", text: content["Text"]?.stringValue,
            html: content["Html"]?.stringValue, createdAt: now)
    }

    static func string(_ input: [String: JSONValue], _ name: String) throws(SESError) -> String {
        guard let value = input[name]?.stringValue, !value.isEmpty else { throw SESError.missing(name) }
        return value
    }

    static func noTemplate(_ name: String) -> SESError {
        SESError(code: "NotFoundException", status: 404, message: "Template \(name) does not exist.")
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    static func encode(_ value: JSONValue) -> String {
        (try? Self.encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    static func error(_ error: SESError) -> Answer {
        Answer(
            status: error.status, headers: [("Content-Type", "application/json"), ("x-amzn-ErrorType", error.v2Type)],
            body: encode(.object(["message": .string(error.message)])))
    }
}

extension JSONValue {
    fileprivate subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }
}
