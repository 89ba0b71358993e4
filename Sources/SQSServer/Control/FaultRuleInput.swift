import SQSEngine
import SQSLambda
import SQSLogs
import SQSProtocol

/// A fault rule as a client sends it (`id` and the counters are the server's).
struct FaultRuleInput: Decodable {
    var service: String?
    var action: String?
    var queue: String?
    var function: String?
    var probability: Double?
    var error: String?
    var message: String?
    var latencyMs: LatencyInput?
    var retryAfterSeconds: Int?
    var count: Int?
    var invocations: String?

    /// `latencyMs` as a number or as `[min, max]`.
    struct LatencyInput: Decodable {
        var range: [Int]

        init(range: [Int]) {
            self.range = range
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let single = try? container.decode(Int.self) {
                range = [single]
            } else {
                range = try container.decode([Int].self)
            }
        }
    }

    /// The rule, checked: every problem is a sentence for a 400 answer.
    func rule(id: String) throws(FaultRuleError) -> FaultRule {
        let service = (self.service ?? "sqs").lowercased()
        guard TestControlLimits.faultServices.contains(service) else {
            throw FaultRuleError("service must be one of \(TestControlLimits.faultServices.joined(separator: ", ")), not \(service).")
        }
        let probability = self.probability ?? 1
        guard probability.isFinite, (0...1).contains(probability) else { throw FaultRuleError("probability must be between 0 and 1.") }
        if let count, count < 1 { throw FaultRuleError("count must be 1 or more (leave it out for no limit).") }
        if let retryAfterSeconds, !(0...TestControlLimits.maxRetryAfterSeconds).contains(retryAfterSeconds) {
            throw FaultRuleError("retryAfterSeconds must be between 0 and \(TestControlLimits.maxRetryAfterSeconds).")
        }
        var latency: [Int]?
        if let range = latencyMs?.range {
            guard (1...2).contains(range.count), range.allSatisfy({ (0...TestControlLimits.maxLatencyMilliseconds).contains($0) }),
                range.count == 1 || range[0] <= range[1]
            else {
                throw FaultRuleError("latencyMs must be a number or [min, max] of milliseconds between 0 and \(TestControlLimits.maxLatencyMilliseconds).")
            }
            latency = range
        }
        var kind: InvocationFaultKind?
        if let invocations {
            guard let parsed = InvocationFaultKind(rawValue: invocations) else {
                throw FaultRuleError("invocations must be error or timeout.")
            }
            guard service == "lambda", let function, !function.isEmpty, !function.contains("*") else {
                throw FaultRuleError("invocations needs service lambda and the name of one function.")
            }
            guard error == nil, latency == nil, action == nil else {
                throw FaultRuleError("invocations cannot be combined with error, latencyMs or action.")
            }
            kind = parsed
        }
        if let error {
            let known: [String]
            switch service {
            case "lambda": known = LambdaAPIError.injectableNames
            case "logs": known = LogsError.injectableNames
            default: known = AWSErrorMapping.injectableNames
            }
            let valid =
                switch service {
                case "lambda": LambdaAPIError.injectable(named: error) != nil
                case "logs": LogsError.injectable(named: error) != nil
                default: AWSErrorMapping.injectableError(named: error) != nil
                }
            guard valid else { throw FaultRuleError("\(service) has no error \(error); use one of \(known.joined(separator: ", ")).") }
        }
        guard error != nil || latency != nil || kind != nil else {
            throw FaultRuleError("A rule needs error, latencyMs or invocations.")
        }
        if queue != nil && service != "sqs" { throw FaultRuleError("queue applies to service sqs; use function for lambda.") }
        if function != nil && service != "lambda" { throw FaultRuleError("function applies to service lambda.") }
        return FaultRule(
            id: id, service: service, action: action.flatMap { $0.isEmpty ? nil : $0 }, queue: queue.flatMap { $0.isEmpty ? nil : $0 },
            function: function.flatMap { $0.isEmpty ? nil : $0 }, probability: probability, error: error, message: message,
            latencyMs: latency, retryAfterSeconds: retryAfterSeconds, count: count, invocations: kind)
    }
}

/// Why a fault rule was refused.
struct FaultRuleError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
