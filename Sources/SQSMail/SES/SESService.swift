import Foundation

/// SES over the ``MailStore``: identities, templates and sending, shared by the v1 (Query) and
/// v2 (REST-JSON) codecs. Every mail sent lands in the local mailbox; nothing leaves the machine.
///
/// Like SES's sandbox, sending needs a verified sender (the address, or its domain) unless
/// `allowUnverified` is set (`--ses-allow-unverified`).
public struct SESService: Sendable {
    let store: MailStore
    /// Whether senders need no verification.
    public let allowUnverified: Bool
    let now: @Sendable () -> Int64

    /// The quota SES's sandbox starts with.
    public static let max24HourSend = 200
    public static let maxSendRate = 1

    /// Creates the service.
    public init(store: MailStore, allowUnverified: Bool, now: @escaping @Sendable () -> Int64) {
        self.store = store
        self.allowUnverified = allowUnverified
        self.now = now
    }

    /// A mail to send.
    public struct Outgoing: Sendable {
        public var source: String
        public var to: [String]
        public var cc: [String]
        public var bcc: [String]
        public var replyTo: [String]
        public var subject: String
        public var text: String?
        public var html: String?
        /// The MIME message for raw sends (headers and parts are read from it).
        public var raw: String?

        public init(
            source: String, to: [String], cc: [String] = [], bcc: [String] = [], replyTo: [String] = [], subject: String = "", text: String? = nil,
            html: String? = nil, raw: String? = nil
        ) {
            self.source = source
            self.to = to
            self.cc = cc
            self.bcc = bcc
            self.replyTo = replyTo
            self.subject = subject
            self.text = text
            self.html = html
            self.raw = raw
        }
    }

    /// Sends a mail into the mailbox; returns its SES message id.
    public func send(_ outgoing: Outgoing, region: String) async throws(SESError) -> String {
        guard !outgoing.source.isEmpty else { throw SESError.invalidParameter("Missing final '@domain'") }
        let sender = MIMEParser.addressList(outgoing.source).first ?? outgoing.source
        guard sender.contains("@") else { throw SESError.invalidParameter("Missing final '@domain'") }
        let recipients = outgoing.to + outgoing.cc + outgoing.bcc
        guard !recipients.isEmpty else { throw SESError.invalidParameter("Missing required header 'To'.") }
        guard recipients.count <= 50 else { throw SESError.invalidParameter("Recipient count exceeds 50.") }
        if !allowUnverified {
            let verified = try await isVerified(sender, region: region)
            if !verified { throw SESError.notVerified([sender], region: region) }
        }
        let id = Self.messageID(now: now())
        let time = now()
        let raw =
            outgoing.raw
            ?? MIMEBuilder.build(
                from: outgoing.source, to: outgoing.to, cc: outgoing.cc, replyTo: outgoing.replyTo, subject: outgoing.subject, text: outgoing.text,
                html: outgoing.html, messageID: id, timestamp: time)
        let mail = MailMessage(
            id: id, region: region, source: outgoing.source, to: outgoing.to, cc: outgoing.cc, bcc: outgoing.bcc, replyTo: outgoing.replyTo,
            subject: outgoing.subject, text: outgoing.text, html: outgoing.html, raw: raw, timestamp: time, origin: "SES")
        do { try await store.deliver(mail) } catch { throw SESError.storage(error) }
        return id
    }

    /// Sends a raw MIME message: the sender from `source` or `From`, the recipients from
    /// `destinations` or the `To`, `Cc` and `Bcc` headers.
    public func sendRaw(_ raw: String, source: String?, destinations: [String], region: String) async throws(SESError) -> String {
        let parsed = MIMEParser(raw)
        guard let from = source.flatMap({ $0.isEmpty ? nil : $0 }) ?? parsed.header("from") else {
            throw SESError.invalidParameter("Missing required header 'From'.")
        }
        let to = destinations.isEmpty ? parsed.addresses("to") : destinations
        let outgoing = Outgoing(
            source: from, to: to, cc: destinations.isEmpty ? parsed.addresses("cc") : [], bcc: destinations.isEmpty ? parsed.addresses("bcc") : [],
            replyTo: parsed.addresses("reply-to"), subject: parsed.header("subject") ?? "", text: parsed.text, html: parsed.html, raw: raw)
        return try await send(outgoing, region: region)
    }

    /// Whether `address` (or its domain) is a verified identity of the region.
    func isVerified(_ address: String, region: String) async throws(SESError) -> Bool {
        let identities = try await identities(region: region)
        let lowered = address.lowercased()
        let domain = lowered.split(separator: "@").last.map(String.init) ?? ""
        return identities.contains { $0.identity.lowercased() == lowered || ($0.type == "Domain" && $0.identity.lowercased() == domain) }
    }

    // MARK: - Identities

    /// Verifies an address at once (there is no mail to click locally).
    public func verifyEmail(_ address: String, region: String) async throws(SESError) {
        guard address.contains("@") else { throw SESError.invalidParameter("Invalid email address<\(address)>.") }
        try await save(MailIdentity(region: region, identity: address, type: "EmailAddress", createdAt: now(), verificationToken: nil))
    }

    /// Verifies a domain at once; returns its verification token.
    public func verifyDomain(_ domain: String, region: String) async throws(SESError) -> String {
        guard domain.contains("."), !domain.contains("@") else { throw SESError.invalidParameter("Invalid domain name <\(domain)>.") }
        let token = Data(UUID().uuidString.utf8).base64EncodedString().filter { $0.isLetter || $0.isNumber }
        try await save(MailIdentity(region: region, identity: domain, type: "Domain", createdAt: now(), verificationToken: token))
        return token
    }

    public func identities(region: String) async throws(SESError) -> [MailIdentity] {
        do { return try await store.perform { try $0.identities(region: region) } } catch { throw SESError.storage(error) }
    }

    public func deleteIdentity(_ identity: String, region: String) async throws(SESError) {
        do { try await store.perform { try $0.deleteIdentity(region: region, identity: identity) } } catch { throw SESError.storage(error) }
    }

    private func save(_ identity: MailIdentity) async throws(SESError) {
        do { try await store.perform { try $0.save(identity) } } catch { throw SESError.storage(error) }
    }

    // MARK: - Templates

    public func templates(region: String) async throws(SESError) -> [MailTemplate] {
        do { return try await store.perform { try $0.templates(region: region) } } catch { throw SESError.storage(error) }
    }

    public func template(_ name: String, region: String) async throws(SESError) -> MailTemplate? {
        try await templates(region: region).first { $0.name == name }
    }

    public func saveTemplate(_ template: MailTemplate) async throws(SESError) {
        do { try await store.perform { try $0.save(template) } } catch { throw SESError.storage(error) }
    }

    public func deleteTemplate(_ name: String, region: String) async throws(SESError) {
        do { try await store.perform { try $0.deleteTemplate(region: region, name: name) } } catch { throw SESError.storage(error) }
    }

    /// Replaces `{{name}}` (and `{{ name }}`) with the template data's values.
    public static func render(_ text: String?, data: [String: String]) -> String? {
        guard var text else { return nil }
        var result = ""
        while let open = text.range(of: "{{") {
            result += text[..<open.lowerBound]
            guard let close = text[open.upperBound...].range(of: "}}") else {
                result += text[open.lowerBound...]
                text = ""
                break
            }
            let key = text[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            result += data[key] ?? ""
            text = String(text[close.upperBound...])
        }
        return result + text
    }

    /// Mails sent in the last 24 hours (GetSendQuota).
    public func sentLast24Hours(region: String) async throws(SESError) -> Int {
        let since = now() - 86_400_000
        do {
            return try await store.mails().filter { $0.origin == "SES" && $0.region == region && $0.timestamp >= since }.count
        } catch { throw SESError.storage(error) }
    }

    /// An SES-shaped message id: `0100` + the time in hex, a UUID, `-000000`.
    static func messageID(now: Int64) -> String {
        "0100" + String(now, radix: 16) + "-" + UUID().uuidString.lowercased() + "-000000"
    }
}
