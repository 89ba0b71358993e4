import SQSLambda

/// Lambda's part of a reset: every event-source mapping (their pollers stop) and the invocation
/// log. Functions stay: they come from the config file or from code.
struct LambdaReset: ResettableService {
    let mappings: EventSourceMappingManager
    let invocations: InvocationLog

    var name: String { "lambda" }

    func resetAll() async throws -> [String: Int] {
        let count = try await mappings.deleteAll()
        invocations.clear()
        return ["mappings": count]
    }
}
