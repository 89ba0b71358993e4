import FoundationEssentials
import NIOHTTP1
import SQSEngine
import SQSHTTP

/// Invoke (`POST /2015-03-31/functions/{name}/invocations`): `RequestResponse` runs the function
/// and answers with its result (429 `TooManyRequestsException` when the function's reserved
/// concurrency is used up); `Event` queues it (bounded, see ``AsyncInvocationQueue``; it waits for
/// room) and answers 202; `DryRun` only checks.
extension LambdaAPIResponder {
    func invoke(
        _ function: any LambdaFunction, payload: [UInt8], headers: HTTPHeaders, requestID: String
    ) async throws(LambdaAPIError) -> HTTPResponse {
        let type = headers.first(name: "x-amz-invocation-type") ?? "RequestResponse"
        switch type {
        case "Event":
            if payload.count > LambdaAPILimits.asynchronousPayload {
                throw .requestTooLarge(limit: LambdaAPILimits.asynchronousPayload, operation: "InvokeAsync")
            }
        case "RequestResponse", "DryRun":
            if payload.count > LambdaAPILimits.synchronousPayload {
                throw .requestTooLarge(limit: LambdaAPILimits.synchronousPayload, operation: "InvokeFunction")
            }
        default:
            throw .invalidParameter(
                "1 validation error detected: Value '\(type)' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]")
        }
        if let problem = Self.encodingProblem(payload) {
            throw .invalidRequestContent("Could not parse payload into json: \(problem)")
        }
        if !payload.isEmpty, (try? JSONDecoder().decode(JSONValue.self, from: Data(payload))) == nil {
            throw .invalidRequestContent("Could not parse payload into json")
        }
        let event = payload.isEmpty ? Array("{}".utf8) : payload
        switch type {
        case "Event":
            guard asyncQueue.enqueue(function, payload: event) else { throw .tooManyRequests }
            return Self.response(status: .accepted, body: [], requestID: requestID, extra: [])
        case "DryRun":
            return Self.response(status: .noContent, body: [], requestID: requestID, extra: [])
        default:
            // Reserved concurrency: a synchronous invocation with no room is throttled, as on Lambda.
            guard let permit = invoker.concurrency.tryAcquire(function.configuration.name) else {
                throw .tooManyRequests
            }
            let (outcome, _) = await invoker.invoke(function, payload: event, permit: permit)
            var extra: [(String, String)] = [("X-Amz-Executed-Version", "$LATEST")]
            if outcome.isFailure { extra.append(("X-Amz-Function-Error", "Unhandled")) }
            if headers.first(name: "x-amz-log-type") == "Tail" {
                let tail = Array(outcome.logLines.joined(separator: "\n").utf8.suffix(4096))
                extra.append(("X-Amz-Log-Result", Data(tail).base64EncodedString()))
            }
            return Self.response(status: .ok, body: outcome.responsePayload, requestID: requestID, extra: extra)
        }
    }
}
