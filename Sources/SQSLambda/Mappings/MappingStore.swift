import FoundationEssentials
import Synchronization

/// Where event-source mappings are kept between runs.
public protocol MappingStore: Sendable {
    /// Every saved mapping.
    func load() throws -> [EventSourceMapping]
    /// Replaces the saved mappings.
    func save(_ mappings: [EventSourceMapping]) throws
}

/// Mappings in a JSON file beside the database, replaced atomically on every change.
public struct JSONFileMappingStore: MappingStore {
    /// The file, e.g. `<data dir>/event-source-mappings.json`.
    public let path: String

    /// Creates a store over a file (created on first save).
    public init(path: String) {
        self.path = path
    }

    public func load() throws -> [EventSourceMapping] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return try JSONDecoder().decode([EventSourceMapping].self, from: data)
    }

    public func save(_ mappings: [EventSourceMapping]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(mappings).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

/// Mappings kept in memory only (`--in-memory`, tests).
public final class MemoryMappingStore: MappingStore {
    private let saved = Mutex<[EventSourceMapping]>([])

    /// Creates an empty store.
    public init() {}

    public func load() throws -> [EventSourceMapping] { saved.withLock { $0 } }

    public func save(_ mappings: [EventSourceMapping]) throws { saved.withLock { $0 = mappings } }
}
