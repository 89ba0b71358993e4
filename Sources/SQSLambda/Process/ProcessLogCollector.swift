import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Captures what one function process prints on stdout and stderr, line by line, and writes it to
/// the process's log stream (an ``EnvironmentLog``) as it arrives.
///
/// The stream opens with `INIT_START` (at ``beginInit(functionArn:)``) and what the process prints
/// during its init; each invocation adds `START` (at ``beginInvocation(requestID:)``), what the
/// process prints, and the lines ``finish(requestID:lines:)`` writes (`END`, `REPORT`), which
/// hands back the invocation's log: the lines written since the previous invocation ended. Every
/// line also goes to the logger at debug level.
///
/// The pipes are read by Foundation's `readabilityHandler`, which runs on a Dispatch queue, never
/// on a cooperative thread or an event loop. ``settle()`` first lets the readers catch up with what
/// the process wrote before it answered (bounded by ``settleLimit``).
///
/// ## Sendable
/// All mutable state is behind a `Mutex`.
final class ProcessLogCollector: Sendable {
    /// Which pipe a chunk came from.
    enum Stream: Int, Sendable {
        case standardOutput = 0
        case standardError = 1
    }

    /// The longest ``settle()`` waits for the pipes to be drained.
    static let settleLimit = Duration.milliseconds(100)

    private struct State {
        var splitters = [OutputLineSplitter(), OutputLineSplitter()]
        /// The read ends still open (`nil` once the stream ended), polled to see whether bytes wait.
        var descriptors: [Int32?] = [nil, nil]
        /// Readability handlers that have started reading but not yet filed their lines.
        var activeReads = 0
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

    /// Starts reading `handle` (the read end of the process's stdout or stderr pipe).
    func attach(_ handle: FileHandle, as stream: Stream) {
        state.withLock { $0.descriptors[stream.rawValue] = handle.fileDescriptor }
        handle.readabilityHandler = { [weak self] handle in
            guard let self else {
                handle.readabilityHandler = nil
                return
            }
            self.state.withLock { $0.activeReads += 1 }
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
            }
            self.received([UInt8](data), from: stream, ended: data.isEmpty)
        }
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
        let (lines, requestID) = state.withLock { state -> ([String], String?) in
            state.activeReads -= 1
            var lines = state.splitters[stream.rawValue].append(bytes)
            if ended {
                state.descriptors[stream.rawValue] = nil
                if let rest = state.splitters[stream.rawValue].flush() {
                    lines.append(rest)
                }
            }
            // Under the lock, so the lines reach the stream in the order they were filed.
            log.write(lines)
            return (lines, state.requestID)
        }
        for line in lines {
            logger.debug("\(line)", metadata: requestID.map { ["requestId": "\($0)"] })
        }
    }

    /// Waits until no bytes wait in the pipes and no reader is filing lines, at most ``settleLimit``:
    /// then everything the process wrote before now has been filed.
    func settle() async {
        let deadline = ContinuousClock.now + Self.settleLimit
        while ContinuousClock.now < deadline {
            let (reading, descriptors) = state.withLock { ($0.activeReads > 0, $0.descriptors) }
            if !reading, !descriptors.contains(where: { $0.map(Self.hasPendingInput) ?? false }) {
                return
            }
            try? await Task.sleep(for: .milliseconds(1))
        }
    }

    /// Whether bytes wait to be read on `descriptor` (a zero-timeout `poll(2)`, which never blocks).
    private static func hasPendingInput(_ descriptor: Int32) -> Bool {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 0) > 0 && entry.revents & Int16(POLLIN) != 0
    }
}
