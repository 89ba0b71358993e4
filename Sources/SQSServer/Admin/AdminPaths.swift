import SQSEngine
import SQSHTTP

/// The admin page's URLs. A queue is named `<region>/<account>/<name>` in them, as in the peek
/// API's path form.
enum AdminPaths {
    static let root = "/admin"
    static let assets = "/admin/assets/"
    static let api = "/admin/api"

    /// `<region>/<account>/<name>`.
    static func id(_ key: QueueKey) -> String {
        "\(key.region)/\(key.account)/\(key.name)"
    }

    /// The queue's page.
    static func queue(_ key: QueueKey) -> String {
        "/admin/queues/\(id(key))"
    }

    /// A message's page.
    static func message(_ key: QueueKey, _ messageID: String) -> String {
        "\(queue(key))/messages/\(messageID)"
    }

    /// The queue named by three path segments.
    static func key(_ segments: ArraySlice<Substring>) -> QueueKey? {
        guard segments.count >= 3 else { return nil }
        let start = segments.startIndex
        return QueueKey(account: String(segments[start + 1]), region: String(segments[start]), name: String(segments[start + 2]))
    }

    /// A `%XX`-decoded path segment.
    static func decoded(_ segment: Substring) -> Substring {
        guard segment.contains("%") else { return segment }
        return Substring(FormEncoding.percentDecoded(segment, plusAsSpace: false))
    }
}
