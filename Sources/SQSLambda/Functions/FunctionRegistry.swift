import Synchronization

/// The functions sqslite knows, by name: from the config file and from code.
///
/// Registering a name twice replaces the earlier function (its ``LambdaFunction/shutdown()`` is
/// the caller's business). Safe to use from any task.
public final class FunctionRegistry: Sendable {
    private let functions = Mutex<[String: any LambdaFunction]>([:])

    /// Creates an empty registry.
    public init() {}

    /// Adds (or replaces) a function under its configuration's name.
    public func register(_ function: any LambdaFunction) {
        functions.withLock { $0[function.configuration.name] = function }
    }

    /// Removes the function with this name and returns it (its shutdown is the caller's business).
    @discardableResult
    public func remove(named name: String) -> (any LambdaFunction)? {
        functions.withLock { $0.removeValue(forKey: name) }
    }

    /// The function with this name, if any.
    public func function(named name: String) -> (any LambdaFunction)? {
        functions.withLock { $0[name] }
    }

    /// Every function, sorted by name.
    public var all: [any LambdaFunction] {
        functions.withLock { $0.values.sorted { $0.configuration.name < $1.configuration.name } }
    }

    /// Shuts every function down.
    public func shutdownAll() async {
        for function in all {
            await function.shutdown()
        }
    }
}
