import ArgumentParser
import SQSServer

/// The `sqslite` command: a local Amazon SQS-compatible server.
@main
struct SQSLiteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sqslite",
        abstract: "A local Amazon SQS-compatible server, stored durably in SQLite.",
        discussion: """
            Point any AWS SDK or the AWS CLI at http://localhost:9324, e.g.
              aws --endpoint-url http://localhost:9324 sqs create-queue --queue-name ChatAPP
            `sqslite` alone runs `sqslite serve`. Its options (details: `sqslite serve --help`),
            each also settable with the environment variable in brackets:
              --host (SQSLITE_HOST)             address to listen on, default localhost (127.0.0.1 and ::1)
              --port (SQSLITE_PORT)             port, default 9324; 0 picks a free one
              --data-dir (SQSLITE_DATA_DIR)     folder of sqslite.db, default ./.sqslite
              --in-memory (SQSLITE_IN_MEMORY)   keep nothing on disk
              --config (SQSLITE_CONFIG)         YAML file of queues, functions and mappings
              --region (SQSLITE_REGION)         default us-east-1
              --account-id (SQSLITE_ACCOUNT_ID) default 000000000000
              --log-level (SQSLITE_LOG_LEVEL)   trace … critical, default info
              --log-format (SQSLITE_LOG_FORMAT) text or json
              --deleted-queue-cooldown (SQSLITE_DELETED_QUEUE_COOLDOWN)
                                                seconds before a deleted queue's name is free, default 60
            """,
        version: SQSLiteVersion.current,
        subcommands: [ServeCommand.self],
        defaultSubcommand: ServeCommand.self)
}
