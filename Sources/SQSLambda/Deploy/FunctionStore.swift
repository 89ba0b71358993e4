import FoundationEssentials
import Synchronization

/// Where functions created through the Lambda API are kept between runs.
public protocol FunctionStore: Sendable {
    /// Every saved function.
    func load() throws -> [FunctionRecord]
    /// Replaces the saved functions.
    func save(_ functions: [FunctionRecord]) throws
}

/// Functions in a JSON file beside the database, replaced atomically on every change.
public struct JSONFileFunctionStore: FunctionStore {
    /// The file, e.g. `<data dir>/lambda-functions.json`.
    public let path: String

    /// Creates a store over a file (created on first save).
    public init(path: String) {
        self.path = path
    }

    public func load() throws -> [FunctionRecord] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return try JSONDecoder().decode([FunctionRecord].self, from: data)
    }

    public func save(_ functions: [FunctionRecord]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(functions).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

/// Functions kept in memory only (`--in-memory`, tests).
public final class MemoryFunctionStore: FunctionStore {
    private let saved = Mutex<[FunctionRecord]>([])

    /// Creates an empty store.
    public init() {}

    public func load() throws -> [FunctionRecord] { saved.withLock { $0 } }

    public func save(_ functions: [FunctionRecord]) throws { saved.withLock { $0 = functions } }
}
