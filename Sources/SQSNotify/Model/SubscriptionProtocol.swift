/// A subscription's delivery protocol.
public enum SubscriptionProtocol: String, Sendable, CaseIterable, Codable {
    case sqs, lambda, http, https, email, sms
    case emailJSON = "email-json"

    /// Whether a new subscription waits for confirmation (HTTP endpoints and mailboxes confirm
    /// through the SubscribeURL; queues and functions of the same account are confirmed at once).
    var needsConfirmation: Bool {
        switch self {
        case .http, .https, .email, .emailJSON: true
        case .sqs, .lambda, .sms: false
        }
    }

    /// Whether the protocol delivers to an HTTP endpoint.
    var isHTTP: Bool { self == .http || self == .https }
}
