/// SNS's limits, in one place (Amazon SNS quotas and the API reference).
public enum SNSLimits {
    /// A message's size with its attributes, in bytes.
    public static let maximumMessageSize = 262_144
    /// A topic name's length.
    public static let maximumTopicNameLength = 256
    /// A subject's length; it must also be ASCII without line breaks.
    public static let maximumSubjectLength = 100
    /// Entries in a PublishBatch.
    public static let maximumBatchEntries = 10
    /// A batch entry id's length.
    public static let maximumBatchEntryIdLength = 80
    /// Items per page of ListTopics and the List*Subscriptions calls.
    public static let pageSize = 100
    /// Tags on a resource.
    public static let maximumTags = 50
    /// Message attributes on a message.
    public static let maximumMessageAttributes = 10
    /// A message attribute name's length.
    public static let maximumAttributeNameLength = 256
    /// Seconds a FIFO topic remembers a deduplication id.
    public static let deduplicationWindowSeconds = 300
    /// The deliveries kept for the admin page's "recent deliveries".
    public static let recentDeliveries = 200
}
