/// SQS's rules for the entry list of a batch action.
public enum BatchValidator {
    /// The most entries one batch may hold.
    public static let maxEntries = 10

    /// Checks the entry ids of a batch: at least one entry, at most ten, each id 1–80 characters of
    /// `[A-Za-z0-9_-]`, all distinct. `entryName` is AWS's name for an entry, e.g. `SendMessageBatchRequestEntry`.
    public static func validate(ids: [String], entryName: String) throws(EngineError) {
        if ids.isEmpty {
            throw EngineError(.emptyBatchRequest, "There should be at least one \(entryName) in the request.")
        }
        if ids.count > maxEntries {
            throw EngineError(
                .tooManyEntriesInBatchRequest, "Maximum number of entries per request are \(maxEntries). You have sent \(ids.count).")
        }
        // At most ten ids: comparing each with those before it is cheaper than hashing them.
        for (index, id) in ids.enumerated() {
            if !isValidID(id) {
                throw EngineError(
                    .invalidBatchEntryId,
                    "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.")
            }
            if ids[..<index].contains(id) {
                throw EngineError(.batchEntryIdsNotDistinct, "Id \(id) repeated.")
            }
        }
    }

    static func isValidID(_ id: String) -> Bool {
        let bytes = id.utf8
        return !bytes.isEmpty && bytes.count <= 80
            && bytes.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || byte == 0x5f || byte == 0x2d
            }
    }
}
