import FoundationEssentials
import NIOCore
import NIOHTTP1
import SQSEngine
import SQSHTTP
import SQSLambda
import SQSLogs
import SQSProtocol

/// The control API for test suites at `/_sqslite/…`: the clock, fault rules, resets and the call
/// record (README, "Test controls", lists every endpoint).
///
/// Every request is refused when a browser sent it from another site (``CrossSiteRequest``), and,
/// when the server has an admin token, unless it carries it as the admin page takes it
/// (`Authorization: Bearer <token>` or the admin cookie). Moving the clock needs a server started
/// with a controllable clock; otherwise those endpoints answer 403 saying how to get one.
struct ControlResponder: Sendable {
    /// The path prefix this responder serves.
    static let prefix = "/_sqslite"

    let controls: TestControls
    let security: AdminSecurity

    init(controls: TestControls, adminToken: String?) {
        self.controls = controls
        self.security = AdminSecurity(adminToken: adminToken)
    }

    static func handles(path: Substring) -> Bool {
        path == prefix || path.hasPrefix(prefix + "/")
    }

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        let head = request.head
        if let reason = CrossSiteRequest.refusal(head.headers) {
            return Self.message(reason, status: .forbidden)
        }
        guard security.isAuthorized(head.headers) else {
            return Self.message("The control API needs the admin token (Authorization: Bearer <token>).", status: .unauthorized)
        }
        let parts = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let segments = parts[0].dropFirst(Self.prefix.count).split(separator: "/").map(String.init)
        let query = parts.count > 1 ? FormEncoding.parameters(parts[1]) : [:]
        var body = request.body
        guard body.readableBytes <= TestControlLimits.maxControlBodyBytes else {
            return Self.message("The body is larger than \(TestControlLimits.maxControlBodyBytes) bytes.", status: .payloadTooLarge)
        }
        let bytes = body.readBytes(length: body.readableBytes) ?? []
        switch (head.method, segments.first, segments.count) {
        case (.GET, "clock", 1):
            return Self.json(clockState())
        case (.POST, "clock", 2):
            return await moveClock(segments[1], bytes)
        case (.GET, "faults", 1):
            return Self.json(ControlAPI.Faults(rules: controls.faults.rules, errors: Self.faultErrors))
        case (.POST, "faults", 1):
            return addFaults(bytes)
        case (.DELETE, "faults", 1):
            let count = controls.faults.clear()
            return Self.message("\(count) fault rule\(count == 1 ? "" : "s") removed.", status: .ok)
        case (.DELETE, "faults", 2):
            guard controls.faults.remove(id: segments[1]) else { return Self.message("There is no fault rule \(segments[1]).", status: .notFound) }
            return Self.message("Fault rule \(segments[1]) removed.", status: .ok)
        case (.POST, "reset", 1):
            return await reset(query)
        case (.GET, "calls", 1):
            return await calls(query)
        case (.DELETE, "calls", 1):
            await controls.clearCalls()
            return Self.message("The call record is empty.", status: .ok)
        case (_, "clock", _), (_, "faults", _), (_, "reset", _), (_, "calls", _):
            return Self.message("\(head.method.rawValue) is not allowed on \(parts[0]).", status: .methodNotAllowed)
        default:
            return Self.message(
                "No control endpoint at \(parts[0]). Endpoints: GET /_sqslite/clock, POST /_sqslite/clock/{advance,freeze,resume}, "
                    + "GET|POST|DELETE /_sqslite/faults, POST /_sqslite/reset, GET|DELETE /_sqslite/calls.", status: .notFound)
        }
    }

    // MARK: - Clock

    private func clockState() -> ControlAPI.Clock {
        guard let clock = controls.clock else {
            return ControlAPI.Clock(controllable: false, now: SystemClock().now(), frozen: false, offsetMs: 0, sleepers: nil)
        }
        let reading = clock.reading
        return ControlAPI.Clock(
            controllable: true, now: reading.now, frozen: reading.frozen, offsetMs: reading.offsetMilliseconds, sleepers: reading.sleepers)
    }

    private func moveClock(_ verb: String, _ body: [UInt8]) async -> HTTPResponse {
        do throws(TestControlError) {
            switch verb {
            case "advance":
                guard case .object(let fields)? = Self.parse(body), fields.count == 1 else {
                    throw .invalid(#"The body must be {"seconds": N} or {"to": epochMilliseconds}."#)
                }
                if case .number(let seconds)? = fields["seconds"] {
                    try await controls.advance(seconds: seconds)
                } else if case .number(let to)? = fields["to"], to == to.rounded(), abs(to) < 1e15 {
                    try await controls.advance(to: Timestamp(milliseconds: Int64(to)))
                } else {
                    throw .invalid(#"The body must be {"seconds": N} or {"to": epochMilliseconds}."#)
                }
            case "freeze":
                try await controls.freeze()
            case "resume":
                try await controls.resume()
            default:
                return Self.message("No clock endpoint \(verb): use advance, freeze or resume.", status: .notFound)
            }
        } catch .clockNotControllable {
            return Self.message(TestControlError.clockNotControllable.description, status: .forbidden)
        } catch {
            return Self.message(error.description, status: .badRequest)
        }
        return Self.json(clockState())
    }

    // MARK: - Faults

    /// The keys a fault rule may have.
    private static let ruleKeys: Set<String> = [
        "service", "action", "queue", "function", "probability", "error", "message", "latencyMs", "retryAfterSeconds", "count", "invocations",
    ]

    private static var faultErrors: [String: [String]] {
        ["sqs": AWSErrorMapping.injectableNames, "lambda": LambdaAPIError.injectableNames, "logs": LogsError.injectableNames]
    }

    /// Adds one rule (an object), several (an array, or `{"rules": [...]}`), all or none.
    private func addFaults(_ body: [UInt8]) -> HTTPResponse {
        let objects: [[String: JSONValue]]
        switch Self.parse(body) {
        case .array(let items)?:
            objects = items.compactMap { if case .object(let fields) = $0 { return fields } else { return nil } }
            guard objects.count == items.count, !objects.isEmpty else { return Self.message("Every rule must be a JSON object.", status: .badRequest) }
        case .object(let fields)? where fields.keys.contains("rules"):
            guard case .array(let items)? = fields["rules"], fields.count == 1 else {
                return Self.message(#"{"rules": [...]} takes a list of rules and nothing else."#, status: .badRequest)
            }
            objects = items.compactMap { if case .object(let fields) = $0 { return fields } else { return nil } }
            guard objects.count == items.count, !objects.isEmpty else { return Self.message("Every rule must be a JSON object.", status: .badRequest) }
        case .object(let fields)?:
            objects = [fields]
        default:
            return Self.message("The body must be a fault rule (a JSON object), a list of them, or {\"rules\": [...]}.", status: .badRequest)
        }
        var inputs: [FaultRuleInput] = []
        for fields in objects {
            if let unknown = fields.keys.first(where: { !Self.ruleKeys.contains($0) }) {
                return Self.message("Unknown rule field \(unknown); rules take \(Self.ruleKeys.sorted().joined(separator: ", ")).", status: .badRequest)
            }
            do {
                inputs.append(try JSONDecoder().decode(FaultRuleInput.self, from: Data(ControlAPI.encode(JSONValue.object(fields)))))
            } catch {
                return Self.message("A rule field has the wrong type: \(Self.describe(error)).", status: .badRequest)
            }
        }
        // Check them all before adding any.
        for input in inputs {
            do throws(FaultRuleError) {
                _ = try input.rule(id: "check")
            } catch {
                return Self.message(error.message, status: .badRequest)
            }
        }
        var added: [FaultRule] = []
        for input in inputs {
            do throws(FaultRuleError) {
                added.append(try controls.faults.add(input))
            } catch {
                return Self.message(error.message, status: .badRequest)
            }
        }
        return Self.json(ControlAPI.Faults(rules: added, errors: nil), status: .created)
    }

    // MARK: - Reset and calls

    private func reset(_ query: [String: String]) async -> HTTPResponse {
        let started = ContinuousClock.now
        let result: [String: [String: Int]]
        do {
            result = try await controls.reset(service: query["service"].flatMap { $0.isEmpty ? nil : $0 }, queue: query["queue"].flatMap { $0.isEmpty ? nil : $0 })
        } catch let error as ResetError {
            return Self.message(error.description, status: error.notFound ? .notFound : .badRequest)
        } catch {
            return Self.message("The reset failed: \(error)", status: .internalServerError)
        }
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        return Self.json(ControlAPI.Reset(reset: result, durationMs: milliseconds))
    }

    private func calls(_ query: [String: String]) async -> HTTPResponse {
        func value(_ name: String) -> String? { query[name].flatMap { $0.isEmpty ? nil : $0 } }
        var filter = CallFilter(service: value("service"), action: value("action"), resource: value("queue") ?? value("resource") ?? value("function"))
        if let since = value("since") {
            guard let parsed = Int64(since), parsed >= 0 else { return Self.message("since must be epoch milliseconds.", status: .badRequest) }
            filter.since = parsed
        }
        if let after = value("after") {
            guard let parsed = Int(after), parsed >= 0 else { return Self.message("after must be a call id.", status: .badRequest) }
            filter.afterID = parsed
        }
        if let limit = value("limit") {
            guard let parsed = Int(limit), (1...TestControlLimits.maxCallRecordSize).contains(parsed) else {
                return Self.message("limit must be between 1 and \(TestControlLimits.maxCallRecordSize).", status: .badRequest)
            }
            filter.limit = parsed
        }
        let calls = await controls.calls(filter)
        let settings = controls.calls.settings
        return Self.json(
            ControlAPI.Calls(
                calls: calls, dropped: controls.calls.dropped,
                recording: ControlAPI.Recording(size: settings.capacity, bodies: settings.recordsBodies, database: settings.database)))
    }

    // MARK: - Helpers

    static func parse(_ body: [UInt8]) -> JSONValue? {
        guard !body.isEmpty else { return nil }
        return try? JSONDecoder().decode(JSONValue.self, from: Data(body))
    }

    private static func describe(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return "\(error)" }
        switch decoding {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return context.codingPath.map(\.stringValue).joined(separator: ".")
        case .keyNotFound(let key, _):
            return key.stringValue
        @unknown default:
            return "\(error)"
        }
    }

    static func json(_ value: some Encodable, status: HTTPResponseStatus = .ok) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Cache-Control", value: "no-store")
        return HTTPResponse(status: status, headers: headers, body: ByteBuffer(bytes: ControlAPI.encode(value)))
    }

    static func message(_ text: String, status: HTTPResponseStatus) -> HTTPResponse {
        json(ControlAPI.Message(message: text), status: status)
    }
}
