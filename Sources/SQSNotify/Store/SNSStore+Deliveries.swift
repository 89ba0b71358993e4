extension SNSStore {
    /// What an attempt of `record` needs, or `nil` when its subscription (or message) is gone.
    func attemptContext(_ record: DeliveryRecord) async throws(SNSError) -> (PublishedMessage, Subscription, Topic?)? {
        try await perform { state, database in
            guard let subscription = state.subscriptions[record.subscriptionArn], let message = try database.message(record.messageID) else {
                return nil
            }
            return (message, subscription, state.topics[subscription.topicArn])
        }
    }

    /// Records a failed attempt and the time of the next one.
    func reschedule(_ record: DeliveryRecord) async throws(SNSError) {
        try await perform { _, database in try database.reschedule(record.id, attempts: record.attempts, nextAttemptAt: record.nextAttemptAt) }
    }

    /// Ends a delivery and logs how it ended.
    func finish(_ record: DeliveryRecord, _ entry: DeliveryLogEntry) async throws(SNSError) {
        try await perform { _, database in try database.finish(record.id, messageID: record.messageID, log: entry) }
    }
}
