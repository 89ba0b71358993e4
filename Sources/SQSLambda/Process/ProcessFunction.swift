import Logging
import Synchronization

/// A function that is a local process speaking the Lambda Runtime API: AWS's own runtime clients
/// (`python3 -m awslambdaric app.handler`) and custom runtimes (`bootstrap`) run unchanged.
///
/// ```swift
/// let function = ProcessFunction(
///     configuration: FunctionConfiguration(name: "MessageProcessor", kind: .process, timeout: 30, handler: "app.handler"),
///     command: ["python3", "-m", "awslambdaric", "app.handler"],
///     workingDirectory: "examples/message-processor",
///     baseEnvironment: ["AWS_ENDPOINT_URL": "http://127.0.0.1:9324", "AWS_REGION": "us-east-1"],
///     logger: logger
/// )
/// let outcome = await function.invoke(invocation)
/// await function.shutdown()
/// ```
///
/// - Each process gets its own Runtime API listener on `127.0.0.1` and an ephemeral port, passed
///   as `AWS_LAMBDA_RUNTIME_API`.
/// - Processes stay warm between invocations and run one invocation at a time each; another process
///   starts when all are busy, up to `maxProcesses`, and further invocations wait for a free one.
/// - A process that exits is replaced on the next invocation; an invocation it was running fails
///   with `Runtime.ExitError`. One that posts `/runtime/init/error` fails its invocation and is
///   replaced too.
/// - The timeout counts from the moment the runtime takes the invocation. A process still busy
///   then is killed (SIGKILL to its process group) and replaced; the invocation is timed out.
/// - What a process prints (stdout and stderr) is the invocation's log, framed by `START`, `END` and
///   `REPORT` lines as in CloudWatch; `INIT_START` and what it prints during init open its first
///   invocation's log. Each process writes its own stream of `/aws/lambda/<function>` through the
///   log sink, line by line as it prints.
///
/// The environment is described in `RuntimeEnvironment`: the parent's `PATH` and `HOME`, what
/// Lambda sets (`AWS_LAMBDA_FUNCTION_NAME`, `_HANDLER`, `LAMBDA_TASK_ROOT`, `TZ`, …), then
/// `baseEnvironment`, then the function's own environment.
///
/// ## Sendable
/// The pool is behind a `Mutex`; each process guards its own state.
public final class ProcessFunction: LambdaFunction {
    /// The settings (kind ``FunctionConfiguration/Kind/process``).
    public let configuration: FunctionConfiguration
    private let command: [String]
    private let workingDirectory: String?
    private let baseEnvironment: [String: String]
    private let maxProcesses: Int
    private let logger: Logger
    private let logSink: FunctionLogSink?

    private struct Pool {
        var idle: [FunctionProcess] = []
        var all: [FunctionProcess] = []
        var waiters: [CheckedContinuation<Void, Never>] = []
        var nextID = 1
        var stopped = false
    }

    private let pool = Mutex(Pool())

    /// Creates a function; no process starts until the first invocation.
    ///
    /// - Parameters:
    ///   - configuration: Name, timeout, memory size, environment and handler (`_HANDLER`).
    ///   - command: The program and its arguments; a bare name is looked up on `PATH`.
    ///   - workingDirectory: Where the process starts (also `LAMBDA_TASK_ROOT`); sqslite's own when `nil`.
    ///   - baseEnvironment: Set by the server under the function's own environment: `AWS_ENDPOINT_URL`,
    ///     `AWS_ENDPOINT_URL_SQS`, `AWS_REGION`, `AWS_DEFAULT_REGION`, dummy credentials.
    ///   - maxProcesses: The most processes (so concurrent invocations) at once.
    ///   - logger: Gets process events and, at debug level, every line the processes print.
    ///   - logSink: Gets the processes' CloudWatch-style log lines as they arrive (see ``FunctionLogSink``).
    public init(
        configuration: FunctionConfiguration, command: [String], workingDirectory: String?, baseEnvironment: [String: String],
        maxProcesses: Int = 10, logger: Logger, logSink: FunctionLogSink? = nil
    ) {
        self.logSink = logSink
        self.configuration = configuration
        self.command = command
        self.workingDirectory = workingDirectory
        self.baseEnvironment = baseEnvironment
        self.maxProcesses = max(1, maxProcesses)
        self.logger = logger
    }

    /// Runs the invocation on an idle process, or a new one, waiting for one when `maxProcesses` are busy.
    /// A process that cannot be started makes a `Runtime.StartError` function error.
    public func invoke(_ invocation: Invocation) async -> InvocationOutcome {
        let process: FunctionProcess
        do {
            process = try await acquire(functionArn: invocation.functionArn)
        } catch {
            return InvocationOutcome(result: .functionError(type: "Runtime.StartError", message: "\(error)", payload: []))
        }
        let outcome = await process.run(invocation, timeout: configuration.timeout)
        release(process)
        return outcome
    }

    /// Stops every process (SIGTERM, then SIGKILL after 2 seconds) and its Runtime API listener.
    /// Invocations after this fail with `Runtime.StartError`.
    public func shutdown() async {
        let (processes, waiters) = pool.withLock { pool in
            pool.stopped = true
            defer {
                pool.all = []
                pool.idle = []
                pool.waiters = []
            }
            return (pool.all, pool.waiters)
        }
        for waiter in waiters {
            waiter.resume()
        }
        await withTaskGroup(of: Void.self) { group in
            for process in processes {
                group.addTask { await process.stop() }
            }
        }
    }

    /// Each process writes its own log stream.
    public var writesOwnLog: Bool { true }

    /// The number of processes started and not yet retired.
    public var processCount: Int {
        pool.withLock { $0.all.count }
    }

    // MARK: - Private

    private enum Step {
        case use(FunctionProcess)
        case start(FunctionProcess)
        case wait
        case stopped
    }

    /// An idle healthy process, a new one, or (when `maxProcesses` run) the next one released.
    private func acquire(functionArn: String) async throws -> FunctionProcess {
        while true {
            let step: Step = pool.withLock { pool in
                if pool.stopped { return .stopped }
                while let process = pool.idle.popLast() {
                    if process.isHealthy { return .use(process) }
                    retire(process, from: &pool)
                }
                guard pool.all.count < maxProcesses else { return .wait }
                let process = FunctionProcess(id: pool.nextID, configuration: configuration, logger: logger, logSink: logSink)
                pool.nextID += 1
                pool.all.append(process)
                return .start(process)
            }
            switch step {
            case .use(let process):
                return process
            case .start(let process):
                do {
                    let environment = RuntimeEnvironment.make(
                        configuration: configuration, workingDirectory: workingDirectory, baseEnvironment: baseEnvironment)
                    try await process.start(
                        command: command, workingDirectory: workingDirectory, environment: environment, functionArn: functionArn)
                    return process
                } catch {
                    process.markFailed()
                    release(process)
                    logger.warning("cannot start function process", metadata: ["function": "\(configuration.name)", "error": "\(error)"])
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

    /// Returns a process to the idle list, or retires it when it can no longer be used; then wakes
    /// one waiting invocation.
    private func release(_ process: FunctionProcess) {
        let healthy = process.isHealthy
        let waiter = pool.withLock { pool -> CheckedContinuation<Void, Never>? in
            if healthy && !pool.stopped {
                pool.idle.append(process)
            } else {
                retire(process, from: &pool)
            }
            return pool.waiters.isEmpty ? nil : pool.waiters.removeFirst()
        }
        waiter?.resume()
    }

    /// Drops `process` from the pool and stops it in the background (it may still be running after
    /// an init error or a timeout).
    private func retire(_ process: FunctionProcess, from pool: inout Pool) {
        pool.all.removeAll { $0 === process }
        Task { await process.stop() }
    }
}
