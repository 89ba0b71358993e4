import FoundationEssentials
import SQSEngine

/// The JSON documents of the control API (`/_sqslite/…`).
enum ControlAPI {
    /// `GET /_sqslite/clock` and the answer of every clock change.
    struct Clock: Codable {
        var controllable: Bool
        var now: Int64
        var nowIso: String
        var frozen: Bool
        var offsetMs: Int64
        var sleepers: Int?

        init(controllable: Bool, now: Timestamp, frozen: Bool, offsetMs: Int64, sleepers: Int?) {
            self.controllable = controllable
            self.now = now.milliseconds
            self.nowIso = ISOTimestamp.string(milliseconds: now.milliseconds)
            self.frozen = frozen
            self.offsetMs = offsetMs
            self.sleepers = sleepers
        }
    }

    /// `GET /_sqslite/faults`, and the rules a `POST` added.
    struct Faults: Codable {
        var rules: [FaultRule]
        /// The error names each service's rules may use.
        var errors: [String: [String]]?
    }

    /// `GET /_sqslite/calls`.
    struct Calls: Codable {
        var calls: [CallRecord]
        /// Calls pushed out of the ring (raise `--call-record-size` to keep more).
        var dropped: Int
        var recording: Recording
    }

    /// How calls are recorded.
    struct Recording: Codable {
        var size: Int
        var bodies: Bool
        var database: Bool
    }

    /// `POST /_sqslite/reset`.
    struct Reset: Codable {
        var reset: [String: [String: Int]]
        var durationMs: Double
    }

    /// An error, or a plain acknowledgement.
    struct Message: Codable {
        var message: String
    }

    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(value)).map { [UInt8]($0) } ?? Array(#"{"message":"encoding failed"}"#.utf8)
    }
}
