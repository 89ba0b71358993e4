/// The config file's `testControls:` section: what `--controllable-clock`, `--call-record-size`,
/// `--record-call-bodies` and `--record-calls-in-database` set on the command line.
///
/// ```yaml
/// testControls:
///   controllableClock: true
///   callRecordSize: 5000
///   recordCallBodies: false
///   recordCallsInDatabase: false
/// ```
public struct TestControlSettings: Sendable, Equatable {
    /// Whether the server's clock can be moved through `/_sqslite/clock`.
    public var controllableClock = false
    /// Calls kept in the call record's ring, when set.
    public var callRecordSize: Int?
    /// Whether request bodies are kept in the call record.
    public var recordCallBodies = false
    /// Whether every call is also kept in SQLite (`calls.db`).
    public var recordCallsInDatabase = false

    /// The keys the section takes.
    static let keys: Set<String> = ["controllableClock", "callRecordSize", "recordCallBodies", "recordCallsInDatabase"]

    /// Creates settings (all off).
    public init() {}
}
