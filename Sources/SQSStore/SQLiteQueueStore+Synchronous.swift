extension SQLiteQueueStore {
    /// How hard SQLite works to make a commit survive a power failure (`PRAGMA synchronous`).
    public enum Synchronous: String, Sendable, CaseIterable {
        /// `NORMAL`: in WAL mode, a commit survives a crash of the process, but the last commits
        /// before a power failure or OS crash may be lost (the database stays consistent). The default.
        case normal
        /// `FULL`: every commit is fsynced before its completion is called; survives power loss.
        case full

        /// The value for `PRAGMA synchronous`.
        var pragmaValue: String {
            switch self {
            case .normal: "NORMAL"
            case .full: "FULL"
            }
        }
    }
}
