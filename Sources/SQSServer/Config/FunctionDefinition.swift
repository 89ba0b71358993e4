/// A Lambda function the config file declares: a local process (`command`, or `runtime` and
/// `handler` as on Lambda, e.g. `python3.12` + `app.handler`) or an HTTP endpoint (`url`).
public struct FunctionDefinition: Sendable, Equatable {
    /// The function name.
    public var name: String
    /// The command to start (program and arguments), for a process function.
    public var command: [String]?
    /// The endpoint to POST events to, for an HTTP function.
    public var url: String?
    /// A Lambda runtime (`python3.12`, `nodejs20.x`, `provided.al2023`) that runs `handler` from
    /// `workingDirectory`, instead of a `command`.
    public var runtime: String?
    /// The process's working directory, resolved against the config file's folder.
    public var workingDirectory: String?
    /// Environment variables.
    public var environment: [String: String]
    /// Seconds per invocation (default 3, as Lambda's).
    public var timeout: Int
    /// Memory size reported to the function, MB.
    public var memorySize: Int
    /// The handler name (`_HANDLER`).
    public var handler: String?
    /// The execution role: the name (or ARN) of a `role` principal in `auth.principals`. With
    /// authentication on, a process function gets temporary credentials for it.
    public var role: String?
    /// The line of the entry.
    public var line: Int

    /// Creates a definition.
    public init(
        name: String, command: [String]? = nil, url: String? = nil, workingDirectory: String? = nil, environment: [String: String] = [:],
        timeout: Int = 3, memorySize: Int = 128, handler: String? = nil, role: String? = nil, line: Int = 0, runtime: String? = nil
    ) {
        self.role = role
        self.runtime = runtime
        self.name = name
        self.command = command
        self.url = url
        self.workingDirectory = workingDirectory
        self.environment = environment
        self.timeout = timeout
        self.memorySize = memorySize
        self.handler = handler
        self.line = line
    }
}
