import ArgumentParser
import Logging
import SQSServer

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `sqslite serve`: runs the server until SIGINT or SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the server (the default command).")

    @Option(help: "The address to listen on; localhost listens on 127.0.0.1 and ::1, 0.0.0.0 on every interface (SQSLITE_HOST). Default: localhost")
    var host: String?

    @Option(help: "The port to listen on; 0 picks a free one (SQSLITE_PORT). Default: 9324")
    var port: Int?

    @Option(help: "The folder for the database file sqslite.db (SQSLITE_DATA_DIR). Default: ./.sqslite")
    var dataDir: String?

    @Flag(help: "Keep everything in memory; nothing is written or kept (SQSLITE_IN_MEMORY=1).")
    var inMemory = false

    @Option(help: "A YAML config file with queues to create at startup (SQSLITE_CONFIG).")
    var config: String?

    @Option(help: "The region of requests that do not sign with one (SQSLITE_REGION). Default: us-east-1")
    var region: String?

    @Option(help: "The account of requests whose access key is not a 12-digit number (SQSLITE_ACCOUNT_ID). Default: 000000000000")
    var accountId: String?

    @Option(help: "Seconds after DeleteQueue before the same name can be created again; 0 turns the check off (SQSLITE_DELETED_QUEUE_COOLDOWN). Default: 60, as on AWS")
    var deletedQueueCooldown: Int?

    @Option(help: "Require this token to use the admin page at /admin, the peek API and /metrics (SQSLITE_ADMIN_TOKEN).")
    var adminToken: String?

    @Option(help: "Asynchronous Lambda invocations that may wait at once; more get a 429 (SQSLITE_ASYNC_INVOKE_QUEUE_DEPTH). Default: 1000")
    var asyncInvokeQueueDepth: Int?

    @Option(help: "The Python interpreter for python3.x functions created with the Lambda API, e.g. a virtualenv's bin/python (SQSLITE_PYTHON). Default: python3 on PATH")
    var python: String?

    @Option(help: "normal: an acknowledged change survives a crash of sqslite (even kill -9); full: also a power loss or OS crash, each commit synced to disk first (SQSLITE_SYNC). Default: normal")
    var sync: String?

    @Option(help: "Days the function and queue log groups (/aws/lambda/..., /sqslite/...) keep their events while they have no retention policy: 1, 3, 5, 7, 14, 30, 60, 90, ... as PutRetentionPolicy takes, or 0 to keep them (SQSLITE_LOG_RETENTION_DAYS). Default: \(ServerOptions.defaultLogRetentionDays)")
    var logRetentionDays: Int?

    @Flag(help: "Write each queue's message lifecycle (sent, received, deleted, moved to a DLQ, move tasks) to the log group /sqslite/<queue> (SQSLITE_QUEUE_LOGS=1).")
    var queueLogs = false

    @Option(help: "console: echo every line functions write (and their START/END/REPORT lines) to this console at info, prefixed with the function's name; none: only to their log group (SQSLITE_FUNCTION_OUTPUT). Default: console")
    var functionOutput: String?

    @Flag(help: "Do not serve the admin page at /admin (SQSLITE_NO_ADMIN=1).")
    var noAdmin = false

    @Flag(help: "Let SES send from addresses that were never verified (SQSLITE_SES_ALLOW_UNVERIFIED=1; config file: ses.allowUnverified).")
    var sesAllowUnverified = false

    @Flag(help: "Let test suites move the server's clock through /_sqslite/clock (SQSLITE_CONTROLLABLE_CLOCK=1). Off by default.")
    var controllableClock = false

    @Option(help: "API calls kept in the call record at /_sqslite/calls; 0 turns it off (SQSLITE_CALL_RECORD_SIZE). Default: 1000")
    var callRecordSize: Int?

    @Flag(help: "Keep request bodies in the call record (SQSLITE_RECORD_CALL_BODIES=1).")
    var recordCallBodies = false

    @Flag(help: "Also keep every recorded call in calls.db beside sqslite.db (SQSLITE_RECORD_CALLS_IN_DATABASE=1).")
    var recordCallsInDatabase = false

    @Flag(help: "Require AWS Signature Version 4 from the principals of the config file's auth section on every SQS, Lambda, CloudWatch Logs and STS request, and enforce their IAM policies and queue policies (SQSLITE_AUTH=1). Off by default.")
    var auth = false

    @Option(help: "How many connections are served at once; more clients wait until one closes (SQSLITE_MAX_CONNECTIONS). Default: \(ServerOptions.defaults.maxConnections) here (4096, or the open-files limit less 64)")
    var maxConnections: Int?

    @Option(help: "Seconds a client has to send a whole request, head and body; 0 for no limit (SQSLITE_REQUEST_TIMEOUT). Default: \(ServerOptions.defaults.requestTimeout)")
    var requestTimeout: Int?

    @Option(help: "Seconds an idle keep-alive connection stays open; 0 for no limit (SQSLITE_IDLE_TIMEOUT). Default: \(ServerOptions.defaults.idleTimeout)")
    var idleTimeout: Int?

    @Option(help: "The largest request body accepted, in bytes (SQSLITE_MAX_REQUEST_SIZE). Default: \(ServerOptions.defaults.maxRequestSize)")
    var maxRequestSize: Int?

    @Option(help: "Also answer requests whose Host is this name (a container name, say), besides localhost, *.localhost, IP addresses and --host; repeatable; *.domain for its subdomains, * for any host (SQSLITE_ALLOWED_HOSTS, comma-separated).")
    var allowedHost: [String] = []

    @Option(help: "trace, debug, info, notice, warning, error or critical (SQSLITE_LOG_LEVEL). Default: info")
    var logLevel: String?

    @Option(help: "text or json (SQSLITE_LOG_FORMAT). Default: text")
    var logFormat: String?

    func run() async throws {
        MallocSettings.apply()
        let settings = try resolve()
        settings.format.bootstrap(level: settings.level)
        var logger = Logger(label: "sqslite")
        logger.logLevel = settings.level
        let server = SQSLiteServer(options: settings.options, logger: logger)
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await server.run() }
                group.addTask { [logger] in
                    guard let port = await server.boundPort else { return }
                    print(Self.banner(options: settings.options, port: port))
                    fflushStandardOutput()
                    let released = StartupPages.release()
                    logger.debug("Released startup code pages", metadata: ["advisedBytes": "\(released)"])
                }
                try await group.waitForAll()
            }
        } catch let error as StartupError {
            throw ValidationFailure(message: "sqslite: \(error.description)")
        }
    }

    /// What the server prints once it listens: where to point clients, and where the data is.
    static func banner(options: ServerOptions, port: Int) -> String {
        let host = ["0.0.0.0", "::", "[::]"].contains(options.host) ? "localhost" : options.host
        let base = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        var lines = [
            "sqslite \(SQSLiteVersion.current) listening on \(base)" + (options.host.lowercased() == "localhost" ? " (127.0.0.1 and ::1)" : ""),
            "  SQS endpoint: \(base)   e.g. aws --endpoint-url \(base) sqs list-queues",
        ]
        if options.adminEnabled {
            lines.append("  admin page:   \(base)/admin")
        }
        lines.append("  metrics:      \(base)/metrics")
        lines.append("  health:       \(base)/health")
        lines.append("  data:         \(options.databasePath ?? "in memory (nothing is kept)")")
        return lines.joined(separator: "\n")
    }

    private struct Settings {
        var options: ServerOptions
        var level: Logger.Level
        var format: LogFormat
    }

    private func resolve() throws -> Settings {
        let environment = Environment()
        var options = ServerOptions(handlesSignals: true)
        options.trimsMemory = true
        options.host = host ?? environment["SQSLITE_HOST"] ?? options.host
        options.port = try port ?? environment.integer("SQSLITE_PORT") ?? options.port
        options.dataDirectory = dataDir ?? environment["SQSLITE_DATA_DIR"] ?? options.dataDirectory
        options.inMemory = inMemory || environment.flag("SQSLITE_IN_MEMORY")
        options.configPath = config ?? environment["SQSLITE_CONFIG"]
        options.region = region ?? environment["SQSLITE_REGION"] ?? options.region
        options.accountID = accountId ?? environment["SQSLITE_ACCOUNT_ID"] ?? options.accountID
        options.deletedQueueCooldown = try deletedQueueCooldown ?? environment.integer("SQSLITE_DELETED_QUEUE_COOLDOWN") ?? 60
        options.adminEnabled = !(noAdmin || environment.flag("SQSLITE_NO_ADMIN"))
        options.adminToken = adminToken ?? environment["SQSLITE_ADMIN_TOKEN"]
        options.sesAllowUnverified = sesAllowUnverified || environment.flag("SQSLITE_SES_ALLOW_UNVERIFIED")
        options.controllableClock = controllableClock || environment.flag("SQSLITE_CONTROLLABLE_CLOCK")
        options.callRecordSize = try callRecordSize ?? environment.integer("SQSLITE_CALL_RECORD_SIZE")
        options.recordCallBodies = recordCallBodies || environment.flag("SQSLITE_RECORD_CALL_BODIES")
        options.recordCallsInDatabase = recordCallsInDatabase || environment.flag("SQSLITE_RECORD_CALLS_IN_DATABASE")
        if let size = options.callRecordSize, !(0...1_000_000).contains(size) {
            throw ValidationError("--call-record-size must be between 0 and 1000000.")
        }
        options.authEnabled = auth || environment.flag("SQSLITE_AUTH")
        options.maxConnections = try maxConnections ?? environment.integer("SQSLITE_MAX_CONNECTIONS") ?? options.maxConnections
        options.requestTimeout = try requestTimeout ?? environment.integer("SQSLITE_REQUEST_TIMEOUT") ?? options.requestTimeout
        options.idleTimeout = try idleTimeout ?? environment.integer("SQSLITE_IDLE_TIMEOUT") ?? options.idleTimeout
        options.maxRequestSize = try maxRequestSize ?? environment.integer("SQSLITE_MAX_REQUEST_SIZE") ?? options.maxRequestSize
        options.allowedHosts =
            allowedHost.isEmpty
            ? (environment["SQSLITE_ALLOWED_HOSTS"] ?? "").split(separator: ",").map(String.init)
            : allowedHost
        guard options.maxConnections >= 1 else {
            throw ValidationError("--max-connections must be 1 or more.")
        }
        guard options.requestTimeout >= 0, options.idleTimeout >= 0 else {
            throw ValidationError("--request-timeout and --idle-timeout must be 0 or more seconds.")
        }
        guard options.maxRequestSize >= 1 else {
            throw ValidationError("--max-request-size must be 1 or more bytes.")
        }
        let durability = sync ?? environment["SQSLITE_SYNC"] ?? ServerOptions.Durability.normal.rawValue
        guard let parsed = ServerOptions.Durability(rawValue: durability.lowercased()) else {
            throw ValidationError("--sync must be normal or full.")
        }
        options.durability = parsed
        options.pythonInterpreter = python ?? environment["SQSLITE_PYTHON"] ?? options.pythonInterpreter
        options.asyncInvokeQueueDepth = try asyncInvokeQueueDepth ?? environment.integer("SQSLITE_ASYNC_INVOKE_QUEUE_DEPTH") ?? 1000
        guard options.asyncInvokeQueueDepth >= 1 else {
            throw ValidationError("--async-invoke-queue-depth must be 1 or more.")
        }
        options.logRetentionDays = try logRetentionDays ?? environment.integer("SQSLITE_LOG_RETENTION_DAYS") ?? options.logRetentionDays
        guard ServerOptions.logRetentionChoices.contains(options.logRetentionDays) else {
            throw ValidationError(
                "--log-retention-days must be one of \(ServerOptions.logRetentionChoices.map(String.init).joined(separator: ", ")).")
        }
        options.queueLogs = queueLogs || environment.flag("SQSLITE_QUEUE_LOGS")
        let output = (functionOutput ?? environment["SQSLITE_FUNCTION_OUTPUT"] ?? ServerOptions.FunctionOutput.console.rawValue).lowercased()
        guard let parsedOutput = ServerOptions.FunctionOutput(rawValue: output) else {
            throw ValidationError("--function-output must be console or none.")
        }
        options.functionOutput = parsedOutput
        guard options.deletedQueueCooldown >= 0 else {
            throw ValidationError("--deleted-queue-cooldown must be 0 or more seconds.")
        }
        guard (0...65535).contains(options.port) else {
            throw ValidationError("--port must be between 0 and 65535.")
        }
        guard options.accountID.count == 12, options.accountID.allSatisfy(\.isASCIIDigit) else {
            throw ValidationError("--account-id must be 12 digits.")
        }
        let levelName = (logLevel ?? environment["SQSLITE_LOG_LEVEL"] ?? "info").lowercased()
        guard let level = Logger.Level(rawValue: levelName == "warn" ? "warning" : levelName) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical.")
        }
        let formatName = (logFormat ?? environment["SQSLITE_LOG_FORMAT"] ?? "text").lowercased()
        guard let format = LogFormat(rawValue: formatName) else {
            throw ValidationError("--log-format must be text or json.")
        }
        return Settings(options: options, level: level, format: format)
    }
}

/// An error printed as is, exiting with status 1.
struct ValidationFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// The process environment.
struct Environment {
    subscript(name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }

    func integer(_ name: String) throws -> Int? {
        guard let text = self[name] else { return nil }
        guard let value = Int(text) else { throw ValidationError("\(name) must be a number, not \(text).") }
        return value
    }

    func flag(_ name: String) -> Bool {
        guard let text = self[name]?.lowercased() else { return false }
        return ["1", "true", "yes", "on"].contains(text)
    }
}

private func fflushStandardOutput() {
    fflush(nil)
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
