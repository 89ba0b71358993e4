/// A queue's attributes parsed into the numbers the engine works with.
struct QueueSettings: Sendable, Equatable {
    var visibilityTimeout: Int
    var delaySeconds: Int
    var retentionPeriod: Int
    var maximumMessageSize: Int
    var receiveWaitTime: Int

    init(attributes: [String: String]) {
        visibilityTimeout = attributes["VisibilityTimeout"].flatMap { Int($0) } ?? 30
        delaySeconds = attributes["DelaySeconds"].flatMap { Int($0) } ?? 0
        retentionPeriod = attributes["MessageRetentionPeriod"].flatMap { Int($0) } ?? 345_600
        maximumMessageSize = attributes["MaximumMessageSize"].flatMap { Int($0) } ?? 1_048_576
        receiveWaitTime = attributes["ReceiveMessageWaitTimeSeconds"].flatMap { Int($0) } ?? 0
    }
}
