import SQSHTTP
import SQSLambda
import SQSLogs

/// The function page's logs: `GET /admin/api/functions/<name>/logs?filter=&after=&limit=`, the
/// function's log streams and a page of its live tail, filtered with CloudWatch's filter-pattern
/// syntax (the engine `FilterLogEvents` uses). Without `after`, the newest `limit` matching events
/// (default 200, at most 1,000); with the previous answer's `nextToken` as `after`, the matching
/// events written since. The page polls it as it polls the queue numbers.
extension AdminResponder {
    /// The function log document.
    struct FunctionLogs: Codable, Sendable {
        struct Stream: Codable, Sendable {
            var logStreamName: String
            var creationTime: Int64
            var firstEventTimestamp: Int64?
            var lastEventTimestamp: Int64?
        }

        struct Event: Codable, Sendable {
            var eventId: String
            var timestamp: Int64
            var logStreamName: String
            var message: String
        }

        var logGroupName: String
        var filterPattern: String
        var streams: [Stream]
        var events: [Event]
        var nextToken: String?
    }

    /// The most events one answer carries.
    static let maxLogPage = 1000

    func functionLogs(_ request: AdminRequest, function name: String) async throws(AdminInputError) -> HTTPResponse {
        guard let logs, lambda?.functions.function(named: name) != nil else {
            return notFound(request, "There is no function named \(name).")
        }
        let filter = request.query["filter"] ?? ""
        guard let pattern = FilterPattern(filter) else {
            throw AdminInputError(message: LogsError.invalidFilterPattern(filter).message)
        }
        let limit = try request.integer("limit", in: 1...Self.maxLogPage, default: 200)
        let group = "/aws/lambda/\(name)"
        do {
            let streams = try await logs.streams(group: group)
            let page = try await logs.tail(group: group, pattern: pattern, after: request.query["after"], limit: limit)
            return Self.json(
                FunctionLogs(
                    logGroupName: group, filterPattern: filter,
                    streams: streams.sorted { ($0.lastEventTimestamp ?? $0.creationTime) > ($1.lastEventTimestamp ?? $1.creationTime) }.map {
                        .init(
                            logStreamName: $0.name, creationTime: $0.creationTime, firstEventTimestamp: $0.firstEventTimestamp,
                            lastEventTimestamp: $0.lastEventTimestamp)
                    },
                    events: page.events.map { .init(eventId: $0.eventID, timestamp: $0.timestamp, logStreamName: $0.streamName, message: $0.message) },
                    nextToken: page.token))
        } catch {
            throw AdminInputError(message: error.message)
        }
    }
}
