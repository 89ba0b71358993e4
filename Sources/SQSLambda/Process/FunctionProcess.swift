import Logging
import NIOCore
import NIOHTTP1
import SQSHTTP
import Subprocess
import Synchronization
import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One running function process with its own Runtime API endpoint; it runs one invocation at a time.
///
/// The process is started with `AWS_LAMBDA_RUNTIME_API` pointing at a private HTTP listener
/// (``RuntimeAPIResponder``), so it pulls work with `GET …/invocation/next` exactly as on Lambda.
/// This file holds the lifecycle (start, exit, stop); `FunctionProcess+Invoke.swift` runs an
/// invocation and `FunctionProcess+RuntimeAPI.swift` answers the runtime's calls.
///
/// The process runs inside a task that holds swift-subprocess's `run` call: its closure streams
/// stdout and stderr into the ``ProcessLogCollector`` and returns when both end, and `run` returns
/// once the process has ended and been reaped, with the status that becomes its ``ProcessExit``.
/// The process leads its own process group (`PlatformOptions.processGroupID = 0`), and signals go
/// to the whole group, so helpers it started die with it; ``ParentWatch`` kills the group when
/// sqslite dies. Signals are only sent while `run`'s closure runs: the process is not reaped
/// before it returns, so its pid and group id cannot belong to anyone else.
///
/// ## Sendable
/// All mutable state is behind `Mutex`es; the subprocess `Execution` is only used through the
/// signalling closure kept in the state while `run`'s closure runs.
final class FunctionProcess: Sendable {
    /// The invocation assigned to this process.
    struct Assignment {
        var invocation: Invocation
        /// Resolved with the invocation's result: the runtime's answer, its init error, or the process's exit.
        let result = OneShot<InvocationOutcome.Result>()
        /// Resolved when `GET …/next` first hands the invocation to the runtime.
        let handover = OneShot<ContinuousClock.Instant>()
        /// When `GET …/next` handed it to the runtime; `nil` while it waits for the runtime.
        var handedOverAt: ContinuousClock.Instant?
        /// Whether the runtime has posted its response or error.
        var answered = false

        init(invocation: Invocation) {
            self.invocation = invocation
        }

        /// Records the handover (under the process's lock).
        mutating func handOver() {
            let now = ContinuousClock.now
            handedOverAt = now
            handover.resolve(now)
        }
    }

    struct State {
        var pid: Int32 = 0
        var assignment: Assignment?
        var nextWaiter: (id: UInt64, continuation: CheckedContinuation<Invocation?, Never>)?
        var nextWaiterCount: UInt64 = 0
        var initFailure: InvocationOutcome.Result?
        var exit: ProcessExit?
        var stopping = false
        /// When the runtime first asked for work: the end of its init.
        var readyAt: ContinuousClock.Instant?
        var invocations = 0
        var serverTask: Task<Void, Never>?
        /// The task that holds subprocess's `run`; it ends once the process has ended and been reaped.
        var processTask: Task<Void, Never>?
        /// Sends a signal to the process's group and to the process; set only while `run`'s closure runs.
        var signaller: (@Sendable (Int32) -> Void)?
    }

    /// The largest response or error document a runtime may post (Lambda's 6 MB limit).
    static let maxPayloadSize = 6_291_556

    /// How long a process that its stop asked to end (SIGTERM) has before SIGKILL.
    static let stopGrace = Duration.seconds(2)

    /// A number unique within the function, for logs.
    let id: Int
    let configuration: FunctionConfiguration
    let logger: Logger
    let log: ProcessLogCollector
    let state = Mutex(State())
    let startedAt = ContinuousClock.now
    /// Resolved when the process has ended and been reaped (`nil`: it never started).
    let ended = OneShot<ProcessExit?>()

    init(id: Int, configuration: FunctionConfiguration, logger: Logger, logSink: FunctionLogSink? = nil) {
        var logger = logger
        logger[metadataKey: "function"] = "\(configuration.name)"
        logger[metadataKey: "process"] = "\(id)"
        self.id = id
        self.configuration = configuration
        self.logger = logger
        self.log = ProcessLogCollector(logger: logger, function: configuration.name, sink: logSink)
    }

    /// Whether the process can take another invocation.
    var isHealthy: Bool {
        state.withLock { $0.exit == nil && !$0.stopping && $0.initFailure == nil }
    }

    /// Starts the Runtime API listener, then the process; returns once the process runs.
    ///
    /// - Parameters:
    ///   - environment: Everything but `AWS_LAMBDA_RUNTIME_API`, which is added here.
    ///   - functionArn: The function's ARN, for the `INIT_START` line.
    func start(command: [String], workingDirectory: String?, environment: [String: String], functionArn: String) async throws {
        guard !command.isEmpty else { throw ProcessFunctionError("\(configuration.name) has an empty command") }
        var serverLogger = logger
        serverLogger.logLevel = max(logger.logLevel, .notice)
        let server = HTTPServer(
            // Idle keep-alive connections close after the default idle time; a `/next` long poll is being
            // answered, so it is never cut.
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, maxRequestBodySize: Self.maxPayloadSize),
            responder: RuntimeAPIResponder(process: self), logger: serverLogger,
            oversizeResponse: { [weak self] head in
                RuntimeAPIResponder.payloadTooLarge(uri: head.uri, process: self)
            })
        state.withLock { $0.serverTask = Task { try? await server.run() } }
        guard let port = await server.localAddress?.port else {
            stopServer()
            throw ProcessFunctionError("cannot open the Runtime API listener for \(configuration.name)")
        }
        var environment = environment
        environment["AWS_LAMBDA_LOG_STREAM_NAME"] = log.streamName
        environment["AWS_LAMBDA_RUNTIME_API"] = "127.0.0.1:\(port)"

        let description = command.joined(separator: " ")
        let watch: ParentWatch
        do {
            watch = try ParentWatch()
        } catch {
            stopServer()
            state.withLock { $0.stopping = true }
            throw ProcessFunctionError("cannot start \(description): \(error)")
        }
        var platformOptions = PlatformOptions()
        // Its own process group, led by the process.
        platformOptions.processGroupID = 0
        // Only used should the task holding `run` be cancelled (see `stop`).
        platformOptions.teardownSequence = [.gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: Self.stopGrace)]
        let subprocess = Configuration(
            executable: .path("/bin/sh"), arguments: Arguments(ParentWatch.arguments(for: command)),
            environment: .custom(Dictionary(uniqueKeysWithValues: environment.map { (Environment.Key(stringLiteral: $0.key), $0.value) })),
            workingDirectory: workingDirectory.map { FilePath($0) }, platformOptions: platformOptions)

        log.beginInit(functionArn: functionArn)
        log.expectProcess()
        let launched = OneShot<Result<Int32, ProcessFunctionError>>()
        let task = Task { await self.supervise(subprocess, watch: watch, launched: launched, description: description) }
        state.withLock { $0.processTask = task }
        switch await launched.value() {
        case .success(let pid)?:
            logger.debug("function process started", metadata: ["pid": "\(pid)", "runtimeAPI": "127.0.0.1:\(port)"])
        case .failure(let error)?:
            stopServer()
            state.withLock { $0.stopping = true }
            throw error
        case nil:
            state.withLock { $0.stopping = true }
            throw ProcessFunctionError("the start of \(description) was cancelled")
        }
    }

    /// Marks a process that could not start as unusable.
    func markFailed() {
        state.withLock { $0.stopping = true }
    }

    /// Stops the process: SIGTERM to its group, then SIGKILL when it has not ended after `grace`;
    /// returns once it has ended (waiting at most `grace` more after SIGKILL), and closes its
    /// Runtime API listener.
    func stop(grace: Duration = FunctionProcess.stopGrace) async {
        let (waiter, task) = state.withLock { state in
            state.stopping = true
            defer { state.nextWaiter = nil }
            return (state.nextWaiter?.continuation, state.processTask)
        }
        waiter?.resume(returning: nil)
        if signal(SIGTERM) {
            if await !endsWithin(grace) {
                _ = signal(SIGKILL)
                _ = await endsWithin(grace)
            }
        } else if let task, ended.current == nil {
            // Still starting, or it closed its output but still runs: cancelling the task that
            // holds `run` starts subprocess's teardown (SIGTERM to the group, SIGKILL after `stopGrace`).
            task.cancel()
            _ = await endsWithin(Self.stopGrace + grace)
        }
        stopServer()
    }

    /// Kills the process group at once (a timed-out invocation); the process is not used again.
    func kill() {
        let task = state.withLock { state in
            state.stopping = true
            return state.processTask
        }
        if !signal(SIGKILL), ended.current == nil {
            task?.cancel()
        }
    }

    /// The process's peak resident memory (`VmHWM`), in MB; 0 when unknown.
    func maxMemoryUsedMB() -> Int {
        let pid = state.withLock { $0.pid }
        return pid > 0 ? LambdaLogFormat.peakMemoryMB(ofProcess: String(pid)) : 0
    }

    // MARK: - Private

    /// The body of the process's task: runs the process to its end, then reports its exit.
    private func supervise(
        _ subprocess: Configuration, watch: ParentWatch, launched: OneShot<Result<Int32, ProcessFunctionError>>, description: String
    ) async {
        let exit: ProcessExit
        do {
            let result = try await Subprocess.run(
                subprocess, input: .fileDescriptor(watch.readEnd, closeAfterSpawningProcess: true), output: .sequence, error: .sequence
            ) { execution in
                await follow(execution, launched: launched)
            }
            exit = ProcessExit(result.terminationStatus)
        } catch {
            watch.close()
            if launched.resolve(.failure(ProcessFunctionError("cannot start \(description): \(error)"))) {
                log.probe(processID: nil)
                ended.resolve(nil)
                return
            }
            logger.error("lost track of the function process", metadata: ["error": "\(error)"])
            exit = .status(-1)
        }
        // Whatever the process left running in its group goes too (the watcher sees its pipe close).
        watch.close()
        exited(exit)
    }

    /// `run`'s closure: streams the outputs into the log until both end. When they end because
    /// the process has exited (it is not reaped yet), whatever it left in its group is killed.
    private func follow(
        _ execution: Execution<FileDescriptorInput, SequenceOutput, SequenceOutput>, launched: OneShot<Result<Int32, ProcessFunctionError>>
    ) async {
        let pid = execution.processIdentifier.value
        let signaller: @Sendable (Int32) -> Void = { signal in
            // The group, then the process itself should it have left the group.
            try? execution.send(signal: Signal(rawValue: signal), toProcessGroup: true)
            try? execution.send(signal: Signal(rawValue: signal))
        }
        state.withLock { state in
            state.pid = pid
            state.signaller = signaller
        }
        log.probe(processID: pid)
        launched.resolve(.success(pid))
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.log.read(Self.chunks(of: execution.standardOutput), from: .standardOutput) }
            group.addTask { await self.log.read(Self.chunks(of: execution.standardError), from: .standardError) }
        }
        state.withLock { state in
            if Self.hasExited(execution.processIdentifier) {
                signaller(SIGKILL)
            }
            state.signaller = nil
        }
    }

    /// An output stream as byte arrays.
    private static func chunks(of output: SubprocessOutputSequence) -> some AsyncSequence<[UInt8], any Error> {
        output.map { buffer in buffer.withUnsafeBytes { Array($0) } }
    }

    /// Whether the process has exited (a zero-timeout `poll(2)` on its pidfd, which is readable
    /// once it has); `false` when there is no pidfd.
    private static func hasExited(_ process: ProcessIdentifier) -> Bool {
        guard process.processDescriptor >= 0 else { return false }
        var entry = pollfd(fd: process.processDescriptor, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 0) > 0
    }

    /// Whether the process ends within `limit`: a race between its end and a timer.
    private func endsWithin(_ limit: Duration) async -> Bool {
        await Race.first(
            { await self.ended.value() != nil },
            {
                try? await Task.sleep(for: limit)
                return false
            })
    }

    private func exited(_ exit: ProcessExit) {
        let (assignment, waiter) = state.withLock { state in
            state.exit = exit
            defer { state.nextWaiter = nil }
            return (state.assignment, state.nextWaiter?.continuation)
        }
        waiter?.resume(returning: nil)
        if let assignment, !assignment.answered {
            let message = LambdaLogFormat.exitErrorMessage(assignment.invocation.requestID, exit: exit)
            assignment.result.resolve(.functionError(type: "Runtime.ExitError", message: message, payload: []))
        }
        ended.resolve(exit)
        stopServer()
        logger.debug("function process exited", metadata: ["exit": "\(exit)"])
    }

    /// Sends `signal` to the process group while `run`'s closure runs; `false` otherwise (the
    /// process has ended, or closed its output).
    private func signal(_ signal: Int32) -> Bool {
        state.withLock { state in
            guard state.exit == nil, let signaller = state.signaller else { return false }
            signaller(signal)
            return true
        }
    }

    private func stopServer() {
        state.withLock { $0.serverTask }?.cancel()
    }
}

/// A process function could not start a process.
struct ProcessFunctionError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
