import FoundationEssentials
import NIOHTTP1
import SQSEngine
import SQSHTTP
import SQSLambda
import SQSLogs
import SQSProtocol

/// The "Test controls" page (`/admin/controls`): the clock, fault rules and the call record, with
/// the admin page's CSRF-checked forms for every change.
extension AdminResponder {
    /// Calls the page shows, newest first.
    static let controlsCallRows = 200

    func controlsPage(_ request: AdminRequest) async -> HTTPResponse {
        guard let controls else { return notFound(request, "This server has no test controls.") }
        var context: [String: Any] = [:]
        if let clock = controls.clock {
            let reading = clock.reading
            context["controllable"] = true
            context["frozen"] = reading.frozen
            context["nowIso"] = Self.isoTime(reading.now.milliseconds)
            context["offset"] = Self.duration(milliseconds: reading.offsetMilliseconds)
        } else {
            context["nowIso"] = Self.isoTime(SystemClock().now().milliseconds)
            context["offset"] = "0 s"
        }
        let rules = controls.faults.rules
        context["hasRules"] = !rules.isEmpty
        context["rules"] = rules.map { rule -> [String: Any] in
            var effect: [String] = []
            if let error = rule.error { effect.append(error) }
            if let latency = rule.latencyMs { effect.append("delay " + latency.map(String.init).joined(separator: "–") + " ms") }
            if let kind = rule.invocations { effect.append(kind == .error ? "invocations fail" : "invocations time out") }
            return [
                "id": rule.id, "service": rule.service, "action": rule.action ?? "*", "target": rule.queue ?? rule.function ?? "*",
                "effect": effect.joined(separator: ", "), "probability": String(rule.probability), "count": rule.count.map(String.init) ?? "∞",
                "hits": rule.hits,
            ]
        }
        context["errors"] = Array(Set(AWSErrorMapping.injectableNames + LambdaAPIError.injectableNames + LogsError.injectableNames)).sorted()

        func filterValue(_ name: String) -> String? { request.query[name].flatMap { $0.isEmpty ? nil : $0 } }
        let filter = CallFilter(
            service: filterValue("service"), action: filterValue("action"), resource: filterValue("queue"), limit: TestControlLimits.maxCallRecordSize)
        let calls = await controls.calls(filter)
        let shown = calls.suffix(Self.controlsCallRows).reversed()
        context["calls"] = shown.map { call -> [String: Any] in
            [
                "time": Self.isoTime(call.time), "service": call.service, "action": call.action, "resource": call.resource ?? "",
                "status": call.status, "errorCode": call.errorCode ?? "", "duration": String((call.durationMs * 10).rounded() / 10),
                "principal": call.principal, "requestId": call.requestId,
            ]
        }
        context["hasCalls"] = !shown.isEmpty
        context["shown"] = shown.count
        context["callCount"] = calls.count
        let dropped = controls.calls.dropped
        if dropped > 0 { context["dropped"] = dropped }
        context["filterService"] = filterValue("service") ?? ""
        context["filterAction"] = filterValue("action") ?? ""
        context["filterQueue"] = filterValue("queue") ?? ""
        context["filtered"] = filter.service != nil || filter.action != nil || filter.resource != nil
        return render("controls", title: "Test controls", context: context, request: request, nav: "controls")
    }

    /// The page's POSTs: `clock/advance|freeze|resume`, `faults`, `faults/clear`, `faults/<id>/delete`,
    /// `calls/clear`, `reset`.
    func controlsAction(_ request: AdminRequest) async -> Outcome {
        let page = "/admin/controls"
        guard let controls else {
            return Outcome(result: AdminAPI.Result(ok: false, message: "This server has no test controls."), location: page, status: .notFound)
        }
        let path = request.segments.dropFirst().map(String.init)
        func failed(_ message: String, _ status: HTTPResponseStatus = .badRequest) -> Outcome {
            Outcome(result: AdminAPI.Result(ok: false, message: message), location: page, status: status)
        }
        func done(_ message: String) -> Outcome {
            Outcome(result: AdminAPI.Result(ok: true, message: message), location: page)
        }
        do throws(TestControlError) {
            switch path {
            case ["clock", "advance"]:
                guard let text = request.field("seconds"), let seconds = Double(text) else { return failed("Seconds must be a number.") }
                let now = try await controls.advance(seconds: seconds)
                return done("The clock moved to \(Self.isoTime(now.milliseconds)).")
            case ["clock", "freeze"]:
                let now = try await controls.freeze()
                return done("The clock is frozen at \(Self.isoTime(now.milliseconds)).")
            case ["clock", "resume"]:
                let now = try await controls.resume()
                return done("The clock runs again from \(Self.isoTime(now.milliseconds)).")
            case ["faults"]:
                let rule = try addFault(request, controls)
                return done("Fault rule \(rule) added.")
            case ["faults", "clear"]:
                let count = controls.faults.clear()
                return done("\(count) fault rule\(count == 1 ? "" : "s") removed.")
            case let parts where parts.count == 3 && parts[0] == "faults" && parts[2] == "delete":
                guard controls.faults.remove(id: parts[1]) else { return failed("There is no fault rule \(parts[1]).", .notFound) }
                return done("Fault rule \(parts[1]) removed.")
            case ["calls", "clear"]:
                await controls.clearCalls()
                return done("The call record is empty.")
            case ["reset"]:
                do {
                    let result = try await controls.reset()
                    let summary = result.keys.sorted().map { "\($0): \(result[$0]!.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))" }
                    return done("Reset. " + summary.joined(separator: "; "))
                } catch {
                    return failed("The reset failed: \(error)", .internalServerError)
                }
            default:
                return failed("There is no test-control action at this address.", .notFound)
            }
        } catch .clockNotControllable {
            return failed(TestControlError.clockNotControllable.description, .forbidden)
        } catch {
            return failed(error.description)
        }
    }

    /// The add-rule form as a rule; returns its id.
    private func addFault(_ request: AdminRequest, _ controls: TestControls) throws(TestControlError) -> String {
        let service = request.field("service") ?? "sqs"
        var latency: ClosedRange<Int>?
        if let text = request.field("latencyMs") {
            let bounds = text.split(separator: "-", maxSplits: 1).map { Int($0.filter { !$0.isWhitespace }) }
            guard let low = bounds.first ?? nil, let high = bounds.last ?? nil, low <= high else {
                throw .invalid("Delay must be milliseconds, like 500 or 50-500.")
            }
            latency = low...high
        }
        var probability = 1.0
        if let text = request.field("probability") {
            guard let value = Double(text) else { throw .invalid("Probability must be a number from 0 to 1.") }
            probability = value
        }
        var count: Int?
        if let text = request.field("count") {
            guard let value = Int(text) else { throw .invalid("Count must be a whole number.") }
            count = value
        }
        let target = request.field("target")
        if let kind = request.field("invocations") {
            guard let parsed = InvocationFaultKind(rawValue: kind), let target else {
                throw .invalid("Invocation faults need a function name as the target.")
            }
            return try controls.failInvocations(of: target, count: count ?? 1, kind: parsed)
        }
        return try controls.fault(
            service: service, action: request.field("action"), queue: service == "sqs" ? target : nil, function: service == "lambda" ? target : nil,
            probability: probability, error: request.field("error"), latencyMs: latency, count: count)
    }

    /// `+1 h 2 min 3 s`, or `0 s`.
    static func duration(milliseconds: Int64) -> String {
        var seconds = abs(milliseconds) / 1000
        if seconds == 0 { return "0 s" }
        var parts: [String] = []
        for (unit, size) in [("d", Int64(86400)), ("h", 3600), ("min", 60)] where seconds >= size {
            parts.append("\(seconds / size) \(unit)")
            seconds %= size
        }
        if seconds > 0 { parts.append("\(seconds) s") }
        return (milliseconds < 0 ? "−" : "+") + parts.joined(separator: " ")
    }
}
