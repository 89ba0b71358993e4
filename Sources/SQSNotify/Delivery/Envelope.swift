import FoundationEssentials
import SQSEngine

/// The JSON documents SNS delivers: the message envelope (SQS, HTTP/S, email-json), and the
/// Lambda event.
///
/// Fields come in the order SNS writes them: `Type`, `MessageId`, (`SequenceNumber`, FIFO),
/// (`Token`, confirmations), `TopicArn`, (`Subject`), `Message`, (`SubscribeURL`), `Timestamp`,
/// `SignatureVersion`, `Signature`, `SigningCertURL`, (`UnsubscribeURL`), (`MessageAttributes`
/// as `{"Type", "Value"}`, binary values in base64). FIFO topics' messages carry no signature.
struct Envelope: Sendable {
    let message: PublishedMessage
    let subscription: Subscription
    let links: SNSLinks
    let signer: MessageSigner
    /// The topic's `SignatureVersion` (`1` or `2`).
    let signatureVersion: String

    /// The body for the subscription: the raw message with raw delivery, else the envelope.
    var body: String {
        if message.kind == .notification && subscription.rawMessageDelivery {
            return message.content(for: subscription.protocol.rawValue)
        }
        return json
    }

    /// The envelope, pretty-printed as SNS prints it (`{\n  "Type" : "Notification",\n …}`).
    var json: String {
        var fields: [(String, String)] = []
        fields.append(("Type", quoted(message.kind.rawValue)))
        fields.append(("MessageId", quoted(message.id)))
        if let sequence = message.sequenceNumber { fields.append(("SequenceNumber", quoted(sequence))) }
        if let token = message.token { fields.append(("Token", quoted(token))) }
        fields.append(("TopicArn", quoted(message.topicArn)))
        if let subject = message.subject { fields.append(("Subject", quoted(subject))) }
        let content = message.content(for: subscription.protocol.rawValue)
        fields.append(("Message", quoted(content)))
        let subscribeURL = message.token.map { links.subscribeURL(topicArn: message.topicArn, token: $0) }
        if let subscribeURL { fields.append(("SubscribeURL", quoted(subscribeURL))) }
        let timestamp = ISOTimestamp.string(milliseconds: message.timestamp)
        fields.append(("Timestamp", quoted(timestamp)))
        if !message.topicArn.hasSuffix(".fifo") {
            let signature = signer.sign(canonical(content: content, timestamp: timestamp, subscribeURL: subscribeURL), version: signatureVersion)
            fields.append(("SignatureVersion", quoted(signatureVersion)))
            fields.append(("Signature", quoted(signature)))
            fields.append(("SigningCertURL", quoted(signer.certificateURL(links))))
        }
        if message.kind == .notification {
            fields.append(("UnsubscribeURL", quoted(links.unsubscribeURL(subscriptionArn: subscription.arn))))
        }
        if !message.attributes.isEmpty { fields.append(("MessageAttributes", attributesJSON(pretty: true))) }
        return "{\n" + fields.map { "  \(quoted($0.0)) : \($0.1)" }.joined(separator: ",\n") + "\n}"
    }

    /// The Lambda event: `{"Records": [{"EventSource": "aws:sns", "EventVersion": "1.0", "EventSubscriptionArn", "Sns": {…}}]}`.
    var lambdaEvent: String {
        let content = message.content(for: subscription.protocol.rawValue)
        let timestamp = ISOTimestamp.string(milliseconds: message.timestamp)
        let signature = signer.sign(canonical(content: content, timestamp: timestamp, subscribeURL: nil), version: signatureVersion)
        var sns: [(String, String)] = [
            ("Type", quoted(message.kind.rawValue)),
            ("MessageId", quoted(message.id)),
            ("TopicArn", quoted(message.topicArn)),
            ("Subject", message.subject.map(quoted) ?? "null"),
            ("Message", quoted(content)),
            ("Timestamp", quoted(timestamp)),
            ("SignatureVersion", quoted(signatureVersion)),
            ("Signature", quoted(signature)),
            ("SigningCertUrl", quoted(signer.certificateURL(links))),
            ("UnsubscribeUrl", quoted(links.unsubscribeURL(subscriptionArn: subscription.arn))),
            ("MessageAttributes", attributesJSON(pretty: false)),
        ]
        if let sequence = message.sequenceNumber { sns.insert(("SequenceNumber", quoted(sequence)), at: 2) }
        let snsJSON = "{" + sns.map { "\(quoted($0.0)):\($0.1)" }.joined(separator: ",") + "}"
        return #"{"Records":[{"EventSource":"aws:sns","EventVersion":"1.0","EventSubscriptionArn":\#(quoted(subscription.arn)),"Sns":\#(snsJSON)}]}"#
    }

    /// The string SNS signs (Amazon SNS developer guide, "Verifying the signatures of Amazon SNS messages").
    private func canonical(content: String, timestamp: String, subscribeURL: String?) -> String {
        var pairs: [(String, String)] = [("Message", content), ("MessageId", message.id)]
        if message.kind == .notification {
            if let subject = message.subject { pairs.append(("Subject", subject)) }
        } else {
            pairs.append(("SubscribeURL", subscribeURL ?? ""))
        }
        pairs.append(("Timestamp", timestamp))
        if let token = message.token { pairs.append(("Token", token)) }
        pairs.append(("TopicArn", message.topicArn))
        pairs.append(("Type", message.kind.rawValue))
        return pairs.map { "\($0.0)\n\($0.1)\n" }.joined()
    }

    private func attributesJSON(pretty: Bool) -> String {
        let entries = message.attributes.keys.sorted().map { name -> String in
            let value = message.attributes[name]!
            let text = value.binaryValue.map { Data($0).base64EncodedString() } ?? value.stringValue ?? ""
            return pretty
                ? "    \(quoted(name)) : {\"Type\":\(quoted(value.dataType)),\"Value\":\(quoted(text))}"
                : "\(quoted(name)):{\"Type\":\(quoted(value.dataType)),\"Value\":\(quoted(text))}"
        }
        return pretty ? "{\n" + entries.joined(separator: ",\n") + "\n  }" : "{" + entries.joined(separator: ",") + "}"
    }

    private func quoted(_ text: String) -> String {
        JSONValue.quoted(text)
    }
}
