import Foundation
import SQSEngine
import Testing

@testable import SQSNotify

struct SNSServiceTests {
    @Test func topicsAreIdempotentAndValidated() async throws {
        let sns = try SNSHarness()
        let arn = try await sns.service.createTopic(name: "orders", attributes: [:], tags: [:], context: sns.context)
        #expect(arn == "arn:aws:sns:us-east-1:000000000000:orders")
        #expect(try await sns.service.createTopic(name: "orders", attributes: [:], tags: [:], context: sns.context) == arn)
        await #expect(throws: SNSError.invalidParameter("Topic Name")) {
            try await sns.service.createTopic(name: "bad.name", attributes: [:], tags: [:], context: sns.context)
        }
        await #expect(throws: SNSError.topicNotFound) { try await sns.service.topicAttributes(arn: arn + "x") }
        let attributes = try await sns.service.topicAttributes(arn: arn)
        #expect(attributes["SubscriptionsConfirmed"] == "0")
        #expect(attributes["EffectiveDeliveryPolicy"]?.contains("\"numRetries\":3") == true)
    }

    @Test func publishFansOutToMatchingSubscriptionsOnly() async throws {
        let sns = try SNSHarness()
        let topic = try await sns.service.createTopic(name: "events", attributes: [:], tags: [:], context: sns.context)
        let all = try await sns.service.subscribe(
            topicArn: topic, protocolName: "sqs", endpoint: "arn:aws:sqs:us-east-1:000000000000:all", attributes: [:], returnSubscriptionArn: false,
            context: sns.context)
        _ = try await sns.service.subscribe(
            topicArn: topic, protocolName: "sqs", endpoint: "arn:aws:sqs:us-east-1:000000000000:red",
            attributes: ["FilterPolicy": #"{"color": ["red"]}"#, "RawMessageDelivery": "true"], returnSubscriptionArn: false, context: sns.context)
        let published = try await sns.service.publish(
            PublishInput(topicArn: topic, message: "hello", subject: "greeting", attributes: ["color": .string("blue")]), context: sns.context)
        await sns.settle()
        let deliveries = sns.transport.deliveries
        #expect(deliveries.map(\.subscription.arn) == [all])
        let envelope = try #require(deliveries.first?.envelope.body)
        let json = try JSONSerialization.jsonObject(with: Data(envelope.utf8)) as? [String: Any]
        #expect(json?["Type"] as? String == "Notification")
        #expect(json?["MessageId"] as? String == published.messageID)
        #expect(json?["Subject"] as? String == "greeting")
        #expect(json?["Message"] as? String == "hello")
        #expect(json?["Timestamp"] as? String == "2024-01-01T00:00:00.000Z")
        #expect((json?["MessageAttributes"] as? [String: [String: String]])?["color"] == ["Type": "String", "Value": "blue"])
        #expect((json?["UnsubscribeURL"] as? String)?.hasPrefix("http://localhost:9324/?Action=Unsubscribe&SubscriptionArn=") == true)
        #expect(json?["SignatureVersion"] as? String == "1")
        #expect((json?["Signature"] as? String)?.isEmpty == false)
        // Field order as SNS writes it.
        let order = ["Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp", "SignatureVersion", "Signature", "SigningCertURL", "UnsubscribeURL", "MessageAttributes"]
        let positions = order.map { envelope.range(of: "\"\($0)\"")!.lowerBound }
        #expect(positions == positions.sorted())
    }

    @Test func httpDeliveriesRetryOnThePolicysScheduleThenGiveUp() async throws {
        let sns = try SNSHarness()
        let topic = try await sns.service.createTopic(name: "hooks", attributes: [:], tags: [:], context: sns.context)
        let pending = try await sns.service.subscribe(
            topicArn: topic, protocolName: "http", endpoint: "http://localhost:1/hook",
            attributes: ["DeliveryPolicy": #"{"healthyRetryPolicy": {"minDelayTarget": 5, "maxDelayTarget": 5, "numRetries": 2}}"#],
            returnSubscriptionArn: true, context: sns.context)
        await sns.settle()
        // The confirmation went out first; confirm with its token.
        let confirmation = try #require(sns.transport.deliveries.first)
        #expect(confirmation.message.kind == .subscriptionConfirmation)
        #expect(confirmation.envelope.body.contains("\"SubscribeURL\""))
        _ = try await sns.service.confirmSubscription(topicArn: topic, token: confirmation.message.token)
        sns.transport.failNext(10)
        _ = try await sns.service.publish(PublishInput(topicArn: topic, message: "ping"), context: sns.context)
        await sns.settle()
        #expect(sns.transport.deliveries.count == 2)
        // Two retries, 5 s apart, on the injected clock.
        sns.clock.advance(seconds: 4.9)
        await sns.settle()
        #expect(sns.transport.deliveries.count == 2)
        sns.clock.advance(seconds: 0.2)
        await sns.settle()
        #expect(sns.transport.deliveries.count == 3)
        sns.clock.advance(seconds: 5)
        await sns.settle()
        #expect(sns.transport.deliveries.count == 4)
        #expect(await sns.scheduler.activeCount == 0)
        let log = try await sns.store.recentDeliveries()
        #expect(log.first?.status == .failed)
        #expect(log.first?.attempts == 3)
        #expect(log.first?.subscriptionArn == pending)
    }

    @Test func fifoTopicsRequireGroupsAndDeduplicate() async throws {
        let sns = try SNSHarness()
        let topic = try await sns.service.createTopic(
            name: "ledger.fifo", attributes: ["FifoTopic": "true", "ContentBasedDeduplication": "true"], tags: [:], context: sns.context)
        await #expect(throws: SNSError.invalidParameter("The MessageGroupId parameter is required for FIFO topics")) {
            try await sns.service.publish(PublishInput(topicArn: topic, message: "x"), context: sns.context)
        }
        let first = try await sns.service.publish(PublishInput(topicArn: topic, message: "x", messageGroupID: "g"), context: sns.context)
        let again = try await sns.service.publish(PublishInput(topicArn: topic, message: "x", messageGroupID: "g"), context: sns.context)
        #expect(first == again)
        #expect(first.sequenceNumber?.count == 20)
        await #expect(throws: SNSError.invalidParameter("Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics")) {
            let standard = try await sns.service.createTopic(name: "plain", attributes: [:], tags: [:], context: sns.context)
            _ = try await sns.service.subscribe(
                topicArn: standard, protocolName: "sqs", endpoint: "arn:aws:sqs:us-east-1:000000000000:q.fifo", attributes: [:],
                returnSubscriptionArn: false, context: sns.context)
        }
    }

    @Test func fifoDeliveriesToASubscriptionAreMadeInPublishOrder() async throws {
        let sns = try SNSHarness()
        let topic = try await sns.service.createTopic(
            name: "ordered.fifo", attributes: ["FifoTopic": "true", "ContentBasedDeduplication": "true"], tags: [:], context: sns.context)
        _ = try await sns.service.subscribe(
            topicArn: topic, protocolName: "sqs", endpoint: "arn:aws:sqs:us-east-1:000000000000:q.fifo", attributes: [:],
            returnSubscriptionArn: false, context: sns.context)
        sns.transport.failNext(1)
        for index in 0..<5 {
            _ = try await sns.service.publish(PublishInput(topicArn: topic, message: "m\(index)", messageGroupID: "g"), context: sns.context)
        }
        await sns.settle()
        // The first delivery failed and waits for its retry (1 s after 3 immediate ones); the others wait behind it.
        for _ in 0..<5 {
            sns.clock.advance(seconds: 1)
            await sns.settle()
        }
        let delivered = sns.transport.deliveries.map(\.message.message)
        #expect(delivered == ["m0", "m0", "m1", "m2", "m3", "m4"])
    }

    @Test func pendingDeliveriesSurviveARestart() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sns-\(UUID().uuidString).db").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let topic: String
        do {
            let sns = try SNSHarness(path: path)
            topic = try await sns.service.createTopic(name: "durable", attributes: [:], tags: [:], context: sns.context)
            _ = try await sns.service.subscribe(
                topicArn: topic, protocolName: "sqs", endpoint: "arn:aws:sqs:us-east-1:000000000000:q", attributes: [:], returnSubscriptionArn: false,
                context: sns.context)
            await sns.scheduler.stop()  // nothing is delivered: as if the process died after Publish answered
            _ = try await sns.service.publish(PublishInput(topicArn: topic, message: "kept"), context: sns.context)
            #expect(sns.transport.deliveries.isEmpty)
        }
        let restarted = try SNSHarness(path: path)
        await restarted.scheduler.resume()
        await restarted.settle()
        #expect(restarted.transport.deliveries.map(\.message.message) == ["kept"])
        #expect(try await restarted.store.pendingDeliveries().isEmpty)
    }

    @Test func publishValidatesMessagesAsSNSDoes() async throws {
        let sns = try SNSHarness()
        let topic = try await sns.service.createTopic(name: "v", attributes: [:], tags: [:], context: sns.context)
        await #expect(throws: SNSError.invalidParameter("Empty message")) {
            try await sns.service.publish(PublishInput(topicArn: topic, message: ""), context: sns.context)
        }
        await #expect(throws: SNSError.invalidParameter("Message Structure - No default entry in JSON message body")) {
            try await sns.service.publish(PublishInput(topicArn: topic, message: #"{"sqs": "x"}"#, messageStructure: "json"), context: sns.context)
        }
        await #expect(throws: SNSError.invalidParameter("Message too long")) {
            try await sns.service.publish(PublishInput(topicArn: topic, message: String(repeating: "x", count: 262_145)), context: sns.context)
        }
        await #expect(throws: SNSError.topicNotFound) {
            try await sns.service.publish(PublishInput(topicArn: topic + "-missing", message: "x"), context: sns.context)
        }
        await #expect(throws: SNSError.parameterValueInvalid("Could not cast message attribute 'n' value to number.")) {
            try await sns.service.publish(PublishInput(topicArn: topic, message: "x", attributes: ["n": .number("abc")]), context: sns.context)
        }
    }

    @Test func retryPolicyDelaysFollowThePhases() throws {
        let policy = try HTTPDeliveryPolicy(
            subscriptionPolicy: #"{"healthyRetryPolicy": {"minDelayTarget": 1, "maxDelayTarget": 8, "numRetries": 7, "numNoDelayRetries": 1, "numMinDelayRetries": 1, "numMaxDelayRetries": 1, "backoffFunction": "exponential"}}"#
        )
        let delays = (1...8).map { policy.delayMilliseconds(beforeRetry: $0) }
        #expect(delays == [0, 1000, 1000, 2000, 4000, 8000, 8000, nil])
        #expect(HTTPDeliveryPolicy.default.delayMilliseconds(beforeRetry: 3) == 20_000)
        #expect(HTTPDeliveryPolicy.default.delayMilliseconds(beforeRetry: 4) == nil)
    }

    @Test func retryPolicyCountsOutOfRangeAreRefusedWithoutConvertingThem() {
        // 1e300 is a whole number: converting it to Int once trapped and stopped the server.
        for value in ["1e300", "-1e300", "101", "-1", "2.5"] {
            #expect(throws: SNSError.self, "\(value)") {
                try HTTPDeliveryPolicy(subscriptionPolicy: #"{"healthyRetryPolicy": {"numRetries": \#(value)}}"#)
            }
        }
        #expect(throws: Never.self) { try HTTPDeliveryPolicy(subscriptionPolicy: #"{"healthyRetryPolicy": {"numRetries": 100}}"#) }
    }
}
