import SQSLogs

/// CloudWatch Logs' part of a reset: every log group with its streams and events (one transaction).
struct LogsReset: ResettableService {
    let store: LogStore

    var name: String { "logs" }

    func resetAll() async throws -> [String: Int] {
        ["logGroups": try await store.deleteEverything()]
    }
}
