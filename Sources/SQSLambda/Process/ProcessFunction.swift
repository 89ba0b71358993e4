import Foundation
import Logging
import Synchronization

/// A function that is a local process speaking the Lambda Runtime API: AWS's own runtime clients
/// (`python3 -m awslambdaric app.handler`) and custom runtimes (`bootstrap`) run unchanged.
///
/// Processes stay warm between invocations and run one invocation at a time each; another process
/// is started when all are busy, up to `maxProcesses`. A process that exits is replaced on the
/// next invocation (an invocation it was running fails with `Runtime.ExitError`), and one that
/// does not answer within the timeout is killed and replaced.
///
/// The process environment is the parent's `PATH` and `HOME`, what Lambda sets
/// (`AWS_LAMBDA_FUNCTION_NAME`, `AWS_LAMBDA_FUNCTION_VERSION`, `AWS_LAMBDA_FUNCTION_MEMORY_SIZE`,
/// `AWS_LAMBDA_LOG_GROUP_NAME`, `_HANDLER`, `LAMBDA_TASK_ROOT`, `TZ`, …), then `baseEnvironment`
/// (sqslite's endpoint and dummy credentials), then the function's own `environment`.
public final class ProcessFunction: LambdaFunction {
    /// The settings (kind ``FunctionConfiguration/Kind/process``).
    public let configuration: FunctionConfiguration
    private let command: [String]
    private let workingDirectory: String?
    private let baseEnvironment: [String: String]
    private let maxProcesses: Int
    private let logger: Logger

    private struct Pool {
        var idle: [FunctionProcess] = []
        var busy = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
        var all: [FunctionProcess] = []
        var nextID = 1
        var stopped = false
    }

    private let pool = Mutex(Pool())

    /// Creates a function; no process starts until the first invocation.
    public init(
        configuration: FunctionConfiguration, command: [String], workingDirectory: String?, baseEnvironment: [String: String],
        maxProcesses: Int = 10, logger: Logger
    ) {
        self.configuration = configuration
        self.command = command
        self.workingDirectory = workingDirectory
        self.baseEnvironment = baseEnvironment
        self.maxProcesses = max(1, maxProcesses)
        self.logger = logger
    }

    public func invoke(_ invocation: Invocation) async -> InvocationOutcome {
        let process: FunctionProcess
        do {
            process = try await acquire()
        } catch {
            return InvocationOutcome(result: .functionError(type: "Runtime.StartError", message: "\(error)", payload: []))
        }
        let outcome = await process.run(invocation, timeout: configuration.timeout)
        await release(process)
        return outcome
    }

    public func shutdown() async {
        let processes = pool.withLock { pool in
            pool.stopped = true
            let waiters = pool.waiters
            pool.waiters = []
            for waiter in waiters { waiter.resume() }
            return pool.all
        }
        await withTaskGroup(of: Void.self) { group in
            for process in processes {
                group.addTask { await process.stop() }
            }
        }
    }

    /// The number of processes running now.
    public var processCount: Int {
        pool.withLock { $0.all.count }
    }

    /// An idle healthy process, a new one, or (when `maxProcesses` run) the next one released.
    private func acquire() async throws -> FunctionProcess {
        while true {
            enum Step {
                case use(FunctionProcess)
                case start(Int)
                case wait
                case stopped
            }
            let step: Step = pool.withLock { pool in
                if pool.stopped { return .stopped }
                while let process = pool.idle.popLast() {
                    if process.isHealthy {
                        pool.busy += 1
                        return .use(process)
                    }
                    pool.all.removeAll { $0 === process }
                }
                if pool.all.count < maxProcesses {
                    pool.busy += 1
                    defer { pool.nextID += 1 }
                    return .start(pool.nextID)
                }
                return .wait
            }
            switch step {
            case .use(let process):
                return process
            case .start(let id):
                let process = FunctionProcess(id: id, configuration: configuration, logger: logger)
                pool.withLock { $0.all.append(process) }
                do {
                    try await process.start(command: command, workingDirectory: workingDirectory, environment: environment())
                    return process
                } catch {
                    await release(process)
                    throw error
                }
            case .wait:
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let resumeNow = pool.withLock { pool -> Bool in
                        if pool.stopped || pool.all.count < maxProcesses || !pool.idle.isEmpty { return true }
                        pool.waiters.append(continuation)
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            case .stopped:
                throw ProcessFunctionError("the function \(configuration.name) is shut down")
            }
        }
    }

    private func release(_ process: FunctionProcess) async {
        let healthy = process.isHealthy
        if !healthy { await process.stop(grace: .milliseconds(200)) }
        let waiter = pool.withLock { pool -> CheckedContinuation<Void, Never>? in
            pool.busy -= 1
            if healthy && !pool.stopped {
                pool.idle.append(process)
            } else {
                pool.all.removeAll { $0 === process }
            }
            return pool.waiters.isEmpty ? nil : pool.waiters.removeFirst()
        }
        waiter?.resume()
    }

    private func environment() -> [String: String] {
        let parent = ProcessInfo.processInfo.environment
        var environment: [String: String] = [:]
        for name in ["PATH", "HOME", "LANG", "USER", "TMPDIR", "VIRTUAL_ENV", "PYTHONPATH", "SSL_CERT_FILE", "SSL_CERT_DIR"] {
            if let value = parent[name] { environment[name] = value }
        }
        environment["AWS_LAMBDA_FUNCTION_NAME"] = configuration.name
        environment["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST"
        environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = String(configuration.memorySize)
        environment["AWS_LAMBDA_FUNCTION_TIMEOUT"] = String(configuration.timeout)
        environment["AWS_LAMBDA_LOG_GROUP_NAME"] = "/aws/lambda/\(configuration.name)"
        environment["AWS_EXECUTION_ENV"] = "AWS_Lambda_sqslite"
        environment["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand"
        environment["TZ"] = ":UTC"
        environment["PYTHONUNBUFFERED"] = "1"
        if let handler = configuration.handler { environment["_HANDLER"] = handler }
        if let workingDirectory { environment["LAMBDA_TASK_ROOT"] = workingDirectory }
        environment.merge(baseEnvironment) { _, new in new }
        environment.merge(configuration.environment) { _, new in new }
        return environment
    }
}
