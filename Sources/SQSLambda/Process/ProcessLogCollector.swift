import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Captures what one function process prints on stdout and stderr, line by line, and says which
/// invocation each line belongs to.
///
/// Lines printed while an invocation is assigned to the process go to that invocation; lines
/// printed before the first invocation (the function's init) are kept for the first invocation's
/// log. Every line also goes to the logger at debug level.
///
/// The pipes are read by Foundation's `readabilityHandler`, which runs on a Dispatch queue, never
/// on a cooperative thread or an event loop. ``endInvocation()`` first lets the readers catch up
/// with what the process wrote before it answered (bounded by ``settleLimit``).
///
/// With a ``FunctionLogSink``, every line also goes to the function's log stream as it arrives,
/// framed by the `START` line (at ``beginInvocation(requestID:)``) and the lines ``finish(requestID:lines:)``
/// writes (`END`, `REPORT`).
///
/// ## Sendable
/// All mutable state is behind a `Mutex`.
final class ProcessLogCollector: Sendable {
    /// Which pipe a chunk came from.
    enum Stream: Int, Sendable {
        case standardOutput = 0
        case standardError = 1
    }

    /// The most lines kept for one invocation (and for the init); older ones are dropped.
    static let maxLines = 10_000
    /// The longest ``endInvocation()`` waits for the pipes to be drained.
    static let settleLimit = Duration.milliseconds(100)

    private struct State {
        var splitters = [OutputLineSplitter(), OutputLineSplitter()]
        /// The read ends still open (`nil` once the stream ended), polled to see whether bytes wait.
        var descriptors: [Int32?] = [nil, nil]
        /// Readability handlers that have started reading but not yet filed their lines.
        var activeReads = 0
        var requestID: String?
        var invocationLines: [String] = []
        var initLines: [String] = []
        var initLinesTaken = false
        /// The request whose `START` line went to the sink.
        var startedRequestID: String?
    }

    private let state = Mutex(State())
    private let logger: Logger
    private let sink: FunctionLogSink?
    /// The log group of the function: `/aws/lambda/<function>`.
    private let group: String
    /// The process's log stream (`AWS_LAMBDA_LOG_STREAM_NAME`).
    let streamName: String

    /// - Parameters:
    ///   - logger: Gets every line at debug level (with the function's metadata).
    ///   - function: The function's name, for the log group.
    ///   - sink: Gets the lines as they arrive (see the type's documentation).
    init(logger: Logger, function: String = "", sink: FunctionLogSink? = nil) {
        self.logger = logger
        self.sink = sink
        self.group = "/aws/lambda/\(function)"
        self.streamName = LambdaLogFormat.logStreamName()
    }

    /// Writes the rest of an invocation's frame (`END`, `REPORT`, runtime errors) to the sink, with
    /// the `START` line first when the invocation never reached the process.
    func finish(requestID: String, lines: [String]) {
        guard let sink else { return }
        state.withLock { state in
            let start = state.startedRequestID == requestID ? [] : [LambdaLogFormat.start(requestID)]
            state.startedRequestID = nil
            sink(group, streamName, start + lines)
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

    /// From now on, lines belong to the invocation `requestID`.
    func beginInvocation(requestID: String) {
        state.withLock { state in
            state.requestID = requestID
            state.invocationLines = []
            state.startedRequestID = requestID
            sink?(group, streamName, [LambdaLogFormat.start(requestID)])
        }
    }

    /// Ends the current invocation: waits briefly for output still in the pipes, then returns the
    /// invocation's lines and, for the process's first invocation, the lines of its init.
    func endInvocation() async -> (initLines: [String], lines: [String]) {
        await settle()
        return state.withLock { state in
            let lines = state.invocationLines
            state.invocationLines = []
            state.requestID = nil
            guard !state.initLinesTaken else { return ([], lines) }
            state.initLinesTaken = true
            defer { state.initLines = [] }
            return (state.initLines, lines)
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
            if state.requestID != nil {
                Self.append(lines, to: &state.invocationLines)
            } else if !state.initLinesTaken {
                Self.append(lines, to: &state.initLines)
            }
            // Under the lock, so the lines reach the sink in the order they were filed.
            if !lines.isEmpty { sink?(group, streamName, lines) }
            return (lines, state.requestID)
        }
        for line in lines {
            logger.debug("\(line)", metadata: requestID.map { ["requestId": "\($0)"] })
        }
    }

    private static func append(_ lines: [String], to kept: inout [String]) {
        kept += lines
        if kept.count > maxLines {
            kept.removeFirst(kept.count - maxLines)
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
