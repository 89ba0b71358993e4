import Dispatch
import Logging

/// The local mailbox and SES's state: mails, text messages, identities and templates, kept in
/// SQLite (`mail.db` in the data folder, or a private in-memory database for `--in-memory`).
///
/// ## Sendable
/// The connection is used only on ``queue``, a serial Dispatch queue: async callers hop onto
/// it through a continuation, so no cooperative thread or event loop waits on SQLite. That
/// confinement is what the `@unchecked Sendable` promises.
public final class MailStore: @unchecked Sendable {
    private let queue = DispatchQueue(label: "sqslite.mail.store")
    let database: MailDatabase

    /// Opens (creating if needed) the database at `path`, in memory when `path` is `nil`.
    public init(path: String?) throws {
        database = try MailDatabase(path: path)
    }

    /// Runs `body` on the store's queue.
    func perform<T: Sendable>(_ body: @escaping @Sendable (MailDatabase) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { [database] in
                continuation.resume(with: Result { try body(database) })
            }
        }
    }

    /// Puts a mail in the mailbox.
    public func deliver(_ mail: MailMessage) async throws {
        try await perform { try $0.insert(mail) }
    }

    /// The mails, oldest first: all, those from `source` (case-insensitive), or the one with `id`.
    public func mails(source: String? = nil, id: String? = nil) async throws -> [MailMessage] {
        try await perform { try $0.mails(source: source, id: id) }
    }

    /// Deletes one mail, or all of them; returns how many went.
    @discardableResult
    public func deleteMails(id: String? = nil) async throws -> Int {
        try await perform { try $0.deleteMails(id: id) }
    }

    /// Records a text message.
    public func deliver(_ sms: SMSMessage) async throws {
        try await perform { try $0.insert(sms) }
    }

    /// The text messages, oldest first, all or those to `phoneNumber`.
    public func textMessages(phoneNumber: String? = nil) async throws -> [SMSMessage] {
        try await perform { try $0.sms(phone: phoneNumber) }
    }

    /// Deletes the text messages (to `phoneNumber`, or all).
    public func deleteTextMessages(phoneNumber: String? = nil) async throws {
        try await perform { try $0.deleteSMS(phone: phoneNumber) }
    }
}
