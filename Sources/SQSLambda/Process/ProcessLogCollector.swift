import Logging
import Synchronization

/// Captures what one function process prints on stdout and stderr, line by line, and writes it to
/// the process's log stream (an ``EnvironmentLog``) as it arrives.
///
/// The stream opens with `INIT_START` (at ``beginInit(functionArn:)``) and what the process prints
/// during its init; each invocation adds `START` (at ``beginInvocation(requestID:)``), what the
/// process prints, and the lines ``finish(requestID:lines:)`` writes (`END`, `REPORT`), which
/// hands back the invocation's log: the lines written since the previous invocation ended. Every
/// line also goes to the logger at debug level.
///
/// The outputs are swift-subprocess's streams, read by ``read(_:from:)`` in the task that runs the
/// process (asynchronous reads, never on an event loop). ``settle()`` first lets the readers catch
/// up with what the process wrote before it answered: it counts the bytes waiting in the pipes
/// (see ``PipeProbe``) and waits, woken by each chunk filed, until the readers have filed that
/// many more, at most ``settleLimit``.
///
/// ## Sendable
/// All mutable state is behind a `Mutex`.
final class ProcessLogCollector: Sendable {
    /// Which pipe a chunk came from.
    enum Stream: Int, Sendable {
        case standardOutput = 0
        case standardError = 1

        /// The process's descriptor for it.
        var descriptor: Int32 { Int32(rawValue) + 1 }
    }

    /// The longest ``settle()`` waits for the readers. It waits only while bytes the process wrote
    /// before it are unread, so the limit is reached only when the reading task is not scheduled
    /// for that long (a machine far beyond its cores: the whole test suite at once) or the pipe
    /// the probe sees is no longer the one read.
    static let settleLimit = Duration.seconds(10)

    private struct State {
        var splitters = [OutputLineSplitter(), OutputLineSplitter()]
        /// Second read ends of the pipes (see ``PipeProbe``), `nil` once the stream ended or when unavailable.
        var probes: [PipeProbe?] = [nil, nil]
        /// Between ``expectProcess()`` and ``probe(processID:descriptors:)``: the process may be
        /// running (and talking to its Runtime API) before its reader and probes are in place.
        var awaitingProbes = false
        /// The bytes filed from each stream so far.
        var filed = [0, 0]
        /// ``settle()`` calls waiting for the readers to file more.
        var settleWaiters: [UInt64: CheckedContinuation<Bool, Never>] = [:]
        var nextSettleWaiter: UInt64 = 0
        /// The invocation the process runs, for the debug log's metadata.
        var requestID: String?
        /// The request whose `START` line was written.
        var startedRequestID: String?
    }

    private let state = Mutex(State())
    private let logger: Logger
    /// The process's log stream.
    let log: EnvironmentLog

    /// The process's log stream name (`AWS_LAMBDA_LOG_STREAM_NAME`).
    var streamName: String { log.streamName }

    /// - Parameters:
    ///   - logger: Gets every line at debug level (with the function's metadata).
    ///   - function: The function's name, for the log group.
    ///   - sink: Gets the lines as they arrive (see the type's documentation).
    init(logger: Logger, function: String = "", sink: FunctionLogSink? = nil) {
        self.logger = logger
        self.log = EnvironmentLog(function: function, sink: sink)
    }

    /// Writes `INIT_START`: the process is starting.
    func beginInit(functionArn: String) {
        state.withLock { _ in log.write([LambdaLogFormat.initStart(kind: .process, functionArn: functionArn)]) }
    }

    /// Writes the rest of an invocation's frame (`END`, `REPORT`, runtime errors), with the `START`
    /// line first when the invocation never reached the process, and returns the invocation's log.
    func finish(requestID: String, lines: [String]) -> [String] {
        state.withLock { state in
            let start = state.startedRequestID == requestID ? [] : [LambdaLogFormat.start(requestID)]
            state.startedRequestID = nil
            state.requestID = nil
            return log.finish(start + lines)
        }
    }

    /// The process is being started: until ``probe(processID:descriptors:)``, ``settle()`` first
    /// waits for its probes.
    func expectProcess() {
        state.withLock { $0.awaitingProbes = true }
    }

    /// Opens the pipe probes of process `processID`, which has just started: its stdout and
    /// stderr (`descriptors`, in ``Stream`` order); `nil` when the process did not start.
    func probe(processID: Int32?, descriptors: [Int32] = [Stream.standardOutput.descriptor, Stream.standardError.descriptor]) {
        let probes = descriptors.map { descriptor in processID.flatMap { PipeProbe(processID: $0, descriptor: descriptor) } }
        let waiters = state.withLock { state in
            state.probes = probes
            state.awaitingProbes = false
            defer { state.settleWaiters = [:] }
            return Array(state.settleWaiters.values)
        }
        for waiter in waiters {
            waiter.resume(returning: false)
        }
    }

    /// Reads one of the process's outputs (swift-subprocess's stream, as byte chunks) to its end,
    /// or until the task is cancelled, filing lines as they arrive.
    func read(_ output: some AsyncSequence<[UInt8], any Error>, from stream: Stream) async {
        do {
            for try await chunk in output {
                received(chunk, from: stream, ended: false)
            }
        } catch {
            logger.debug("cannot read the function process's output", metadata: ["stream": "\(stream)", "error": "\(error)"])
        }
        received([], from: stream, ended: true)
    }

    /// From now on, lines belong to the invocation `requestID`: writes its `START` line.
    func beginInvocation(requestID: String) {
        state.withLock { state in
            state.requestID = requestID
            state.startedRequestID = requestID
            log.write([LambdaLogFormat.start(requestID)])
        }
    }

    // MARK: - Private

    private func received(_ bytes: [UInt8], from stream: Stream, ended: Bool) {
        let (lines, requestID, waiters) = state.withLock { state -> ([String], String?, [CheckedContinuation<Bool, Never>]) in
            state.filed[stream.rawValue] += bytes.count
            var lines = state.splitters[stream.rawValue].append(bytes)
            if ended {
                state.probes[stream.rawValue] = nil
                if let rest = state.splitters[stream.rawValue].flush() {
                    lines.append(rest)
                }
            }
            // Under the lock, so the lines reach the stream in the order they were filed.
            log.write(lines)
            defer { state.settleWaiters = [:] }
            return (lines, state.requestID, Array(state.settleWaiters.values))
        }
        for waiter in waiters {
            waiter.resume(returning: false)
        }
        for line in lines {
            logger.debug("\(line)", metadata: requestID.map { ["requestId": "\($0)"] })
        }
    }

    /// How many ``settle()`` calls wait for the readers now.
    var settling: Int {
        state.withLock { $0.settleWaiters.count }
    }

    /// Waits until the readers have filed the bytes waiting in the pipes now, at most
    /// ``settleLimit``: then everything the process wrote before now has been filed (but for a
    /// chunk a reader holds at this very moment). A process that has only just started gets its
    /// probes first.
    func settle() async {
        await Race.first(
            { await self.caughtUp() },
            { _ = try? await Task.sleep(for: Self.settleLimit) })
    }

    private func caughtUp() async {
        await waitUntil { !$0.awaitingProbes }
        let targets = state.withLock { state in
            (0..<2).map { index in state.probes[index].map { state.filed[index] + $0.pendingBytes } }
        }
        // Each stream has filed its target number of bytes, or ended.
        await waitUntil { state in
            !(0..<2).contains { index in
                guard let target = targets[index], state.probes[index] != nil else { return false }
                return state.filed[index] < target
            }
        }
    }

    /// Returns once `ready` holds (or when cancelled); each round waits for the next chunk filed
    /// (or the probes), so nothing spins.
    private func waitUntil(_ ready: @escaping @Sendable (State) -> Bool) async {
        while !Task.isCancelled {
            let id = state.withLock { state in
                state.nextSettleWaiter += 1
                return state.nextSettleWaiter
            }
            let done = await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                    let waiting = state.withLock { state -> Bool in
                        guard !ready(state), !Task.isCancelled else { return false }
                        state.settleWaiters[id] = continuation
                        return true
                    }
                    if !waiting {
                        continuation.resume(returning: true)
                    }
                }
            } onCancel: {
                state.withLock { $0.settleWaiters.removeValue(forKey: id) }?.resume(returning: false)
            }
            if done { return }
        }
    }
}
