import Foundation
import Logging
import NIOCore
import NIOHTTP1
import SQSHTTP
import Synchronization

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
/// The process leads its own process group (Foundation's `Process` spawns it so), and signals go to
/// the whole group, so helpers it started die with it.
///
/// ## Sendable
/// All mutable state is behind `Mutex`es; Foundation's `Process` (not `Sendable`) is only touched
/// inside its `Mutex`, and afterwards the process is addressed by its pid with `kill(2)`.
final class FunctionProcess: Sendable {
    /// The invocation assigned to this process.
    struct Assignment {
        var invocation: Invocation
        var resolve: @Sendable (InvocationOutcome.Result) -> Void
        /// When `GET …/next` handed it to the runtime; `nil` while it waits for the runtime.
        var handedOverAt: ContinuousClock.Instant?
        /// Whether the runtime has posted its response or error.
        var answered = false
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
    }

    /// The largest response or error document a runtime may post (Lambda's 6 MB limit).
    static let maxPayloadSize = 6_291_556

    /// A number unique within the function, for logs.
    let id: Int
    let configuration: FunctionConfiguration
    let logger: Logger
    let log: ProcessLogCollector
    let state = Mutex(State())
    let startedAt = ContinuousClock.now
    /// Keeps Foundation's `Process` (and so its pipes and termination handler) alive; never read.
    private let launched = Mutex<Process?>(nil)

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

    /// Starts the Runtime API listener, then the process.
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

        let process = Process()
        // `env` finds the command on the function's PATH, as a shell would.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        process.environment = environment
        if let workingDirectory {
            process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory)
        }
        let standardOutput = Pipe()
        let standardError = Pipe()
        process.standardOutput = standardOutput
        process.standardError = standardError
        process.standardInput = FileHandle.nullDevice
        log.beginInit(functionArn: functionArn)
        log.attach(standardOutput.fileHandleForReading, as: .standardOutput)
        log.attach(standardError.fileHandleForReading, as: .standardError)
        process.terminationHandler = { [weak self] process in
            let exit: ProcessExit =
                process.terminationReason == .uncaughtSignal ? .signal(process.terminationStatus) : .status(process.terminationStatus)
            self?.exited(exit)
        }
        do {
            try process.run()
        } catch {
            stopServer()
            state.withLock { $0.stopping = true }
            throw ProcessFunctionError("cannot start \(command.joined(separator: " ")): \(error)")
        }
        let pid = process.processIdentifier
        state.withLock { $0.pid = pid }
        launched.withLock { $0 = process }
        logger.debug("function process started", metadata: ["pid": "\(pid)", "runtimeAPI": "127.0.0.1:\(port)"])
    }

    /// Marks a process that could not start as unusable.
    func markFailed() {
        state.withLock { $0.stopping = true }
    }

    /// Stops the process: SIGTERM to its group, then SIGKILL after `grace`; closes its Runtime API listener.
    func stop(grace: Duration = .seconds(2)) async {
        let waiter = state.withLock { state in
            state.stopping = true
            defer { state.nextWaiter = nil }
            return state.nextWaiter?.continuation
        }
        waiter?.resume(returning: nil)
        if signal(SIGTERM) {
            let deadline = ContinuousClock.now + grace
            while state.withLock({ $0.exit == nil }), ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(20))
            }
            _ = signal(SIGKILL)
        }
        stopServer()
    }

    /// Kills the process group at once (a timed-out invocation); the process is not used again.
    func kill() {
        state.withLock { $0.stopping = true }
        _ = signal(SIGKILL)
    }

    /// The process's peak resident memory (`VmHWM`), in MB; 0 when unknown.
    func maxMemoryUsedMB() -> Int {
        let pid = state.withLock { $0.pid }
        return pid > 0 ? LambdaLogFormat.peakMemoryMB(ofProcess: String(pid)) : 0
    }

    // MARK: - Private

    private func exited(_ exit: ProcessExit) {
        let (assignment, waiter, pid) = state.withLock { state in
            state.exit = exit
            defer { state.nextWaiter = nil }
            return (state.assignment, state.nextWaiter?.continuation, state.pid)
        }
        waiter?.resume(returning: nil)
        if let assignment, !assignment.answered {
            let message = LambdaLogFormat.exitErrorMessage(assignment.invocation.requestID, exit: exit)
            assignment.resolve(.functionError(type: "Runtime.ExitError", message: message, payload: []))
        }
        // Whatever the process left running in its group goes too.
        if pid > 0 {
            _ = sendSignal(SIGKILL, toProcessGroup: pid)
        }
        stopServer()
        logger.debug("function process exited", metadata: ["exit": "\(exit)"])
    }

    /// Sends `signal` to the process group while the process runs; `false` when it has already exited.
    private func signal(_ signal: Int32) -> Bool {
        let pid = state.withLock { $0.exit == nil ? $0.pid : 0 }
        guard pid > 0 else { return false }
        return sendSignal(signal, toProcessGroup: pid)
    }

    private func stopServer() {
        state.withLock { $0.serverTask }?.cancel()
    }
}

/// `kill(2)` to the group `pid` leads, and to `pid` itself should it have left the group.
private func sendSignal(_ signal: Int32, toProcessGroup pid: Int32) -> Bool {
    let group = kill(-pid, signal)
    let process = kill(pid, signal)
    return group == 0 || process == 0
}

/// A process function could not start a process.
struct ProcessFunctionError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
