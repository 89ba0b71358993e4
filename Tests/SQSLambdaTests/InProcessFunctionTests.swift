import SQSLambda
import Testing

@Suite("InProcessFunction")
struct InProcessFunctionTests {
    static func invocation(_ payload: String) -> Invocation {
        Invocation(requestID: "r-1", payload: Array(payload.utf8), deadlineMilliseconds: 0, functionArn: "arn", traceID: "t")
    }

    @Test func decodesTheEventAndEncodesTheResponse() async throws {
        let function = InProcessFunction(name: "f") { (event: SQSEvent, context: LambdaContext) -> SQSBatchResponse? in
            context.log("records: \(event.records.count)")
            return SQSBatchResponse(batchItemFailures: event.records.map { .init(itemIdentifier: $0.messageId) })
        }
        let outcome = await function.invoke(Self.invocation(#"{"Records":[{"messageId":"m1","receiptHandle":"h","body":"b","attributes":{},"messageAttributes":{},"md5OfBody":"x","eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-1:000000000000:q","awsRegion":"us-east-1"}]}"#))
        #expect(outcome.result == .success(Array(#"{"batchItemFailures":[{"itemIdentifier":"m1"}]}"#.utf8)))
        #expect(outcome.logLines == ["records: 1"])
    }

    @Test func aThrownErrorIsAFunctionError() async {
        struct Boom: Error {}
        let function = InProcessFunction(name: "f") { _, _ in throw Boom() }
        let outcome = await function.invoke(Self.invocation("{}"))
        guard case .functionError(let type, _, _) = outcome.result else {
            Issue.record("expected a function error, got \(outcome.result)")
            return
        }
        #expect(type == "Boom")
        #expect(String(decoding: outcome.responsePayload, as: UTF8.self).contains(#""errorType":"Boom""#))
    }

    @Test func aHungClosureTimesOut() async {
        let function = InProcessFunction(name: "f", timeout: 1) { _, _ in
            try? await Task.sleep(for: .seconds(30))
            return []
        }
        let clock = ContinuousClock()
        let start = clock.now
        let outcome = await function.invoke(Self.invocation("{}"))
        #expect(outcome.result == .timedOut(seconds: 1))
        // Well before the closure's 30 seconds, even on a loaded machine.
        #expect(clock.now - start < .seconds(20))
    }

    @Test func registryFindsFunctionsByName() {
        let registry = FunctionRegistry()
        registry.register(InProcessFunction(name: "b") { _, _ in [] })
        registry.register(InProcessFunction(name: "a") { _, _ in [] })
        #expect(registry.all.map(\.configuration.name) == ["a", "b"])
        #expect(registry.function(named: "a")?.configuration.kind == .inProcess)
        #expect(registry.function(named: "zzz") == nil)
    }
}
