import FoundationEssentials
import NIOHTTP1
import SQSEngine
import SQSHTTP
import SQSLambda

/// The admin page's changes: POSTs with form fields, checked by ``AdminSecurity`` first. A
/// browser gets a 303 back to the page (with `?notice=` or `?error=`); a caller sending
/// `Accept: application/json` gets an ``AdminAPI/Result``.
extension AdminResponder {
    /// What an action did, or why it failed.
    struct Outcome {
        var result: AdminAPI.Result
        var location: String
        var status: HTTPResponseStatus = .ok
    }

    func action(_ request: AdminRequest) async -> HTTPResponse {
        let outcome = await perform(request)
        if request.wantsJSON {
            return Self.json(outcome.result, status: outcome.status)
        }
        return Self.redirect(Self.withQuery(outcome.location, outcome.result.ok ? "notice" : "error", outcome.result.message))
    }

    private func perform(_ request: AdminRequest) async -> Outcome {
        let segments = request.segments
        switch (segments.first, segments.count) {
        case ("queues", 1):
            return await createQueue(request)
        case ("queues", 5):
            guard let key = AdminPaths.key(segments.dropFirst()) else { break }
            return await queueAction(String(segments[4]), key: key, request: request)
        case ("queues", 7) where segments[4] == "messages" && segments[6] == "delete":
            guard let key = AdminPaths.key(segments.dropFirst()) else { break }
            return await outcome(location: AdminPaths.queue(key)) { () async throws(EngineError) -> AdminAPI.Result in
                let deleted = try await engine.deleteMessage(key, byID: String(segments[5]))
                return AdminAPI.Result(
                    ok: deleted, message: deleted ? "Message deleted." : "The message was no longer in the queue.", messageId: String(segments[5]))
            }
        case ("functions", 3) where segments[2] == "invoke":
            return await invoke(String(segments[1]), request: request)
        case ("mappings", 3) where segments[2] == "enable" || segments[2] == "disable":
            return await toggleMapping(String(segments[1]), enable: segments[2] == "enable")
        case ("topics", _), ("mailbox", _):
            if let outcome = await notifyAction(request) { return outcome }
        default:
            break
        }
        return Outcome(result: AdminAPI.Result(ok: false, message: "There is no admin action at this address."), location: "/admin", status: .notFound)
    }

    /// Runs an engine call, turning its error into a failed outcome.
    private func outcome(
        location: String, _ body: () async throws(EngineError) -> AdminAPI.Result
    ) async -> Outcome {
        do {
            let result = try await body()
            return Outcome(result: result, location: location)
        } catch {
            let status: HTTPResponseStatus = error.code == .queueDoesNotExist ? .notFound : .badRequest
            return Outcome(result: AdminAPI.Result(ok: false, message: error.message), location: location, status: status)
        }
    }

    private func createQueue(_ request: AdminRequest) async -> Outcome {
        guard let name = request.field("name")?.filter({ !$0.isWhitespace }), !name.isEmpty else {
            return Outcome(result: AdminAPI.Result(ok: false, message: "A queue needs a name."), location: "/admin", status: .badRequest)
        }
        let fifo = request.field("fifo") == "true" || name.hasSuffix(".fifo")
        let queueName = fifo && !name.hasSuffix(".fifo") ? name + ".fifo" : name
        let key = QueueKey(account: defaults.account, region: defaults.region, name: queueName)
        var attributes: [String: String] = fifo ? ["FifoQueue": "true"] : [:]
        if let target = request.field("deadLetterTarget")?.filter({ !$0.isWhitespace }), !target.isEmpty {
            // A name means a queue of the default account and region; an ARN names any.
            let arn = target.hasPrefix("arn:") ? target : QueueKey(account: defaults.account, region: defaults.region, name: target).arn
            let count: Int
            do throws(AdminInputError) {
                count = try request.formInteger("maxReceiveCount", in: 1...1000) ?? 5
            } catch {
                return Outcome(result: AdminAPI.Result(ok: false, message: error.message), location: "/admin", status: .badRequest)
            }
            attributes["RedrivePolicy"] = #"{"deadLetterTargetArn":\#(JSONValue.quoted(arn)),"maxReceiveCount":\#(count)}"#
        }
        return await outcome(location: "/admin") { () async throws(EngineError) -> AdminAPI.Result in
            _ = try await engine.createQueue(key, attributes: attributes, tags: [:])
            return AdminAPI.Result(ok: true, message: "Queue \(queueName) created.")
        }.withLocation(success: AdminPaths.queue(key))
    }

    private func queueAction(_ name: String, key: QueueKey, request: AdminRequest) async -> Outcome {
        let page = AdminPaths.queue(key)
        switch name {
        case "send":
            return await outcome(location: page) { () async throws(EngineError) -> AdminAPI.Result in
                let input = try sendInput(request)
                let result = try await engine.sendMessage(key, input, senderID: defaults.account)
                return AdminAPI.Result(ok: true, message: "Message \(result.messageID) sent.", messageId: result.messageID)
            }
        case "purge":
            return await outcome(location: page) { () async throws(EngineError) -> AdminAPI.Result in
                try await engine.purgeQueue(key)
                return AdminAPI.Result(ok: true, message: "Queue \(key.name) purged.")
            }
        case "attributes":
            return await outcome(location: page) { () async throws(EngineError) -> AdminAPI.Result in
                let current = try await engine.getQueueAttributes(key, names: ["All"])
                var changed: [String: String] = [:]
                for name in Self.editableAttributes + Self.fifoEditableAttributes {
                    guard let value = request.form[name]?.replacing("\r\n", with: "\n") else { continue }
                    if value != (current[name] ?? "") { changed[name] = value }
                }
                guard !changed.isEmpty else { return AdminAPI.Result(ok: true, message: "Nothing changed.") }
                try await engine.setQueueAttributes(key, attributes: changed)
                return AdminAPI.Result(ok: true, message: "Saved \(changed.keys.sorted().joined(separator: ", ")).")
            }
        case "redrive":
            return await outcome(location: page) { () async throws(EngineError) -> AdminAPI.Result in
                let rate: Int?
                do throws(AdminInputError) {
                    rate = try request.formInteger("maxNumberOfMessagesPerSecond", in: 1...500)
                } catch {
                    throw EngineError(.invalidParameterValue, error.message)
                }
                let handle = try await engine.startMessageMoveTask(sourceArn: key.arn, destinationArn: nil, maxNumberOfMessagesPerSecond: rate)
                return AdminAPI.Result(ok: true, message: "Redrive started: messages are moving back to their source queues.", taskHandle: handle)
            }
        default:
            return Outcome(result: AdminAPI.Result(ok: false, message: "There is no queue action \(name)."), location: page, status: .notFound)
        }
    }

    /// The send form's fields as a SendMessage input.
    private func sendInput(_ request: AdminRequest) throws(EngineError) -> SendMessageInput {
        guard let body = request.form["body"]?.replacing("\r\n", with: "\n"), !body.isEmpty else {
            throw EngineError.missingParameter("MessageBody")
        }
        var input = SendMessageInput(body: body)
        if let delay = request.field("delaySeconds") {
            guard let seconds = Int(delay) else { throw EngineError.invalidParameter("DelaySeconds", value: delay, reason: "Must be a number") }
            input.delaySeconds = seconds
        }
        input.messageGroupID = request.field("messageGroupId")
        input.deduplicationID = request.field("messageDeduplicationId")
        for index in 1...10 {
            guard let name = request.field("attr\(index).name") else { continue }
            let type = request.field("attr\(index).type") ?? "String"
            let value = request.form["attr\(index).value"] ?? ""
            if type.hasPrefix("Binary") {
                guard let bytes = Data(base64Encoded: value) else {
                    throw EngineError.invalidParameter("MessageAttribute.\(name)", value: value, reason: "Binary values are base64")
                }
                input.attributes[name] = MessageAttributeValue(dataType: type, binaryValue: Array(bytes))
            } else {
                input.attributes[name] = MessageAttributeValue(dataType: type, stringValue: value)
            }
        }
        return input
    }

    private func invoke(_ name: String, request: AdminRequest) async -> Outcome {
        let page = "/admin/functions/\(name)"
        guard let lambda, let function = lambda.functions.function(named: name) else {
            return Outcome(result: AdminAPI.Result(ok: false, message: "There is no function named \(name)."), location: "/admin/functions", status: .notFound)
        }
        let event = (request.form["event"] ?? "{}").replacing("\r\n", with: "\n")
        guard event.utf8.count <= LambdaAPILimits.synchronousPayload else {
            let error = LambdaAPIError.requestTooLarge(limit: LambdaAPILimits.synchronousPayload, operation: "InvokeFunction")
            return Outcome(result: AdminAPI.Result(ok: false, message: error.message), location: page, status: .payloadTooLarge)
        }
        let (outcome, record) = await lambda.invoker.invoke(function, payload: Array(event.utf8))
        let message = outcome.isFailure ? "Invocation \(record.id) failed: \(record.error ?? record.status.rawValue)" : "Invocation \(record.id) succeeded."
        return Outcome(
            result: AdminAPI.Result(ok: !outcome.isFailure, message: message, invocationId: record.id), location: page
        ).withLocation(success: "/admin/invocations/\(record.id)", failure: "/admin/invocations/\(record.id)")
    }

    private func toggleMapping(_ uuid: String, enable: Bool) async -> Outcome {
        guard let lambda else {
            return Outcome(result: AdminAPI.Result(ok: false, message: "This server has no Lambda mappings."), location: "/admin", status: .notFound)
        }
        do {
            let mapping = try await lambda.mappings.update(uuid: uuid, settings: EventSourceMappingSettings(enabled: enable))
            return Outcome(result: AdminAPI.Result(ok: true, message: "Mapping \(uuid) is now \(mapping.state.lowercased())."), location: "/admin/functions")
        } catch {
            return Outcome(
                result: AdminAPI.Result(ok: false, message: error.message), location: "/admin/functions",
                status: HTTPResponseStatus(statusCode: error.status))
        }
    }
}

extension AdminResponder.Outcome {
    /// The same outcome, sending the browser to `success` (or `failure`) instead.
    func withLocation(success: String, failure: String? = nil) -> Self {
        var copy = self
        if result.ok {
            copy.location = success
        } else if let failure {
            copy.location = failure
        }
        return copy
    }
}
