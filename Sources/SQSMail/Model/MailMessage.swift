/// One email in the local mailbox: sent through SES, or delivered by SNS to an `email` or
/// `email-json` subscription. Nothing ever leaves the machine.
public struct MailMessage: Sendable, Codable, Equatable {
    public var id: String
    public var region: String
    /// The sender (`From`, or SES's `Source`).
    public var source: String
    public var to: [String]
    public var cc: [String]
    public var bcc: [String]
    public var replyTo: [String]
    public var subject: String
    /// The plain-text part.
    public var text: String?
    /// The HTML part.
    public var html: String?
    /// The whole message in MIME form.
    public var raw: String
    /// Epoch milliseconds.
    public var timestamp: Int64
    /// Where it came from: `SES`, or the ARN of the SNS topic.
    public var origin: String

    public init(
        id: String, region: String, source: String, to: [String], cc: [String] = [], bcc: [String] = [], replyTo: [String] = [], subject: String,
        text: String?, html: String?, raw: String, timestamp: Int64, origin: String
    ) {
        self.id = id
        self.region = region
        self.source = source
        self.to = to
        self.cc = cc
        self.bcc = bcc
        self.replyTo = replyTo
        self.subject = subject
        self.text = text
        self.html = html
        self.raw = raw
        self.timestamp = timestamp
        self.origin = origin
    }
}

/// One text message delivered by SNS (an `sms` subscription, or Publish to a phone number).
public struct SMSMessage: Sendable, Codable, Equatable {
    public var id: String
    public var region: String
    public var phoneNumber: String
    public var message: String
    public var messageID: String
    public var topicArn: String?
    public var subscriptionArn: String?
    public var subject: String?
    /// Epoch milliseconds.
    public var timestamp: Int64

    public init(
        id: String, region: String, phoneNumber: String, message: String, messageID: String, topicArn: String?, subscriptionArn: String?,
        subject: String?, timestamp: Int64
    ) {
        self.id = id
        self.region = region
        self.phoneNumber = phoneNumber
        self.message = message
        self.messageID = messageID
        self.topicArn = topicArn
        self.subscriptionArn = subscriptionArn
        self.subject = subject
        self.timestamp = timestamp
    }
}

/// A verified (or pending) SES identity: an email address or a domain.
public struct MailIdentity: Sendable, Codable, Equatable {
    public var region: String
    public var identity: String
    /// `EmailAddress` or `Domain`.
    public var type: String
    /// Epoch milliseconds.
    public var createdAt: Int64
    /// The domain's verification token (domains).
    public var verificationToken: String?
}

/// An SES email template (`{{name}}` placeholders).
public struct MailTemplate: Sendable, Codable, Equatable {
    public var region: String
    public var name: String
    public var subject: String
    public var text: String?
    public var html: String?
    /// Epoch milliseconds.
    public var createdAt: Int64
}
