/// A function's settings: what the config file or the registering code gave.
public struct FunctionConfiguration: Sendable, Equatable {
    /// How the function runs.
    public enum Kind: String, Sendable {
        /// A Swift closure in this process.
        case inProcess
        /// A local process speaking the Lambda Runtime API.
        case process
        /// An HTTP endpoint that takes the event as a POST body.
        case url
    }

    /// The function name (unique).
    public var name: String
    /// How it runs.
    public var kind: Kind
    /// The most seconds one invocation may take (Lambda's default is 3).
    public var timeout: Int
    /// The memory size reported to the function, in MB.
    public var memorySize: Int
    /// Environment variables given to the function.
    public var environment: [String: String]
    /// The handler name (`_HANDLER`), when there is one.
    public var handler: String?
    /// A description for ListFunctions.
    public var runtime: String
    /// The execution role's ARN (`arn:aws:iam::<account>:role/<name>`), when the function has one:
    /// with `--auth`, what the function's own requests and its event-source mappings may do.
    public var role: String?

    /// Creates a configuration.
    public init(
        name: String, kind: Kind, timeout: Int = 3, memorySize: Int = 128, environment: [String: String] = [:],
        handler: String? = nil, runtime: String = "provided.al2023", role: String? = nil
    ) {
        self.role = role
        self.name = name
        self.kind = kind
        self.timeout = timeout
        self.memorySize = memorySize
        self.environment = environment
        self.handler = handler
        self.runtime = runtime
    }

    /// The function's ARN in an account and region.
    public func arn(account: String, region: String) -> String {
        "arn:aws:lambda:\(region):\(account):function:\(name)"
    }
}
