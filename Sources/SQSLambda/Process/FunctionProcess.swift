import Foundation
import Logging
import NIOCore
import NIOHTTP1
import SQSHTTP
import Synchronization

/// One running function process and its own Runtime API endpoint: runs one invocation at a time.
///
/// The process is started with `AWS_LAMBDA_RUNTIME_API` pointing at a private HTTP listener, so
/// it pulls work with `GET …/invocation/next` exactly as on Lambda. Everything it prints is split
/// into lines; lines printed while an invocation runs belong to that invocation, lines printed
/// before the first one (its init) are added to the first invocation's log.
///
/// ## Sendable
/// `@unchecked` because of Foundation's `Process`, which is not `Sendable`: it is configured and
/// launched in ``start()`` before the instance is shared, and afterwards only its immutable
/// `processIdentifier` is read; signals go through `kill(2)`. Every mutable field is behind a
/// `Mutex` (`state`, `serverTask`).
final class FunctionProcess: @unchecked Sendable {
    private struct Current {
        var requestID: String
        var resolve: @Sendable (InvocationOutcome.Result) -> Void
        var handedOver = false
        var lines: [String] = []
    }

    private struct State {
        var queued: Invocation?
        var nextWaiter: CheckedContinuation<Invocation?, Never>?
        var current: Current?
        var initLines: [String] = []
        var initFailure: InvocationOutcome.Result?
        var exitStatus: Int32?
        var stopped = false
        var stdout = OutputLineSplitter()
        var stderr = OutputLineSplitter()
        var invocations = 0
    }

    let id: Int
    private let configuration: FunctionConfiguration
    private let logger: Logger
    private let state = Mutex(State())
    private let process = Process()
    private let serverTask = Mutex<Task<Void, Never>?>(nil)
    let startedAt = ContinuousClock.now

    init(id: Int, configuration: FunctionConfiguration, logger: Logger) {
        self.id = id
        self.configuration = configuration
        self.logger = logger
    }

    /// Starts the Runtime API listener, then the process.
    func start(command: [String], workingDirectory: String?, environment: [String: String]) async throws {
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, idleTimeout: nil),
            responder: RuntimeAPIResponder(process: self), logger: logger,
            oversizeResponse: { _ in RuntimeAPIResponder.json(.payloadTooLarge, #"{"errorMessage":"Payload too large","errorType":"RequestTooLarge"}"#) })
        serverTask.withLock { $0 = Task { try? await server.run() } }
        guard let port = await server.localAddress?.port else {
            throw ProcessFunctionError("cannot open the Runtime API listener for \(configuration.name)")
        }
        var environment = environment
        environment["AWS_LAMBDA_RUNTIME_API"] = "127.0.0.1:\(port)"
        environment["AWS_LAMBDA_LOG_STREAM_NAME"] = "sqslite/\(configuration.name)/\(id)"
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        process.environment = environment
        if let workingDirectory {
            process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory)
        }
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        stdout.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil }
            self?.output([UInt8](data), fromStandardError: false, ended: data.isEmpty)
        }
        stderr.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil }
            self?.output([UInt8](data), fromStandardError: true, ended: data.isEmpty)
        }
        process.terminationHandler = { [weak self] process in
            self?.exited(status: process.terminationStatus)
        }
        do {
            try process.run()
        } catch {
            serverTask.withLock { $0?.cancel() }
            throw ProcessFunctionError("cannot start \(command.joined(separator: " ")): \(error)")
        }
        logger.debug("function process started", metadata: ["function": "\(configuration.name)", "pid": "\(process.processIdentifier)"])
    }

    /// Whether the process can take another invocation.
    var isHealthy: Bool {
        state.withLock { $0.exitStatus == nil && !$0.stopped && $0.initFailure == nil }
    }

    /// Runs one invocation on this process; at most one at a time.
    func run(_ invocation: Invocation, timeout: Int) async -> InvocationOutcome {
        let started = ContinuousClock.now
        let first = FirstResult<InvocationOutcome.Result>()
        let result = await first.wait { resolve in
            let handOver: (CheckedContinuation<Invocation?, Never>?, InvocationOutcome.Result?) = state.withLock { state in
                if let failure = state.initFailure { return (nil, failure) }
                if let status = state.exitStatus { return (nil, Self.exitError(invocation.requestID, status: status)) }
                state.current = Current(requestID: invocation.requestID, resolve: resolve)
                if let waiter = state.nextWaiter {
                    state.nextWaiter = nil
                    state.current?.handedOver = true
                    return (waiter, nil)
                }
                state.queued = invocation
                return (nil, nil)
            }
            if let immediate = handOver.1 {
                resolve(immediate)
                return {}
            }
            handOver.0?.resume(returning: invocation)
            let timer = Task {
                try? await Task.sleep(for: .seconds(timeout))
                if !Task.isCancelled { resolve(.timedOut(seconds: timeout)) }
            }
            return { timer.cancel() }
        }
        // Give the pipes a moment to deliver what was printed just before the answer.
        try? await Task.sleep(for: .milliseconds(15))
        let (lines, initLines, count) = state.withLock { state -> ([String], [String], Int) in
            let lines = state.current?.lines ?? []
            state.current = nil
            state.queued = nil
            state.invocations += 1
            let initLines = state.invocations == 1 ? state.initLines : []
            if state.invocations == 1 { state.initLines = [] }
            return (lines, initLines, state.invocations)
        }
        if case .timedOut = result {
            kill()
        }
        let duration = ContinuousClock.now - started
        let milliseconds = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        var log = initLines
        log.append("START RequestId: \(invocation.requestID) Version: $LATEST")
        log += lines
        if case .timedOut(let seconds) = result {
            log.append("\(Self.timestamp()) \(invocation.requestID) Task timed out after \(seconds).00 seconds")
        }
        log.append("END RequestId: \(invocation.requestID)")
        log.append(
            "REPORT RequestId: \(invocation.requestID)\tDuration: \(String(format: "%.2f", milliseconds)) ms\tBilled Duration: \(Int(milliseconds.rounded(.up))) ms\tMemory Size: \(configuration.memorySize) MB\tMax Memory Used: \(Self.maxMemoryUsedMB(process.processIdentifier)) MB"
                + (count == 1 ? "" : ""))
        return InvocationOutcome(result: result, logLines: log)
    }

    // MARK: - Runtime API side

    /// The next invocation for `GET …/invocation/next`; waits until there is one. `nil` when
    /// the process is being stopped.
    func nextInvocation() async -> Invocation? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Invocation?, Never>) in
            let ready: Invocation?? = state.withLock { state in
                if state.stopped { return .some(nil) }
                if let queued = state.queued {
                    state.queued = nil
                    state.current?.handedOver = true
                    return .some(queued)
                }
                state.nextWaiter?.resume(returning: nil)
                state.nextWaiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Finishes the running invocation with the runtime's answer; `false` for an unknown id.
    func complete(requestID: String, with result: InvocationOutcome.Result) -> Bool {
        let resolve = state.withLock { state -> (@Sendable (InvocationOutcome.Result) -> Void)? in
            guard let current = state.current, current.requestID == requestID, current.handedOver else { return nil }
            return current.resolve
        }
        resolve?(result)
        return resolve != nil
    }

    /// `POST /runtime/init/error`: the process could not initialise.
    func initFailed(type: String, message: String, payload: [UInt8]) {
        let result = InvocationOutcome.Result.functionError(type: type, message: message, payload: payload)
        let resolve = state.withLock { state -> (@Sendable (InvocationOutcome.Result) -> Void)? in
            state.initFailure = result
            return state.current?.resolve
        }
        resolve?(result)
    }

    // MARK: - Process side

    private func output(_ bytes: [UInt8], fromStandardError: Bool, ended: Bool) {
        let lines: [String] = state.withLock { state in
            var lines = fromStandardError ? state.stderr.append(bytes) : state.stdout.append(bytes)
            if ended, let rest = fromStandardError ? state.stderr.flush() : state.stdout.flush() {
                lines.append(rest)
            }
            if state.current?.handedOver == true {
                state.current?.lines += lines
            } else {
                state.initLines += lines
                if state.initLines.count > 1000 { state.initLines.removeFirst(state.initLines.count - 1000) }
            }
            return lines
        }
        for line in lines {
            logger.debug("\(line)", metadata: ["function": "\(configuration.name)", "process": "\(id)"])
        }
    }

    private func exited(status: Int32) {
        let (resolve, waiter, requestID) = state.withLock { state in
            state.exitStatus = status
            let waiter = state.nextWaiter
            state.nextWaiter = nil
            return (state.current?.resolve, waiter, state.current?.requestID)
        }
        waiter?.resume(returning: nil)
        if let resolve, let requestID {
            resolve(Self.exitError(requestID, status: status))
        }
        serverTask.withLock { $0?.cancel() }
        logger.debug("function process exited", metadata: ["function": "\(configuration.name)", "status": "\(status)"])
    }

    /// Stops the process: SIGTERM, then SIGKILL after `grace`; closes the Runtime API listener.
    func stop(grace: Duration = .seconds(2)) async {
        let waiter = state.withLock { state in
            state.stopped = true
            defer { state.nextWaiter = nil }
            return state.nextWaiter
        }
        waiter?.resume(returning: nil)
        let pid = process.processIdentifier
        if pid > 0, state.withLock({ $0.exitStatus == nil }) {
            _ = Glibc.kill(pid, SIGTERM)
            let deadline = ContinuousClock.now + grace
            while state.withLock({ $0.exitStatus == nil }), ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(20))
            }
            kill()
        }
        serverTask.withLock { $0?.cancel() }
    }

    /// Kills the process (and its process group) at once.
    func kill() {
        let pid = process.processIdentifier
        guard pid > 0 else { return }
        state.withLock { $0.stopped = true }
        _ = Glibc.kill(-pid, SIGKILL)
        _ = Glibc.kill(pid, SIGKILL)
    }

    static func exitError(_ requestID: String, status: Int32) -> InvocationOutcome.Result {
        let message = "RequestId: \(requestID) Error: Runtime exited with error: exit status \(status)"
        return .functionError(
            type: "Runtime.ExitError", message: message,
            payload: Array(#"{"errorType":"Runtime.ExitError","errorMessage":\#(jsonQuoted(message))}"#.utf8))
    }

    static func timestamp() -> String {
        Date().ISO8601Format()
    }

    /// The process's peak resident memory (VmHWM), in MB; 0 when unknown.
    static func maxMemoryUsedMB(_ pid: Int32) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return max(1, kilobytes / 1024)
    }
}

/// A process function could not start a process.
struct ProcessFunctionError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
