import FoundationEssentials
import SQSStore

/// The SQL behind ``SNSStore``: topics, subscriptions, accepted messages, pending deliveries and
/// the recent delivery log, in `sns.db` (or a private in-memory database).
///
/// ## Sendable
/// Used only on ``SNSStore``'s serial queue (the connection is not thread-safe); the
/// `@unchecked Sendable` lets the queue's closures capture it.
final class SNSDatabase: @unchecked Sendable {
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
                CREATE TABLE IF NOT EXISTS topics (arn TEXT PRIMARY KEY, body TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS subscriptions (arn TEXT PRIMARY KEY, topic_arn TEXT NOT NULL, body TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS messages (id TEXT PRIMARY KEY, body TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS deliveries (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, message_id TEXT NOT NULL, subscription_arn TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0, next_attempt INTEGER NOT NULL);
                CREATE INDEX IF NOT EXISTS deliveries_by_message ON deliveries (message_id);
                CREATE TABLE IF NOT EXISTS delivery_log (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
                PRAGMA user_version = \(Self.schemaVersion);
                """)
        }
    }

    // MARK: - Loading

    /// Every topic and subscription, into `state`.
    func load(into state: SNSState) throws {
        let topics = try connection.prepare("SELECT body FROM topics")
        while try topics.step() {
            let topic = try decoder.decode(Topic.self, from: Data(topics.string(0).utf8))
            state.topics[topic.arn] = topic
        }
        let subscriptions = try connection.prepare("SELECT body FROM subscriptions")
        while try subscriptions.step() {
            let subscription = try decoder.decode(Subscription.self, from: Data(subscriptions.string(0).utf8))
            state.subscriptions[subscription.arn] = subscription
            state.refreshFilter(subscription)
        }
        let counters = try connection.prepare("SELECT name, value FROM counters WHERE name LIKE 'deleted:%'")
        while try counters.step() {
            state.deletedSubscriptions[String(counters.string(0).dropFirst("deleted:".count))] = Int(counters.int64(1))
        }
    }

    /// The deliveries still to make, oldest first.
    func pendingDeliveries() throws -> [DeliveryRecord] {
        let statement = try connection.prepare("SELECT id, message_id, subscription_arn, attempts, next_attempt FROM deliveries ORDER BY id")
        var result: [DeliveryRecord] = []
        while try statement.step() {
            result.append(
                DeliveryRecord(
                    id: statement.int64(0), messageID: statement.string(1), subscriptionArn: statement.string(2),
                    attempts: Int(statement.int64(3)), nextAttemptAt: statement.int64(4)))
        }
        return result
    }

    // MARK: - Topics and subscriptions

    func save(_ topic: Topic) throws {
        let statement = try connection.cachedStatement("INSERT OR REPLACE INTO topics (arn, body) VALUES (?1, ?2)")
        try statement.bind(topic.arn, at: 1)
        try statement.bind(try json(topic), at: 2)
        try statement.execute()
    }

    func deleteTopic(_ arn: String) throws {
        try transaction {
            try run("DELETE FROM topics WHERE arn = ?1", arn)
            try run("DELETE FROM deliveries WHERE subscription_arn IN (SELECT arn FROM subscriptions WHERE topic_arn = ?1)", arn)
            try run("DELETE FROM subscriptions WHERE topic_arn = ?1", arn)
            try run("DELETE FROM counters WHERE name = ?1", "deleted:" + arn)
        }
    }

    func save(_ subscription: Subscription) throws {
        let statement = try connection.cachedStatement("INSERT OR REPLACE INTO subscriptions (arn, topic_arn, body) VALUES (?1, ?2, ?3)")
        try statement.bind(subscription.arn, at: 1)
        try statement.bind(subscription.topicArn, at: 2)
        try statement.bind(try json(subscription), at: 3)
        try statement.execute()
    }

    func deleteSubscription(_ arn: String, topicArn: String, deletedCount: Int) throws {
        try transaction {
            try run("DELETE FROM subscriptions WHERE arn = ?1", arn)
            try run("DELETE FROM deliveries WHERE subscription_arn = ?1", arn)
            let counter = try connection.cachedStatement("INSERT OR REPLACE INTO counters (name, value) VALUES (?1, ?2)")
            try counter.bind("deleted:" + topicArn, at: 1)
            try counter.bind(Int64(deletedCount), at: 2)
            try counter.execute()
        }
    }

    // MARK: - Messages and deliveries

    /// Stores an accepted message and its deliveries in one transaction; returns the deliveries.
    func insert(_ message: PublishedMessage, to subscriptionArns: [String], at time: Int64) throws -> [DeliveryRecord] {
        guard !subscriptionArns.isEmpty else { return [] }
        var records: [DeliveryRecord] = []
        try transaction {
            let statement = try connection.cachedStatement("INSERT OR REPLACE INTO messages (id, body) VALUES (?1, ?2)")
            try statement.bind(message.id, at: 1)
            try statement.bind(try json(message), at: 2)
            try statement.execute()
            let delivery = try connection.cachedStatement(
                "INSERT INTO deliveries (message_id, subscription_arn, attempts, next_attempt) VALUES (?1, ?2, 0, ?3)")
            for arn in subscriptionArns {
                try delivery.bind(message.id, at: 1)
                try delivery.bind(arn, at: 2)
                try delivery.bind(time, at: 3)
                try delivery.execute()
                records.append(
                    DeliveryRecord(
                        id: try connection.queryInt64("SELECT last_insert_rowid()"), messageID: message.id, subscriptionArn: arn, attempts: 0,
                        nextAttemptAt: time))
            }
        }
        return records
    }

    func message(_ id: String) throws -> PublishedMessage? {
        let statement = try connection.cachedStatement("SELECT body FROM messages WHERE id = ?1")
        try statement.bind(id, at: 1)
        defer { statement.reset() }
        guard try statement.step() else { return nil }
        return try decoder.decode(PublishedMessage.self, from: Data(statement.string(0).utf8))
    }

    /// Records a failed attempt and when to try again.
    func reschedule(_ id: Int64, attempts: Int, nextAttemptAt: Int64) throws {
        let statement = try connection.cachedStatement("UPDATE deliveries SET attempts = ?2, next_attempt = ?3 WHERE id = ?1")
        try statement.bind(id, at: 1)
        try statement.bind(Int64(attempts), at: 2)
        try statement.bind(nextAttemptAt, at: 3)
        try statement.execute()
    }

    /// Removes a finished delivery (and its message once no delivery needs it) and logs it.
    func finish(_ id: Int64, messageID: String, log entry: DeliveryLogEntry) throws {
        try transaction {
            let delete = try connection.cachedStatement("DELETE FROM deliveries WHERE id = ?1")
            try delete.bind(id, at: 1)
            try delete.execute()
            try run("DELETE FROM messages WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM deliveries WHERE message_id = ?1)", messageID)
            let log = try connection.cachedStatement("INSERT INTO delivery_log (body) VALUES (?1)")
            try log.bind(try json(entry), at: 1)
            try log.execute()
            let trim = try connection.cachedStatement(
                "DELETE FROM delivery_log WHERE id <= (SELECT max(id) FROM delivery_log) - ?1")
            try trim.bind(Int64(SNSLimits.recentDeliveries), at: 1)
            try trim.execute()
        }
    }

    /// The most recent finished deliveries, newest first.
    func recentDeliveries(limit: Int) throws -> [DeliveryLogEntry] {
        let statement = try connection.prepare("SELECT body FROM delivery_log ORDER BY id DESC LIMIT ?1")
        try statement.bind(Int64(limit), at: 1)
        var result: [DeliveryLogEntry] = []
        while try statement.step() {
            if let entry = try? decoder.decode(DeliveryLogEntry.self, from: Data(statement.string(0).utf8)) { result.append(entry) }
        }
        return result
    }

    // MARK: - Helpers

    func transaction(_ body: () throws -> Void) throws {
        try connection.execute("BEGIN IMMEDIATE")
        do {
            try body()
            try connection.execute("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    private func run(_ sql: String, _ value: String) throws {
        let statement = try connection.cachedStatement(sql)
        try statement.bind(value, at: 1)
        try statement.execute()
    }

    private func json(_ value: some Encodable) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
