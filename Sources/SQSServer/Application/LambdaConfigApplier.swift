import Logging
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
    /// How `runtime:` functions are started (the Python interpreter, sqslite's runtime loop).
    var runtime: FunctionRuntime? = nil

    func apply(_ config: ConfigFile) async throws(StartupError) {
        for definition in config.functions {
            functions.register(try makeFunction(definition, config: config))
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

    /// The environment every process function gets so that AWS SDKs inside it talk to sqslite.
    var baseEnvironment: [String: String] {
        [
            "AWS_ENDPOINT_URL": endpoint, "AWS_ENDPOINT_URL_SQS": endpoint, "AWS_REGION": options.region,
            "AWS_DEFAULT_REGION": options.region, "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_SESSION_TOKEN": "test",
        ]
    }

    private func makeFunction(_ definition: FunctionDefinition, config: ConfigFile) throws(StartupError) -> any LambdaFunction {
        if let url = definition.url {
            let configuration = FunctionConfiguration(
                name: definition.name, kind: .url, timeout: definition.timeout, memorySize: definition.memorySize,
                environment: definition.environment, handler: definition.handler, runtime: "url")
            guard let function = HTTPEndpointFunction(configuration: configuration, url: url) else {
                throw StartupError("\(config.path):\(definition.line): functions[\(definition.name)].url: expected an http:// URL, not \(url)")
            }
            return function
        }
        if let runtimeName = definition.runtime, let runtime {
            let folder = definition.workingDirectory ?? ConfigFile.resolve(".", against: config.path)
            let command: [String]
            do {
                try FunctionRuntime.validate(runtime: runtimeName, handler: definition.handler)
                command = try runtime.command(runtime: runtimeName, handler: definition.handler, codeFolder: folder)
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
            environment: definition.environment, handler: definition.handler, runtime: "provided (local process)")
        return makeProcessFunction(configuration, command: definition.command ?? [], workingDirectory: definition.workingDirectory)
    }
}
