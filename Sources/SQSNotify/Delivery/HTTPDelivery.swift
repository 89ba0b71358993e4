import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Delivers to `http` and `https` subscriptions with async-http-client: a POST of the envelope
/// (or the raw message) with SNS's `x-amz-sns-*` headers. A 2xx answer is a delivery; anything
/// else, or no answer within 15 seconds, a failure the delivery policy retries.
public struct HTTPDelivery: DeliveryTransport {
    let client: HTTPClient

    /// Seconds to wait for the endpoint, as SNS does.
    static let timeout: Int64 = 15

    /// Creates the transport over a client (the caller shuts it down).
    public init(client: HTTPClient) {
        self.client = client
    }

    public func deliver(_ delivery: DeliveryContext) async -> DeliveryAttemptResult {
        let message = delivery.message
        let subscription = delivery.subscription
        var request = HTTPClientRequest(url: subscription.endpoint)
        request.method = .POST
        let policy = HTTPDeliveryPolicy.forDelivery(to: subscription, of: delivery.topic)
        request.headers.add(name: "Content-Type", value: message.kind == .notification ? policy.headerContentType : "text/plain; charset=UTF-8")
        request.headers.add(name: "User-Agent", value: "Amazon Simple Notification Service Agent")
        request.headers.add(name: "x-amz-sns-message-type", value: message.kind.rawValue)
        request.headers.add(name: "x-amz-sns-message-id", value: message.id)
        request.headers.add(name: "x-amz-sns-topic-arn", value: message.topicArn)
        if message.kind == .notification {
            request.headers.add(name: "x-amz-sns-subscription-arn", value: subscription.arn)
            if subscription.rawMessageDelivery { request.headers.add(name: "x-amz-sns-rawdelivery", value: "true") }
        }
        request.body = .bytes(ByteBuffer(string: delivery.envelope.body))
        do {
            let response = try await client.execute(request, timeout: .seconds(Self.timeout))
            let answer = try? await response.body.collect(upTo: 1024)
            let text = answer.map { String(buffer: $0) } ?? ""
            let status = response.status.code
            let detail = "HTTP \(status)" + (text.isEmpty ? "" : ": " + String(text.prefix(200)))
            return (200..<300).contains(status) ? .delivered(detail) : .failed(detail)
        } catch {
            return .failed("\(error)")
        }
    }
}
