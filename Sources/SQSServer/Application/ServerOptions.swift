import NIOCore
import SQSHTTP
import SQSLogs

/// Everything `sqslite serve` can be told: where to listen, where to store, what to pre-create.
public struct ServerOptions: Sendable {
    /// The address to bind, e.g. `127.0.0.1` or `0.0.0.0`; `localhost` (the default) binds both `127.0.0.1` and `::1`.
    public var host: String
    /// The port; `0` picks a free one (see ``SQSLiteServer/localAddress``).
    public var port: Int
    /// The folder holding the database file `sqslite.db`; created when missing.
    public var dataDirectory: String
    /// Keep everything in memory: no files, nothing survives a restart.
    public var inMemory: Bool
    /// A config file whose queues are created at startup.
    public var configPath: String?
    /// The region of requests that do not name one.
    public var region: String
    /// The account of requests whose access key is not a 12-digit number.
    public var accountID: String
    /// Whether SIGINT and SIGTERM start a graceful shutdown (the executable sets this; a test
    /// embedding the server cancels its task instead).
    public var handlesSignals: Bool
    /// Whether freed heap memory is returned to the system every few seconds (``MemoryTrimmer``;
    /// the executable sets this, with ``MallocSettings`` applied at its start).
    public var trimsMemory = false
    /// Seconds after DeleteQueue before the name can be used again (60 as on AWS; 0 turns it off).
    public var deletedQueueCooldown: Int
    /// Whether `/admin` (the admin page and its JSON API) is served.
    public var adminEnabled: Bool = true
    /// When set, the admin page, the peek API and `/metrics` ask for this token (cookie from the
    /// admin page's sign-in form, or `Authorization: Bearer`).
    public var adminToken: String?
    /// How many connections are served at once; further clients wait until one closes.
    public var maxConnections: Int = HTTPServerConfiguration.defaultMaxConnections
    /// Seconds a client has to send one whole request (head and body); 0 for no limit.
    public var requestTimeout: Int = HTTPServerConfiguration.defaultRequestTimeoutSeconds
    /// Seconds a keep-alive connection may sit idle before it is closed; 0 for no limit.
    public var idleTimeout: Int = HTTPServerConfiguration.defaultIdleTimeoutSeconds
    /// The largest request body accepted, in bytes; larger ones get a 413.
    public var maxRequestSize: Int = HTTPServerConfiguration.defaultMaxRequestBodySize
    /// Host names answered besides `localhost`, `*.localhost`, IP literals and the bind address (DNS
    /// rebinding protection): a container name such as `sqslite`, `*.domain`, or `*` to allow any.
    public var allowedHosts: [String] = []
    /// How hard each commit works to survive a crash (`--sync`).
    public var durability: Durability = .normal
    /// The most asynchronous (`Event`) Lambda invocations waiting at once; more get a 429.
    public var asyncInvokeQueueDepth: Int = 1000
    /// The interpreter of `python3.x` functions created with the Lambda API (`--python`).
    public var pythonInterpreter: String = "python3"
    /// Days the events of the log groups sqslite writes (`/aws/lambda/…`, `/sqslite/…`) are kept
    /// while a group has no retention policy of its own; one of CloudWatch's retention values, or 0
    /// to keep them (`--log-retention-days`).
    public var logRetentionDays: Int = ServerOptions.defaultLogRetentionDays
    /// The default of ``logRetentionDays``: a week.
    public static let defaultLogRetentionDays = 7
    /// The values ``logRetentionDays`` takes: 0 (keep) and CloudWatch's retention periods.
    public static let logRetentionChoices = [0] + LogsLimits.retentionDays
    /// Whether each queue's message lifecycle is written to the log group `/sqslite/<queue>` (`--queue-logs`).
    public var queueLogs = false
    /// Where functions' output goes besides their log group (`--function-output`).
    public enum FunctionOutput: String, Sendable, CaseIterable {
        /// Each line on sqslite's console at `info`, prefixed with the function's name (as `sam local` does).
        case console
        /// Only to the log group.
        case none
    }
    /// Where functions' output goes besides their log group; ``FunctionOutput/console`` by default.
    public var functionOutput: FunctionOutput = .console
    /// Whether SES sends from addresses that were never verified (off: SES's sandbox rule).
    public var sesAllowUnverified = false
    /// Whether test suites may move the server's clock (`/_sqslite/clock`, `--controllable-clock`).
    public var controllableClock = false
    /// Calls kept in the call record (`--call-record-size`); `nil` for the config file's, or 1,000.
    public var callRecordSize: Int?
    /// Whether the call record keeps request bodies (`--record-call-bodies`).
    public var recordCallBodies = false
    /// Whether every call is also written to `calls.db` (`--record-calls-in-database`).
    public var recordCallsInDatabase = false
    /// Whether every SQS, Lambda, Logs and STS request must carry a valid SigV4 signature of a
    /// principal of the config file's `auth:` section, and is authorized by IAM policies (`--auth`;
    /// the config's `auth.enabled: true` turns it on too).
    public var authEnabled: Bool = false

    /// The options of `sqslite serve` without flags, whose values its help text quotes.
    public static let defaults = ServerOptions()

    /// The HTTP server's configuration for these options.
    public var httpConfiguration: HTTPServerConfiguration {
        HTTPServerConfiguration(
            host: host, port: port, maxRequestBodySize: maxRequestSize,
            idleTimeout: idleTimeout > 0 ? .seconds(Int64(idleTimeout)) : nil,
            requestTimeout: requestTimeout > 0 ? .seconds(Int64(requestTimeout)) : nil,
            maxConnections: maxConnections, allowedHosts: HTTPHostAllowList(allowedHosts))
    }

    /// Where functions created with the Lambda API keep their unpacked code, or `nil` in memory
    /// (a temporary folder is used then, removed when the server stops).
    public var functionsDirectory: String? {
        inMemory ? nil : (dataDirectory.hasSuffix("/") ? dataDirectory : dataDirectory + "/") + "functions"
    }

    /// Creates options; the defaults are those of `sqslite serve` without flags.
    public init(
        host: String = "localhost", port: Int = 9324, dataDirectory: String = "./.sqslite", inMemory: Bool = false,
        configPath: String? = nil, region: String = "us-east-1", accountID: String = "000000000000", handlesSignals: Bool = false,
        deletedQueueCooldown: Int = 60
    ) {
        self.deletedQueueCooldown = deletedQueueCooldown
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.inMemory = inMemory
        self.configPath = configPath
        self.region = region
        self.accountID = accountID
        self.handlesSignals = handlesSignals
    }

    /// The database file, or `nil` in memory.
    public var databasePath: String? {
        inMemory ? nil : (dataDirectory.hasSuffix("/") ? dataDirectory : dataDirectory + "/") + "sqslite.db"
    }
}

extension ServerOptions {
    /// What an acknowledged change survives (SQLite's `synchronous` setting in WAL mode).
    public enum Durability: String, Sendable, CaseIterable {
        /// A crash of sqslite (even `kill -9`); the last changes before a power loss or an OS crash
        /// may be lost, the database stays consistent. The default.
        case normal
        /// Also a power loss or an OS crash: every commit is on disk (fsync) before it is acknowledged.
        case full
    }
}
