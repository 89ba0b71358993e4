import Synchronization

extension FunctionProcess {
    /// Lambda's limit on a function's init phase; a cold invocation waits at least this long for
    /// the runtime to ask for work before it times out.
    static let initTimeout = Duration.seconds(10)

    /// Runs one invocation on this process (at most one at a time) and frames its log; the outcome's
    /// log lines are those written to the process's stream for it (see ``EnvironmentLog``).
    ///
    /// The timeout counts from the moment the runtime takes the invocation (`GET …/next`), as on
    /// Lambda, where init has its own limit: the result and the deadline race in a task group. A
    /// timed-out process is killed.
    func run(_ invocation: Invocation, timeout: Int) async -> InvocationOutcome {
        let started = ContinuousClock.now
        let result: InvocationOutcome.Result
        switch assign(invocation) {
        case .refused(let failure):
            result = failure
        case .assigned(let assignment):
            let raced = await Race.first(
                { await assignment.result.value() ?? .timedOut(seconds: timeout) },
                { await Self.deadline(of: assignment, timeout: timeout, started: started) })
            // On a busy machine the deadline's child may run before the one the answer woke: an
            // answer that arrived by the deadline still counts.
            let deadline = assignment.handover.current.map { $0 + .seconds(timeout) } ?? Self.initDeadline(started, timeout: timeout)
            if case .timedOut = raced, let (answer, at) = assignment.result.resolution, at <= deadline {
                result = answer
            } else {
                result = raced
            }
        }
        if case .timedOut = result {
            kill()
        }
        await log.settle()
        let (handedOverAt, initDuration) = state.withLock { state -> (ContinuousClock.Instant?, Duration?) in
            defer { state.assignment = nil }
            state.invocations += 1
            let initDuration = state.invocations == 1 ? state.readyAt.map { $0 - startedAt } : nil
            return (state.assignment?.handedOverAt, initDuration)
        }
        let requestID = invocation.requestID
        var trailer: [String] = []
        var status: String?
        var errorType: String?
        switch result {
        case .timedOut(let seconds):
            trailer.append(LambdaLogFormat.timedOut(requestID, seconds: seconds))
            status = "timeout"
        case .functionError(let type, let message, _) where type.hasPrefix("Runtime."):
            trailer.append(message)
            trailer.append(type)
            (status, errorType) = ("error", type)
        default:
            break
        }
        trailer.append(LambdaLogFormat.end(requestID))
        trailer.append(
            LambdaLogFormat.report(
                requestID, duration: ContinuousClock.now - (handedOverAt ?? started), memorySize: configuration.memorySize,
                maxMemoryUsed: maxMemoryUsedMB(), initDuration: initDuration, status: status, errorType: errorType))
        let logLines = log.finish(requestID: requestID, lines: trailer)
        return InvocationOutcome(result: result, logLines: logLines)
    }

    private enum Assigned {
        case assigned(Assignment)
        /// The process cannot run it: this is its result.
        case refused(InvocationOutcome.Result)
    }

    /// Makes `invocation` this process's assignment and hands it to a runtime already waiting in
    /// `GET …/next`; refuses it when the process cannot run it.
    private func assign(_ invocation: Invocation) -> Assigned {
        let (assigned, waiter) = state.withLock { state -> (Assigned, CheckedContinuation<Invocation?, Never>?) in
            if let failure = state.initFailure { return (.refused(failure), nil) }
            if let exit = state.exit {
                let message = LambdaLogFormat.exitErrorMessage(invocation.requestID, exit: exit)
                return (.refused(.functionError(type: "Runtime.ExitError", message: message, payload: [])), nil)
            }
            if state.stopping {
                return (.refused(.functionError(type: "Runtime.Unavailable", message: "The function process is stopping", payload: [])), nil)
            }
            var assignment = Assignment(invocation: invocation)
            guard let waiter = state.nextWaiter else {
                state.assignment = assignment
                return (.assigned(assignment), nil)
            }
            state.nextWaiter = nil
            assignment.handOver()
            state.assignment = assignment
            log.beginInvocation(requestID: invocation.requestID)
            return (.assigned(assignment), waiter.continuation)
        }
        waiter?.resume(returning: invocation)
        return assigned
    }

    /// Returns the timeout `timeout` seconds after the runtime first took the invocation, or at the
    /// init limit when the runtime has not asked for it by then; cancelled when the result comes first.
    private static func deadline(of assignment: Assignment, timeout: Int, started: ContinuousClock.Instant) async -> InvocationOutcome.Result {
        let initDeadline = initDeadline(started, timeout: timeout)
        let handedOverAt = await Race.first(
            { await assignment.handover.value() },
            {
                try? await Task.sleep(until: initDeadline, clock: .continuous)
                return nil
            })
        if let handedOverAt {
            try? await Task.sleep(until: handedOverAt + .seconds(timeout), clock: .continuous)
        }
        return .timedOut(seconds: timeout)
    }

    /// When an invocation the runtime has not taken times out: the init limit, or the function's
    /// timeout when longer.
    private static func initDeadline(_ started: ContinuousClock.Instant, timeout: Int) -> ContinuousClock.Instant {
        started + max(initTimeout, .seconds(timeout))
    }
}
