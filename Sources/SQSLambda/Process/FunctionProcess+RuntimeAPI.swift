import Synchronization

extension FunctionProcess {
    /// What became of a runtime's response or error for a request id.
    enum Completion: Sendable, Equatable {
        /// Taken: the invocation ends with it.
        case accepted
        /// No invocation with that id is running on this process.
        case unknownRequest
        /// The invocation was already answered.
        case alreadyAnswered
    }

    /// `GET …/invocation/next`: waits until an invocation is assigned and hands it over. `nil` when
    /// the process is stopping, has exited, or the request was cancelled (its client went away).
    func nextInvocation() async -> Invocation? {
        // What the runtime printed before asking (its init, say) comes before the invocation's lines.
        await log.settle()
        let waiterID = state.withLock { state in
            state.nextWaiterCount += 1
            if state.readyAt == nil { state.readyAt = .now }
            return state.nextWaiterCount
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Invocation?, Never>) in
                let (ready, replaced) = state.withLock { state -> (Invocation??, CheckedContinuation<Invocation?, Never>?) in
                    if state.stopping || state.exit != nil || Task.isCancelled { return (.some(nil), nil) }
                    if let assignment = state.assignment, assignment.handedOverAt == nil {
                        state.assignment?.handOver()
                        log.beginInvocation(requestID: assignment.invocation.requestID)
                        return (.some(assignment.invocation), nil)
                    }
                    // A runtime polls with one request at a time; an older one is answered empty.
                    let replaced = state.nextWaiter?.continuation
                    state.nextWaiter = (waiterID, continuation)
                    return (nil, replaced)
                }
                replaced?.resume(returning: nil)
                if let ready {
                    continuation.resume(returning: ready)
                }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Invocation?, Never>? in
                guard let waiter = state.nextWaiter, waiter.id == waiterID else { return nil }
                state.nextWaiter = nil
                return waiter.continuation
            }
            waiter?.resume(returning: nil)
        }
    }

    /// Puts back an invocation handed to a `GET …/next` whose client went away before the answer.
    func giveBack(_ invocation: Invocation) {
        state.withLock { state in
            guard let assignment = state.assignment, assignment.invocation.requestID == invocation.requestID,
                !assignment.answered
            else { return }
            state.assignment?.handedOverAt = nil
        }
    }

    /// `POST …/invocation/{id}/response` or `…/error`: ends the invocation with the runtime's answer.
    func complete(requestID: String, with result: InvocationOutcome.Result) -> Completion {
        let (completion, outcome) = state.withLock { state -> (Completion, OneShot<InvocationOutcome.Result>?) in
            guard let assignment = state.assignment, assignment.invocation.requestID == requestID,
                assignment.handedOverAt != nil
            else { return (.unknownRequest, nil) }
            if assignment.answered { return (.alreadyAnswered, nil) }
            state.assignment?.answered = true
            return (.accepted, assignment.result)
        }
        outcome?.resolve(result)
        return completion
    }

    /// `POST /runtime/init/error`: the runtime could not initialise. The waiting invocation fails
    /// with the error, and the process is not used again.
    func initFailed(_ result: InvocationOutcome.Result) {
        let outcome = state.withLock { state -> OneShot<InvocationOutcome.Result>? in
            state.initFailure = result
            guard let assignment = state.assignment, !assignment.answered else { return nil }
            state.assignment?.answered = true
            return assignment.result
        }
        outcome?.resolve(result)
    }
}
