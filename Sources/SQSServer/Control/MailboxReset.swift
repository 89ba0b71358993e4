import SQSMail

/// The mailbox's part of a reset: every mail (SES and SNS email deliveries) and every SMS.
struct MailboxReset: ResettableService {
    let store: MailStore

    var name: String { "mailbox" }

    func resetAll() async throws -> [String: Int] {
        let mails = try await store.deleteMails()
        try await store.deleteTextMessages()
        return ["mails": mails]
    }
}
