import SQSMail
import SQSNotify

/// The SNS and mailbox side the admin page shows: topics, subscriptions and recent deliveries,
/// a publish form, and the mailbox.
public struct AdminNotify: Sendable {
    let sns: SNSService
    let store: SNSStore
    let mailbox: MailStore

    /// Bundles the SNS service (for publishing), its store (to list) and the mailbox.
    public init(sns: SNSService, store: SNSStore, mailbox: MailStore) {
        self.sns = sns
        self.store = store
        self.mailbox = mailbox
    }
}
