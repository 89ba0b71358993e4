import Testing

@testable import SQSEngine

/// A commit ticket gives its outcome to one waiter, whether the store completes before or after the
/// wait starts, and only the first completion counts.
struct CommitTicketTests {
    struct Failure: Error {}

    @Test func anOutcomeRecordedBeforeTheWaitIsReturnedAtOnce() async throws {
        let ticket = CommitTicket()
        ticket.complete(.success(()))
        try await ticket.wait()

        let failed = CommitTicket()
        failed.complete(.failure(Failure()))
        await #expect(throws: Failure.self) { try await failed.wait() }
    }

    @Test func aWaiterIsResumedByTheLaterCompletion() async throws {
        let ticket = CommitTicket()
        async let waited: Void = ticket.wait()
        while !ticket.hasWaiter { await Task.yield() }
        ticket.complete(.success(()))
        try await waited

        let failed = CommitTicket()
        let failedWait = Task { try await failed.wait() }
        while !failed.hasWaiter { await Task.yield() }
        failed.complete(.failure(Failure()))
        await #expect(throws: Failure.self) { try await failedWait.value }
    }

    @Test func onlyTheFirstCompletionCounts() async throws {
        let ticket = CommitTicket()
        ticket.complete(.failure(Failure()))
        ticket.complete(.success(()))
        await #expect(throws: Failure.self) { try await ticket.wait() }
    }
}
