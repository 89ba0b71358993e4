import FoundationEssentials
import SQSStore

/// The SQL behind ``MailStore``: mails, text messages, SES identities and templates, in
/// `mail.db` (or a private in-memory database).
///
/// ## Sendable
/// Used only on ``MailStore``'s serial queue (the connection is not thread-safe); the
/// `@unchecked Sendable` lets the queue's closures capture it.
final class MailDatabase: @unchecked Sendable {
    let connection: SQLiteConnection
    private let encoder = JSONEncoder()
    private let decoder = JSONDecoder()

    /// The schema version this code writes (`PRAGMA user_version`).
    static let schemaVersion: Int64 = 1

    init(path: String?) throws {
        connection = try SQLiteConnection(path: path)
        if try connection.queryInt64("PRAGMA user_version") < Self.schemaVersion {
            try connection.execute(
                """
                CREATE TABLE IF NOT EXISTS mails (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL, source TEXT NOT NULL, body TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS sms (seq INTEGER PRIMARY KEY AUTOINCREMENT, phone TEXT NOT NULL, body TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS identities (region TEXT NOT NULL, identity TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (region, identity));
                CREATE TABLE IF NOT EXISTS templates (region TEXT NOT NULL, name TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (region, name));
                PRAGMA user_version = \(Self.schemaVersion);
                """)
        }
    }

    // MARK: - Mails

    func insert(_ mail: MailMessage) throws {
        let statement = try connection.cachedStatement("INSERT INTO mails (id, source, body) VALUES (?1, ?2, ?3)")
        try statement.bind(mail.id, at: 1)
        try statement.bind(mail.source, at: 2)
        try statement.bind(try json(mail), at: 3)
        try statement.execute()
    }

    /// Mails oldest first, optionally only those from `source` or the one with `id`.
    func mails(source: String?, id: String?) throws -> [MailMessage] {
        var sql = "SELECT body FROM mails"
        var values: [String] = []
        if let source {
            sql += " WHERE lower(source) = lower(?1)"
            values.append(source)
        }
        if let id {
            sql += values.isEmpty ? " WHERE id = ?1" : " AND id = ?2"
            values.append(id)
        }
        return try rows(sql + " ORDER BY seq", values, as: MailMessage.self)
    }

    /// Deletes one mail (or all); returns how many went.
    @discardableResult
    func deleteMails(id: String?) throws -> Int {
        if let id {
            try run("DELETE FROM mails WHERE id = ?1", [id])
        } else {
            try run("DELETE FROM mails", [])
        }
        return connection.changes
    }

    // MARK: - Text messages

    func insert(_ sms: SMSMessage) throws {
        let statement = try connection.cachedStatement("INSERT INTO sms (phone, body) VALUES (?1, ?2)")
        try statement.bind(sms.phoneNumber, at: 1)
        try statement.bind(try json(sms), at: 2)
        try statement.execute()
    }

    func sms(phone: String?) throws -> [SMSMessage] {
        if let phone { return try rows("SELECT body FROM sms WHERE phone = ?1 ORDER BY seq", [phone], as: SMSMessage.self) }
        return try rows("SELECT body FROM sms ORDER BY seq", [], as: SMSMessage.self)
    }

    func deleteSMS(phone: String?) throws {
        if let phone { try run("DELETE FROM sms WHERE phone = ?1", [phone]) } else { try run("DELETE FROM sms", []) }
    }

    // MARK: - Identities and templates

    func save(_ identity: MailIdentity) throws {
        try saveDocument(
            "INSERT OR REPLACE INTO identities (region, identity, body) VALUES (?1, ?2, ?3)", keys: [identity.region, identity.identity], identity)
    }

    func identities(region: String) throws -> [MailIdentity] {
        try rows("SELECT body FROM identities WHERE region = ?1 ORDER BY identity", [region], as: MailIdentity.self)
    }

    func deleteIdentity(region: String, identity: String) throws {
        try run("DELETE FROM identities WHERE region = ?1 AND identity = ?2", [region, identity])
    }

    func save(_ template: MailTemplate) throws {
        try saveDocument(
            "INSERT OR REPLACE INTO templates (region, name, body) VALUES (?1, ?2, ?3)", keys: [template.region, template.name], template)
    }

    func templates(region: String) throws -> [MailTemplate] {
        try rows("SELECT body FROM templates WHERE region = ?1 ORDER BY name", [region], as: MailTemplate.self)
    }

    func deleteTemplate(region: String, name: String) throws {
        try run("DELETE FROM templates WHERE region = ?1 AND name = ?2", [region, name])
    }

    // MARK: - Helpers

    /// Runs an upsert whose parameters are `keys` and then `document` as JSON.
    private func saveDocument(_ sql: String, keys: [String], _ document: some Encodable) throws {
        let statement = try connection.cachedStatement(sql)
        for (index, key) in keys.enumerated() { try statement.bind(key, at: Int32(index + 1)) }
        try statement.bind(try json(document), at: Int32(keys.count + 1))
        try statement.execute()
    }

    private func rows<T: Decodable>(_ sql: String, _ values: [String], as type: T.Type) throws -> [T] {
        let statement = try connection.prepare(sql)
        for (index, value) in values.enumerated() { try statement.bind(value, at: Int32(index + 1)) }
        var result: [T] = []
        while try statement.step() {
            result.append(try decoder.decode(T.self, from: Data(statement.string(0).utf8)))
        }
        return result
    }

    private func run(_ sql: String, _ values: [String]) throws {
        let statement = try connection.prepare(sql)
        for (index, value) in values.enumerated() { try statement.bind(value, at: Int32(index + 1)) }
        try statement.execute()
    }

    private func json(_ value: some Encodable) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
