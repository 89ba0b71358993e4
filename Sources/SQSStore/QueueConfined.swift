import Dispatch

/// A value that may be reached only from one serial `DispatchQueue`.
///
/// `@unchecked Sendable` is safe here because the wrapped value is never handed out except
/// inside ``withValue(_:)``, which traps (`dispatchPrecondition`) unless it runs on `queue`. The
/// queue is serial, so at most one thread touches the value at a time, and each block on the
/// queue happens-after the previous one, which gives the memory ordering. This is the same
/// argument as NIO's `NIOLoopBound` and sqlite-nio's connection handle.
struct QueueConfined<Value>: @unchecked Sendable {
    /// The serial queue that owns the value.
    let queue: DispatchQueue
    private let value: Value

    /// Wraps `value`; call only on `queue` (for example inside `queue.sync`).
    init(_ value: Value, queue: DispatchQueue) {
        dispatchPrecondition(condition: .onQueue(queue))
        self.queue = queue
        self.value = value
    }

    /// Runs `body` with the value. Must be called on ``queue``.
    func withValue<Result, Failure: Error>(_ body: (Value) throws(Failure) -> Result) throws(Failure) -> Result {
        dispatchPrecondition(condition: .onQueue(queue))
        return try body(value)
    }
}
