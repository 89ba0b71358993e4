import Foundation

/// The environment a function process starts with, in increasing precedence: the parent's `PATH`,
/// `HOME` (and a few variables local toolchains need), what Lambda sets, the server's
/// `baseEnvironment`, then the function's own `environment`. `AWS_LAMBDA_RUNTIME_API` is added
/// per process.
enum RuntimeEnvironment {
    /// Taken from sqslite's own environment when set.
    static let inherited = ["PATH", "HOME", "LANG", "USER", "TMPDIR", "VIRTUAL_ENV", "SSL_CERT_FILE", "SSL_CERT_DIR"]

    static func make(
        configuration: FunctionConfiguration, workingDirectory: String?, baseEnvironment: [String: String],
        parent: [String: String] = ProcessInfo.processInfo.environment
    ) -> [String: String] {
        var environment: [String: String] = [:]
        for name in inherited {
            if let value = parent[name] { environment[name] = value }
        }
        environment["AWS_LAMBDA_FUNCTION_NAME"] = configuration.name
        environment["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST"
        environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = String(configuration.memorySize)
        environment["AWS_LAMBDA_LOG_GROUP_NAME"] = "/aws/lambda/\(configuration.name)"
        environment["AWS_LAMBDA_LOG_STREAM_NAME"] = LambdaLogFormat.logStreamName()
        environment["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand"
        environment["AWS_EXECUTION_ENV"] = "AWS_Lambda_sqslite"
        let current = FileManager.default.currentDirectoryPath
        environment["LAMBDA_TASK_ROOT"] = workingDirectory.map { $0.hasPrefix("/") ? $0 : current + "/" + $0 } ?? current
        environment["TZ"] = ":UTC"
        // Python buffers stdout in a pipe; Lambda's log capture is line by line.
        environment["PYTHONUNBUFFERED"] = "1"
        if let handler = configuration.handler {
            environment["_HANDLER"] = handler
        }
        environment.merge(baseEnvironment) { _, new in new }
        environment.merge(configuration.environment) { _, new in new }
        return environment
    }
}
