/// Told about message traffic as the engine serves it, for metrics; calls are synchronous and
/// must be cheap (a counter increment). Every method has a no-op default.
public protocol QueueEventObserver: Sendable {
    /// Messages were enqueued (`sizes` in bytes, body plus attributes, one per message).
    func messagesSent(_ key: QueueKey, sizes: [Int])
    /// A receive returned `count` messages (0 for an empty receive).
    func messagesReceived(_ key: QueueKey, count: Int)
    /// `count` messages were deleted by DeleteMessage or DeleteMessageBatch.
    func messagesDeleted(_ key: QueueKey, count: Int)
}

extension QueueEventObserver {
    public func messagesSent(_ key: QueueKey, sizes: [Int]) {}
    public func messagesReceived(_ key: QueueKey, count: Int) {}
    public func messagesDeleted(_ key: QueueKey, count: Int) {}
}
