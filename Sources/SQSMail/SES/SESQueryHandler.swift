import Foundation
import SQSProtocol

/// SES v1: the Query protocol (`Action=SendEmail&Version=2010-12-01`, signing name `ses`),
/// XML answers, errors as `<ErrorResponse>`.
public struct SESQueryHandler: Sendable {
    static let namespace = "http://ses.amazonaws.com/doc/2010-12-01/"
    /// The API version SES v1 clients send (`Version=2010-12-01`).
    public static let apiVersion = "2010-12-01"
    /// The actions served.
    public static let actions: Set<String> = [
        "SendEmail", "SendRawEmail", "SendTemplatedEmail", "VerifyEmailIdentity", "VerifyEmailAddress", "VerifyDomainIdentity", "ListIdentities",
        "ListVerifiedEmailAddresses", "DeleteIdentity", "DeleteVerifiedEmailAddress", "GetSendQuota", "GetIdentityVerificationAttributes",
    ]

    let service: SESService

    /// Creates the handler.
    public init(service: SESService) {
        self.service = service
    }

    /// Handles one request.
    public func handle(parameters p: QueryParameters, region: String, requestID: String) async -> ProtocolResponse {
        let action = p["Action"] ?? ""
        guard Self.actions.contains(action) else {
            return Self.error(SESError(code: "InvalidAction", message: "The action \(action) is not valid for this web service."), requestID: requestID)
        }
        do throws(SESError) {
            var w = XMLWriter()
            w.raw(#"<?xml version="1.0"?>"#)
            w.raw("<\(action)Response xmlns=\"\(Self.namespace)\">")
            let result = "\(action)Result"
            switch action {
            case "SendEmail":
                let outgoing = SESService.Outgoing(
                    source: try Self.required(p, "Source"), to: p.list("Destination.ToAddresses.member") ?? [],
                    cc: p.list("Destination.CcAddresses.member") ?? [], bcc: p.list("Destination.BccAddresses.member") ?? [],
                    replyTo: p.list("ReplyToAddresses.member") ?? [], subject: p["Message.Subject.Data"] ?? "",
                    text: p["Message.Body.Text.Data"], html: p["Message.Body.Html.Data"])
                let id = try await service.send(outgoing, region: region)
                w.element(result) { $0.element("MessageId", id) }
            case "SendRawEmail":
                let data = try Self.required(p, "RawMessage.Data")
                let raw = Data(base64Encoded: data).map { String(decoding: $0, as: UTF8.self) } ?? data
                let id = try await service.sendRaw(raw, source: p["Source"], destinations: p.list("Destinations.member") ?? [], region: region)
                w.element(result) { $0.element("MessageId", id) }
            case "SendTemplatedEmail":
                let name = try Self.required(p, "Template")
                guard let template = try await service.template(name, region: region) else {
                    throw SESError(code: "TemplateDoesNotExist", message: "Template \(name) does not exist.")
                }
                let data = SESRestHandler.templateData(p["TemplateData"] ?? "{}")
                let outgoing = SESService.Outgoing(
                    source: try Self.required(p, "Source"), to: p.list("Destination.ToAddresses.member") ?? [],
                    cc: p.list("Destination.CcAddresses.member") ?? [], bcc: p.list("Destination.BccAddresses.member") ?? [],
                    replyTo: p.list("ReplyToAddresses.member") ?? [], subject: SESService.render(template.subject, data: data) ?? "",
                    text: SESService.render(template.text, data: data), html: SESService.render(template.html, data: data))
                let id = try await service.send(outgoing, region: region)
                w.element(result) { $0.element("MessageId", id) }
            case "VerifyEmailIdentity", "VerifyEmailAddress":
                try await service.verifyEmail(try Self.required(p, "EmailAddress"), region: region)
                if action == "VerifyEmailIdentity" { w.element(result) { _ in } }
            case "VerifyDomainIdentity":
                let token = try await service.verifyDomain(try Self.required(p, "Domain"), region: region)
                w.element(result) { $0.element("VerificationToken", token) }
            case "ListIdentities", "ListVerifiedEmailAddresses":
                let type = p["IdentityType"]
                let identities = try await service.identities(region: region).filter {
                    action == "ListVerifiedEmailAddresses" ? $0.type == "EmailAddress" : type == nil || $0.type == type
                }
                w.element(result) { r in
                    r.element(action == "ListIdentities" ? "Identities" : "VerifiedEmailAddresses") { list in
                        for identity in identities { list.element("member", identity.identity) }
                    }
                }
            case "DeleteIdentity", "DeleteVerifiedEmailAddress":
                try await service.deleteIdentity(try Self.required(p, action == "DeleteIdentity" ? "Identity" : "EmailAddress"), region: region)
                if action == "DeleteIdentity" { w.element(result) { _ in } }
            case "GetSendQuota":
                let sent = try await service.sentLast24Hours(region: region)
                w.element(result) { r in
                    r.element("Max24HourSend", "\(SESService.max24HourSend).0")
                    r.element("MaxSendRate", "\(SESService.maxSendRate).0")
                    r.element("SentLast24Hours", "\(sent).0")
                }
            default:  // GetIdentityVerificationAttributes
                let known = Dictionary(try await service.identities(region: region).map { ($0.identity, $0) }) { first, _ in first }
                w.element(result) { r in
                    r.element("VerificationAttributes") { list in
                        for name in p.list("Identities.member") ?? [] {
                            guard let identity = known[name] else { continue }
                            list.element("entry") { e in
                                e.element("key", name)
                                e.element("value") { v in
                                    v.element("VerificationStatus", "Success")
                                    v.element("VerificationToken", identity.verificationToken)
                                }
                            }
                        }
                    }
                }
            }
            w.element("ResponseMetadata") { $0.element("RequestId", requestID) }
            w.close("\(action)Response")
            return ProtocolResponse(status: 200, contentType: "text/xml", body: w.bytes)
        } catch {
            return Self.error(error, requestID: requestID)
        }
    }

    static func required(_ p: QueryParameters, _ name: String) throws(SESError) -> String {
        guard let value = p[name], !value.isEmpty else { throw SESError.missing(name) }
        return value
    }

    /// An error as SES v1 writes it.
    public static func error(_ error: SESError, requestID: String) -> ProtocolResponse {
        var w = XMLWriter()
        w.raw(#"<?xml version="1.0"?>"#)
        w.raw("<ErrorResponse xmlns=\"\(namespace)\">")
        w.element("Error") { e in
            e.element("Type", error.status >= 500 ? "Receiver" : "Sender")
            e.element("Code", error.code)
            e.element("Message", error.message)
        }
        w.element("RequestId", requestID)
        w.close("ErrorResponse")
        return ProtocolResponse(status: error.status, contentType: "text/xml", body: w.bytes)
    }
}
