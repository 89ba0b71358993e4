import ArgumentParser

/// The `sqslite` command: a local Amazon SQS-compatible server.
@main
struct SQSLiteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sqslite",
        abstract: "A local Amazon SQS-compatible server, stored durably in SQLite.",
        discussion: """
            Point any AWS SDK or the AWS CLI at http://localhost:9324, e.g.
              aws --endpoint-url http://localhost:9324 sqs create-queue --queue-name ChatAPP
            Every option of `serve` can also be set with an SQSLITE_* environment variable.
            """,
        subcommands: [ServeCommand.self],
        defaultSubcommand: ServeCommand.self)
}
