import AsyncHTTPClient
import Logging
import SQSAuth
import SQSLambda

/// Registers the config file's functions and creates (or updates) its event-source mappings.
struct LambdaConfigApplier {
    let functions: FunctionRegistry
    let mappings: EventSourceMappingManager
    let options: ServerOptions
    /// sqslite's own endpoint, given to process functions as `AWS_ENDPOINT_URL`.
    let endpoint: String
    let logger: Logger
    /// Where process functions' log lines go (the CloudWatch Logs store).
    var logSink: FunctionLogSink? = nil
    /// With `--auth`, the principals: a function's `role` must be one, and its process gets
    /// temporary credentials for a session of it.
    var directory: PrincipalDirectory? = nil
    /// How `runtime:` functions are started (the Python interpreter, sqslite's runtime loop).
    var runtime: FunctionRuntime? = nil
    /// The client `url:` functions post their events with (the server's, shut down when it stops).
    let endpointClient: HTTPClient

    func apply(_ config: ConfigFile) async throws(StartupError) {
        for definition in config.functions {
            functions.register(try await makeFunction(definition, config: config))
        }
        for definition in config.eventSourceMappings {
            let arn = definition.queue.hasPrefix("arn:") ? definition.queue : "arn:aws:sqs:\(options.region):\(options.accountID):\(definition.queue)"
            let settings = EventSourceMappingSettings(
                batchSize: definition.batchSize, maximumBatchingWindowInSeconds: definition.maximumBatchingWindowInSeconds,
                functionResponseTypes: definition.functionResponseTypes,
                maximumConcurrency: definition.maximumConcurrency.map { .some($0) }, enabled: definition.enabled)
            do {
                _ = try await mappings.upsert(eventSourceArn: arn, functionName: definition.function, settings: settings)
            } catch {
                throw StartupError("\(config.path):\(definition.line): eventSourceMappings: \(error.type): \(error.message)")
            }
        }
    }

    /// The environment every process function gets so that AWS SDKs inside it talk to sqslite,
    /// with the credentials of its role's session when it has one (else placeholders).
    func baseEnvironment(credential: SigningCredential? = nil) -> [String: String] {
        [
            "AWS_ENDPOINT_URL": endpoint, "AWS_ENDPOINT_URL_SQS": endpoint, "AWS_REGION": options.region,
            "AWS_DEFAULT_REGION": options.region,
        ].merging(PrincipalExecutionRoles.environment(credential)) { _, credentials in credentials }
    }

    /// A function's role: its ARN, and (with `--auth`) its session's temporary credentials, as
    /// Lambda hands an execution role to a function.
    func role(of definition: FunctionDefinition, config: ConfigFile) throws(StartupError) -> (arn: String?, credential: SigningCredential?) {
        guard let role = definition.role else { return (nil, nil) }
        let name = role.hasPrefix("arn:") ? String(role.split(separator: "/").last ?? "") : role
        guard let directory else { return ("arn:aws:iam::\(options.accountID):role/\(name)", nil) }
        guard let principal = directory.principal(named: name, type: .role) else {
            throw StartupError("\(config.path):\(definition.line): functions[\(definition.name)].role: there is no role \(name) in auth.principals")
        }
        do {
            return (principal.arn, try directory.startSession(role: name, session: definition.name))
        } catch {
            throw StartupError("\(config.path):\(definition.line): functions[\(definition.name)].role: \(error)")
        }
    }

    private func makeFunction(_ definition: FunctionDefinition, config: ConfigFile) async throws(StartupError) -> any LambdaFunction {
        let role = try role(of: definition, config: config)
        if let url = definition.url {
            let configuration = FunctionConfiguration(
                name: definition.name, kind: .url, timeout: definition.timeout, memorySize: definition.memorySize,
                environment: definition.environment, handler: definition.handler, runtime: "url", role: role.arn)
            guard let function = HTTPEndpointFunction(configuration: configuration, url: url, client: endpointClient) else {
                throw StartupError("\(config.path):\(definition.line): functions[\(definition.name)].url: expected an http:// URL, not \(url)")
            }
            return function
        }
        if let runtimeName = definition.runtime, let runtime {
            let folder = definition.workingDirectory ?? ConfigFile.resolve(".", against: config.path)
            let command: [String]
            do {
                try FunctionRuntime.validate(runtime: runtimeName, handler: definition.handler)
                command = try await runtime.command(runtime: runtimeName, handler: definition.handler, codeFolder: folder)
            } catch {
                throw StartupError("\(config.path):\(definition.line): functions[\(definition.name)].runtime: \(error.message)")
            }
            let configuration = FunctionConfiguration(
                name: definition.name, kind: .process, timeout: definition.timeout, memorySize: definition.memorySize,
                environment: definition.environment, handler: definition.handler, runtime: runtimeName)
            return makeProcessFunction(configuration, command: command, workingDirectory: folder)
        }
        let configuration = FunctionConfiguration(
            name: definition.name, kind: .process, timeout: definition.timeout, memorySize: definition.memorySize,
            environment: definition.environment, handler: definition.handler, runtime: "provided (local process)", role: role.arn)
        return makeProcessFunction(
            configuration, command: definition.command ?? [], workingDirectory: definition.workingDirectory, credential: role.credential)
    }
}
