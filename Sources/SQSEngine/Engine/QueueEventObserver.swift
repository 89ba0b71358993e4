/// Told about message traffic as the engine serves it, for metrics; calls are synchronous and
/// must be cheap (a counter increment). Every method has a no-op default.
public protocol QueueEventObserver: Sendable {
    /// Messages were enqueued (`sizes` in bytes, body plus attributes, one per message).
    func messagesSent(_ key: QueueKey, sizes: [Int])
    /// One message was enqueued (`size` in bytes, body plus attributes): SendMessage, without the
    /// array ``messagesSent(_:sizes:)`` takes.
    func messageSent(_ key: QueueKey, size: Int)
    /// A receive returned `count` messages (0 for an empty receive).
    func messagesReceived(_ key: QueueKey, count: Int)
    /// `count` messages were deleted by DeleteMessage or DeleteMessageBatch.
    func messagesDeleted(_ key: QueueKey, count: Int)
}

extension QueueEventObserver {
    public func messagesSent(_ key: QueueKey, sizes: [Int]) {}
    public func messageSent(_ key: QueueKey, size: Int) { messagesSent(key, sizes: [size]) }
    public func messagesReceived(_ key: QueueKey, count: Int) {}
    public func messagesDeleted(_ key: QueueKey, count: Int) {}
}
