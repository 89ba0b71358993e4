import FoundationEssentials
import Logging
import SQSProtocol
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A swift-log handler that writes one JSON object per line to standard error:
/// `{"time":"…","level":"info","logger":"sqslite","message":"…", <metadata>…}`, metadata keys
/// sorted, every value a string.
public struct JSONLogHandler: LogHandler {
    private static let standardError = Mutex<Void>(())

    /// The logger's label, written as `logger`.
    public let label: String
    /// The lowest level written.
    public var logLevel: Logger.Level = .info
    /// Metadata added to every line.
    public var metadata: Logger.Metadata = [:]

    /// Where each line (with its newline) goes; standard error when `nil`.
    private let output: (@Sendable ([UInt8]) -> Void)?

    /// Creates a handler for a logger label that writes to standard error, or to `output` (tests).
    public init(label: String, output: (@Sendable ([UInt8]) -> Void)? = nil) {
        self.label = label
        self.output = output
    }

    /// Metadata by key.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes one line.
    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata {
            merged.merge(extra) { _, new in new }
        }
        var writer = JSONWriter()
        writer.object { o in
            o.member("time", Date.now.ISO8601Format())
            o.member("level", event.level.rawValue)
            o.member("logger", label)
            o.member("message", event.message.description)
            for key in merged.keys.sorted() where !["time", "level", "logger", "message"].contains(key) {
                o.member(key, "\(merged[key]!)")
            }
        }
        var line = writer.bytes
        line.append(UInt8(ascii: "\n"))
        if let output {
            output(line)
            return
        }
        Self.standardError.withLock { _ in
            line.withUnsafeBufferPointer { buffer in
                _ = write(STDERR_FILENO, buffer.baseAddress, buffer.count)
            }
        }
    }
}
