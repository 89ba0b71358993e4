/// sqslite's schema migrations, oldest first. Append new ones; never edit a released one.
///
/// Tables are `STRICT` (SQLite 3.37+). Ids come from the engine: `queues.id` and
/// `messages.sequence` are the rowids. Times are INTEGER epoch milliseconds. Attribute and tag
/// maps are BLOBs in ``AttributeCoding``'s format (NULL when empty). `receipt_token` holds the
/// bit pattern of the engine's `UInt64`. `store_meta` is a single row keeping the highest queue
/// id and sequence ever saved, which must survive the deletion of the rows themselves.
/// `deduplications` rows go with their queue (ON DELETE CASCADE, and deleted explicitly too);
/// `move_tasks` rows do not, and their rowid `position` keeps the order tasks were first saved.
/// Since v3 a message's content (body, attributes, digests, sender) lives in `message_bodies`,
/// apart from its delivery state in `messages`, so a receive or a visibility change rewrites a
/// small row, never the body; a trigger deletes the content with its message.
/// Since v4 `messages` has no index on `queue_id` and no foreign key to `queues`: the engine
/// deletes a purged or deleted queue's messages by sequence (the rowid), and the index cost about
/// a fifth of the writer's time per message sent.
enum Migrations {
    /// Every migration, in order.
    static let all: [SchemaMigration] = [v1, v2, v3, v4]

    /// The initial schema: queues, messages, store_meta.
    static let v1 = SchemaMigration(
        identifier: "v1-queues-messages-meta",
        sql: """
            CREATE TABLE queues (
                id INTEGER PRIMARY KEY,
                account TEXT NOT NULL,
                region TEXT NOT NULL,
                name TEXT NOT NULL,
                attributes BLOB,
                tags BLOB,
                created_at INTEGER NOT NULL,
                modified_at INTEGER NOT NULL,
                last_purged_at INTEGER,
                UNIQUE (account, region, name)
            ) STRICT;

            CREATE TABLE messages (
                sequence INTEGER PRIMARY KEY,
                queue_id INTEGER NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
                message_id TEXT NOT NULL,
                body TEXT NOT NULL,
                attributes BLOB,
                system_attributes BLOB,
                md5_of_body TEXT NOT NULL,
                md5_of_attributes TEXT,
                md5_of_system_attributes TEXT,
                sender_id TEXT NOT NULL,
                sent_at INTEGER NOT NULL,
                visible_at INTEGER NOT NULL,
                receive_count INTEGER NOT NULL,
                first_received_at INTEGER,
                last_received_at INTEGER,
                receipt_token INTEGER NOT NULL,
                message_group_id TEXT,
                deduplication_id TEXT,
                sequence_number TEXT,
                dead_letter_source_arn TEXT
            ) STRICT;

            CREATE INDEX messages_queue_id ON messages (queue_id);

            CREATE TABLE store_meta (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                highest_queue_id INTEGER NOT NULL,
                highest_sequence INTEGER NOT NULL
            ) STRICT;

            INSERT INTO store_meta (id, highest_queue_id, highest_sequence) VALUES (1, 0, 0);
            """)

    /// FIFO deduplication ids (kept for 5 minutes, also after their message is deleted) and
    /// message move tasks (kept in the order they started; not deleted with their queue).
    static let v2 = SchemaMigration(
        identifier: "v2-deduplications-move-tasks",
        sql: """
            CREATE TABLE deduplications (
                queue_id INTEGER NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
                scope TEXT NOT NULL,
                deduplication_id TEXT NOT NULL,
                message_id TEXT NOT NULL,
                sequence_number TEXT NOT NULL,
                expires_at INTEGER NOT NULL,
                PRIMARY KEY (queue_id, scope, deduplication_id)
            ) STRICT, WITHOUT ROWID;

            CREATE INDEX deduplications_expires_at ON deduplications (expires_at);

            CREATE TABLE move_tasks (
                position INTEGER PRIMARY KEY,
                task_id TEXT NOT NULL UNIQUE,
                source_arn TEXT NOT NULL,
                destination_arn TEXT,
                max_per_second INTEGER,
                status TEXT NOT NULL,
                started_at INTEGER NOT NULL,
                moved INTEGER NOT NULL,
                to_move INTEGER NOT NULL,
                failure_reason TEXT
            ) STRICT;
            """)

    /// Splits each message's content from its delivery state: `message_bodies` (id = the sequence
    /// the message was first stored under) and `messages` (`body_id` points at its content).
    static let v3 = SchemaMigration(
        identifier: "v3-message-bodies-apart",
        sql: """
            CREATE TABLE message_bodies (
                id INTEGER PRIMARY KEY,
                message_id TEXT NOT NULL,
                body TEXT NOT NULL,
                attributes BLOB,
                system_attributes BLOB,
                md5_of_body TEXT NOT NULL,
                md5_of_attributes TEXT,
                md5_of_system_attributes TEXT,
                sender_id TEXT NOT NULL
            ) STRICT;

            INSERT INTO message_bodies (
                id, message_id, body, attributes, system_attributes, md5_of_body, md5_of_attributes,
                md5_of_system_attributes, sender_id)
            SELECT sequence, message_id, body, attributes, system_attributes, md5_of_body, md5_of_attributes,
                md5_of_system_attributes, sender_id
            FROM messages;

            CREATE TABLE messages_v3 (
                sequence INTEGER PRIMARY KEY,
                queue_id INTEGER NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
                body_id INTEGER NOT NULL,
                sent_at INTEGER NOT NULL,
                visible_at INTEGER NOT NULL,
                receive_count INTEGER NOT NULL,
                first_received_at INTEGER,
                last_received_at INTEGER,
                receipt_token INTEGER NOT NULL,
                message_group_id TEXT,
                deduplication_id TEXT,
                sequence_number TEXT,
                dead_letter_source_arn TEXT
            ) STRICT;

            INSERT INTO messages_v3 (
                sequence, queue_id, body_id, sent_at, visible_at, receive_count, first_received_at, last_received_at,
                receipt_token, message_group_id, deduplication_id, sequence_number, dead_letter_source_arn)
            SELECT sequence, queue_id, sequence, sent_at, visible_at, receive_count, first_received_at, last_received_at,
                receipt_token, message_group_id, deduplication_id, sequence_number, dead_letter_source_arn
            FROM messages;

            DROP TABLE messages;
            ALTER TABLE messages_v3 RENAME TO messages;
            CREATE INDEX messages_queue_id ON messages (queue_id);

            CREATE TRIGGER messages_delete_body AFTER DELETE ON messages
            BEGIN
                DELETE FROM message_bodies WHERE id = OLD.body_id;
            END;
            """)

    /// Drops `messages`' index on `queue_id` and its foreign key to `queues` (the table is rebuilt;
    /// SQLite cannot drop a foreign key in place). Every SendMessage paid for the index entry, and a
    /// foreign key without that index would scan every message on each queue deletion. Rows of a
    /// queue that no longer exists (none should) are not carried over.
    static let v4 = SchemaMigration(
        identifier: "v4-messages-by-sequence-only",
        sql: """
            CREATE TABLE messages_v4 (
                sequence INTEGER PRIMARY KEY,
                queue_id INTEGER NOT NULL,
                body_id INTEGER NOT NULL,
                sent_at INTEGER NOT NULL,
                visible_at INTEGER NOT NULL,
                receive_count INTEGER NOT NULL,
                first_received_at INTEGER,
                last_received_at INTEGER,
                receipt_token INTEGER NOT NULL,
                message_group_id TEXT,
                deduplication_id TEXT,
                sequence_number TEXT,
                dead_letter_source_arn TEXT
            ) STRICT;

            INSERT INTO messages_v4 (
                sequence, queue_id, body_id, sent_at, visible_at, receive_count, first_received_at, last_received_at,
                receipt_token, message_group_id, deduplication_id, sequence_number, dead_letter_source_arn)
            SELECT sequence, queue_id, body_id, sent_at, visible_at, receive_count, first_received_at, last_received_at,
                receipt_token, message_group_id, deduplication_id, sequence_number, dead_letter_source_arn
            FROM messages WHERE queue_id IN (SELECT id FROM queues);

            DROP TABLE messages;
            ALTER TABLE messages_v4 RENAME TO messages;
            DELETE FROM message_bodies WHERE id NOT IN (SELECT body_id FROM messages);

            CREATE TRIGGER messages_delete_body AFTER DELETE ON messages
            BEGIN
                DELETE FROM message_bodies WHERE id = OLD.body_id;
            END;
            """)
}
