import FoundationEssentials
import SQSMail

/// Delivers `email`, `email-json` and `sms` subscriptions into the local mailbox: the
/// subscription confirmation mail with its working confirm link, notifications as SNS words
/// them (with the unsubscribe link), `email-json` as the JSON envelope, text messages as they are.
public struct MailboxDelivery: DeliveryTransport {
    let mailbox: MailStore
    let links: SNSLinks

    /// The sender of SNS mails.
    static let sender = "no-reply@sns.amazonaws.com"

    /// Creates the transport over the mailbox.
    public init(mailbox: MailStore, links: SNSLinks) {
        self.mailbox = mailbox
        self.links = links
    }

    public func deliver(_ delivery: DeliveryContext) async -> DeliveryAttemptResult {
        let message = delivery.message
        let subscription = delivery.subscription
        let region = SNSArn.parts(message.topicArn).map { String($0[3]) } ?? ""
        do {
            if subscription.protocol == .sms {
                try await mailbox.deliver(
                    SMSMessage(
                        id: UUID().uuidString.lowercased(), region: region, phoneNumber: subscription.endpoint,
                        message: message.content(for: "sms"), messageID: message.id, topicArn: message.topicArn, subscriptionArn: subscription.arn,
                        subject: message.subject, timestamp: message.timestamp))
                return .delivered("text message stored")
            }
            let mail = self.mail(for: delivery, region: region)
            try await mailbox.deliver(mail)
            return .delivered("mail \(mail.id) stored")
        } catch {
            return .failed("\(error)")
        }
    }

    /// The mail SNS sends for this delivery.
    func mail(for delivery: DeliveryContext, region: String) -> MailMessage {
        let message = delivery.message
        let subscription = delivery.subscription
        let displayName = delivery.topic?.attributes["DisplayName"].flatMap { $0.isEmpty ? nil : $0 } ?? "AWS Notifications"
        let from = "\"\(displayName)\" <\(Self.sender)>"
        let subject: String
        var text: String
        var html: String?
        if message.kind == .subscriptionConfirmation, let token = message.token {
            let link = links.subscribeURL(topicArn: message.topicArn, token: token)
            subject = "AWS Notification - Subscription Confirmation"
            if subscription.protocol == .emailJSON {
                text = delivery.envelope.json
            } else {
                text = """
                    You have chosen to subscribe to the topic:
                    \(message.topicArn)

                    To confirm this subscription, click or visit the link below (If this was in error no action is necessary):
                    \(link)

                    Please do not reply directly to this email. If you wish to remove yourself from receiving all future SNS subscription confirmation requests please send an email to sns-opt-out.
                    """
                html = """
                    <html><body><p>You have chosen to subscribe to the topic:<br><b>\(Self.escaped(message.topicArn))</b></p>\
                    <p>To confirm this subscription, click or visit the link below (If this was in error no action is necessary):<br>\
                    <a href="\(Self.escaped(link))">Confirm subscription</a></p>\
                    <p><small>Please do not reply directly to this email.</small></p></body></html>
                    """
            }
        } else {
            subject = message.subject ?? "AWS Notification Message"
            if subscription.protocol == .emailJSON {
                text = delivery.envelope.json
            } else {
                text = message.content(for: subscription.protocol.rawValue)
                text += """


                    --
                    If you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:
                    \(links.unsubscribeURL(subscriptionArn: subscription.arn))

                    Please do not reply directly to this email. If you have any questions or comments regarding this email, please contact us at https://aws.amazon.com/support
                    """
            }
        }
        let id = UUID().uuidString.lowercased()
        let raw = MIMEBuilder.build(
            from: from, to: [subscription.endpoint], subject: subject, text: text, html: html, messageID: id, timestamp: message.timestamp,
            extraHeaders: [("x-amz-sns-message-id", message.id), ("x-amz-sns-topic-arn", message.topicArn)])
        return MailMessage(
            id: id, region: region, source: from, to: [subscription.endpoint], subject: subject, text: text, html: html, raw: raw,
            timestamp: message.timestamp, origin: message.topicArn)
    }

    static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
