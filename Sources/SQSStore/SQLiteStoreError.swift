/// A failure of ``SQLiteQueueStore`` that is not a plain SQLite error.
///
/// A struct wrapping a private enum, so cases can be added without breaking callers; compare
/// with the static members (`error == .closed`).
public struct SQLiteStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Reason: Hashable, Sendable {
        case closed
        case newerSchema(found: Int32, supported: Int32)
        case foreignDatabase(applicationID: Int32)
        case corruptValue(String)
        case afterFailure
    }

    private let reason: Reason

    private init(_ reason: Reason) {
        self.reason = reason
    }

    /// The store was closed: no submission is accepted any more.
    public static let closed = SQLiteStoreError(.closed)

    /// The database was written by a newer sqslite (its schema version is higher than this build knows).
    public static func newerSchema(found: Int32, supported: Int32) -> SQLiteStoreError {
        SQLiteStoreError(.newerSchema(found: found, supported: supported))
    }

    /// The file is an SQLite database that belongs to another application (`PRAGMA application_id`).
    public static func foreignDatabase(applicationID: Int32) -> SQLiteStoreError {
        SQLiteStoreError(.foreignDatabase(applicationID: applicationID))
    }

    /// An earlier submission failed, and this one was not applied: it may depend on that one.
    /// Submissions fail so until the engine has reloaded and called `resumeAfterFailure()`.
    public static let afterFailure = SQLiteStoreError(.afterFailure)

    /// A stored value could not be decoded; `detail` names it.
    public static func corruptValue(_ detail: String) -> SQLiteStoreError {
        SQLiteStoreError(.corruptValue(detail))
    }

    public var description: String {
        switch reason {
        case .closed:
            "the SQLite queue store is closed"
        case .newerSchema(let found, let supported):
            "the database has schema version \(found), but this sqslite supports up to \(supported): it was written by a newer sqslite; upgrade sqslite or use another data directory"
        case .foreignDatabase(let applicationID):
            "the database belongs to another application (application_id \(applicationID)); use another data directory"
        case .corruptValue(let detail):
            "corrupt value in the database: \(detail)"
        case .afterFailure:
            "not applied because an earlier change failed to commit"
        }
    }
}
