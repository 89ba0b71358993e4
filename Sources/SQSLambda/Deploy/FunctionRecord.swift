/// A function created through the Lambda API (CreateFunction), as it is saved between runs: its
/// configuration, where its unpacked code is, its tags and reserved concurrency.
///
/// The state (`Pending`/`Active`, `LastUpdateStatus`) is not saved: a function loaded at startup
/// is `Pending` until it is registered, as after a create.
public struct FunctionRecord: Codable, Sendable, Equatable {
    /// The function name.
    public var name: String
    /// `python3.12`, `provided.al2023`, `nodejs20.x`, …
    public var runtime: String
    /// `app.handler`; what `provided` runtimes read from `_HANDLER`.
    public var handler: String?
    /// The execution role's ARN; with `--auth`, a role of `auth.principals` whose session
    /// credentials the function's processes get (see ``ExecutionRoleResolver``).
    public var role: String
    public var description: String
    /// Seconds.
    public var timeout: Int
    /// MB.
    public var memorySize: Int
    public var environment: [String: String]
    /// The SHA-256 of the zip, base64, as Lambda reports `CodeSha256`.
    public var codeSha256: String
    /// The zip's size in bytes (`CodeSize`).
    public var codeSize: Int
    /// The unpacked code's folder, relative to the functions folder (`<name>/<sha256 hex>`).
    public var codeFolder: String
    /// `LastModified`, e.g. `2024-05-01T12:00:00.000+0000`.
    public var lastModified: String
    /// Changes with every update (`RevisionId`).
    public var revisionID: String
    public var tags: [String: String]
    /// `ReservedConcurrentExecutions`, or `nil` when the function has none.
    public var reservedConcurrency: Int?
    /// `x86_64` or `arm64` (reported; the code runs on this machine).
    public var architectures: [String]
    /// `/tmp` size in MB (reported).
    public var ephemeralStorage: Int

    /// Creates a record.
    public init(
        name: String, runtime: String, handler: String?, role: String, description: String = "", timeout: Int = 3, memorySize: Int = 128,
        environment: [String: String] = [:], codeSha256: String, codeSize: Int, codeFolder: String, lastModified: String, revisionID: String,
        tags: [String: String] = [:], reservedConcurrency: Int? = nil, architectures: [String] = ["x86_64"], ephemeralStorage: Int = 512
    ) {
        self.name = name
        self.runtime = runtime
        self.handler = handler
        self.role = role
        self.description = description
        self.timeout = timeout
        self.memorySize = memorySize
        self.environment = environment
        self.codeSha256 = codeSha256
        self.codeSize = codeSize
        self.codeFolder = codeFolder
        self.lastModified = lastModified
        self.revisionID = revisionID
        self.tags = tags
        self.reservedConcurrency = reservedConcurrency
        self.architectures = architectures
        self.ephemeralStorage = ephemeralStorage
    }
}
