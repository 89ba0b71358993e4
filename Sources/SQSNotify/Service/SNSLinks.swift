import Synchronization

/// The server's own URL, for the links SNS puts in messages (SubscribeURL, UnsubscribeURL,
/// SigningCertURL): `http://localhost:<port>`, known once the server listens.
public final class SNSLinks: Sendable {
    private let base: Mutex<String>

    /// Creates links over a base URL (without a trailing `/`).
    public init(baseURL: String) {
        base = Mutex(baseURL)
    }

    /// The base URL, e.g. `http://localhost:9324`.
    public var baseURL: String {
        get { base.withLock { $0 } }
        set { base.withLock { $0 = newValue } }
    }

    /// The link that confirms a subscription (a GET sqslite answers).
    public func subscribeURL(topicArn: String, token: String) -> String {
        "\(baseURL)/?Action=ConfirmSubscription&TopicArn=\(Self.escaped(topicArn))&Token=\(Self.escaped(token))"
    }

    /// The link that removes a subscription.
    public func unsubscribeURL(subscriptionArn: String) -> String {
        "\(baseURL)/?Action=Unsubscribe&SubscriptionArn=\(Self.escaped(subscriptionArn))"
    }

    /// Percent-encodes everything but unreserved characters (`:` included, as SNS does).
    static func escaped(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"), UInt8(ascii: ":"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                result.unicodeScalars.append("%")
                result.unicodeScalars.append(hex[Int(byte >> 4)])
                result.unicodeScalars.append(hex[Int(byte & 0xF)])
            }
        }
        return result
    }
}
