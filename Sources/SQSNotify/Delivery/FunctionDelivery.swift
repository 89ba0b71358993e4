import SQSLambda

/// Delivers to `lambda` subscriptions: invokes the function with the SNS event
/// (`Records[].Sns`). The delivery succeeds once the function ran, as SNS's does once Lambda
/// accepted the event; a function error is Lambda's to retry, not SNS's.
public struct FunctionDelivery: DeliveryTransport {
    let invoker: FunctionInvoker

    /// Creates the transport over the invoker.
    public init(invoker: FunctionInvoker) {
        self.invoker = invoker
    }

    public func deliver(_ delivery: DeliveryContext) async -> DeliveryAttemptResult {
        let arn = delivery.subscription.endpoint
        guard let parts = SNSArn.parts(arn), parts.count >= 7 else { return .failed("Invalid Lambda function ARN \(arn)") }
        let name = String(parts[6])
        guard let function = invoker.functions.function(named: name) else { return .failed("Function not found: \(arn)") }
        let (outcome, record) = await invoker.invoke(function, payload: Array(delivery.envelope.lambdaEvent.utf8))
        return .delivered(outcome.isFailure ? "invoked, request \(record.requestID) (function error)" : "invoked, request \(record.requestID)")
    }
}
