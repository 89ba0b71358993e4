import NIOHTTP1
import SQSEngine
import SQSHTTP
import SQSLambda

/// The read side of the admin JSON API: `GET /admin/api/…` (README lists the documents).
///
/// `GET /admin/api/queues?offset=&limit=&filter=` is one page of the queue list (default 100,
/// at most 1,000), filtered by name on the server. Numbers in the query are checked: a bad one
/// is a 400, never a trap.
extension AdminResponder {
    private struct QueueList: Codable {
        var queues: [AdminAPI.Queue]
        var offset: Int
        var limit: Int
        var total: Int
    }

    private struct FunctionList: Codable {
        var functions: [AdminAPI.Function]
        var mappings: [AdminAPI.Mapping]
    }

    private struct InvocationList: Codable {
        var invocations: [AdminAPI.Invocation]
    }

    private struct CSRF: Codable {
        var csrfToken: String
    }

    func api(_ request: AdminRequest, _ segments: ArraySlice<Substring>) async -> HTTPResponse {
        do {
            return try await apiRoute(request, segments)
        } catch {
            return failure(request, status: .badRequest, error.message)
        }
    }

    private func apiRoute(_ request: AdminRequest, _ segments: ArraySlice<Substring>) async throws(AdminInputError) -> HTTPResponse {
        switch (segments.first, segments.count) {
        case ("csrf", 1):
            return Self.json(CSRF(csrfToken: security.csrfToken))
        case ("queues", 1):
            let offset = try request.integer("offset", in: 0...Int.max, default: 0)
            let limit = try request.integer("limit", in: 1...Self.maxQueuePageSize, default: Self.queuePageSize)
            let index = await AdminQueueIndex(engine: engine, policies: redrivePolicies)
            let page = await index.page(filter: request.query["filter"], offset: offset, limit: limit)
            return Self.json(QueueList(queues: page.summaries.map { apiQueue($0, request) }, offset: offset, limit: limit, total: page.total))
        case ("queues", 4):
            guard let key = AdminPaths.key(segments.dropFirst()) else { break }
            do {
                let index = await AdminQueueIndex(engine: engine, policies: redrivePolicies)
                guard let summary = await index.summaries([key]).first else { throw EngineError.queueDoesNotExist }
                var queue = apiQueue(summary, request)
                queue.attributes = try await engine.getQueueAttributes(key, names: ["All"])
                if !queue.deadLetterSourceArns.isEmpty {
                    queue.moveTasks = try await engine.listMessageMoveTasks(sourceArn: key.arn, maxResults: 10).map(AdminAPI.MoveTask.init)
                }
                return Self.json(queue)
            } catch {
                return notFound(request, "The queue \(key.name) does not exist.")
            }
        case ("queues", 5) where segments[segments.startIndex + 4] == "messages":
            guard let key = AdminPaths.key(segments.dropFirst()) else { break }
            let filter = request.query["state"].flatMap(PeekedMessage.State.init(rawValue:))
            let offset = try request.integer("offset", in: 0...Int.max, default: 0)
            let limit = try request.integer("limit", in: 1...1000, default: 100)
            do {
                let result = try await engine.peekMessagePage(key, state: filter, offset: offset, limit: limit)
                let page = result.messages.map(AdminAPI.Message.init)
                return Self.json(AdminAPI.MessagePage(messages: page, offset: offset, limit: limit, total: result.total))
            } catch {
                return notFound(request, "The queue \(key.name) does not exist.")
            }
        case ("queues", 6) where segments[segments.startIndex + 4] == "messages":
            guard let key = AdminPaths.key(segments.dropFirst()) else { break }
            let messageID = String(segments[segments.startIndex + 5])
            guard let message = try? await engine.peekMessage(key, messageID: messageID) else {
                return notFound(request, "The message \(messageID) is not in \(key.name).")
            }
            return Self.json(AdminAPI.Message(message))
        case ("functions", 1):
            guard let lambda else { return Self.json(FunctionList(functions: [], mappings: [])) }
            let functions = lambda.functions.all.map { function in
                AdminAPI.Function(function.configuration, recent: lambda.invocations.recent(function: function.configuration.name))
            }
            let mappings = await lambda.mappings.list().map(AdminAPI.Mapping.init)
            return Self.json(FunctionList(functions: functions, mappings: mappings))
        case ("functions", 3) where segments[segments.startIndex + 2] == "logs":
            return try await functionLogs(request, function: String(AdminPaths.decoded(segments[segments.startIndex + 1])))
        case ("invocations", 1):
            guard let lambda else { return Self.json(InvocationList(invocations: [])) }
            let limit = try request.integer("limit", in: 1...1000, default: 100)
            let records = lambda.invocations.recent(function: request.query["function"], limit: limit)
            return Self.json(InvocationList(invocations: records.map { AdminAPI.Invocation($0, full: false) }))
        case ("invocations", 2):
            guard let id = Int(segments[segments.startIndex + 1]), let record = lambda?.invocations.record(id: id) else {
                return notFound(request, "There is no such invocation.")
            }
            return Self.json(AdminAPI.Invocation(record, full: true))
        default:
            break
        }
        return notFound(request, "There is no admin API at this address.")
    }
}
