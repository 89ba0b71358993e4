import Synchronization

extension FunctionProcess {
    /// Lambda's limit on a function's init phase; a cold invocation waits at least this long for
    /// the runtime to ask for work before it times out.
    static let initTimeout = Duration.seconds(10)

    /// Runs one invocation on this process (at most one at a time) and frames its log; the outcome's
    /// log lines are those written to the process's stream for it (see ``EnvironmentLog``).
    ///
    /// The timeout counts from the moment the runtime takes the invocation (`GET …/next`), as on
    /// Lambda, where init has its own limit. A timed-out process is killed.
    func run(_ invocation: Invocation, timeout: Int) async -> InvocationOutcome {
        let started = ContinuousClock.now
        let result = await FirstResult<InvocationOutcome.Result>().wait { resolve in
            if let failure = assign(invocation, resolve: resolve) {
                resolve(failure)
                return {}
            }
            let timer = Task { await self.enforceTimeout(timeout, started: started, resolve: resolve) }
            return { timer.cancel() }
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

    /// Makes `invocation` this process's assignment and hands it to a runtime already waiting in
    /// `GET …/next`; returns the result at once when the process cannot run it.
    private func assign(
        _ invocation: Invocation, resolve: @escaping @Sendable (InvocationOutcome.Result) -> Void
    ) -> InvocationOutcome.Result? {
        let (failure, waiter) = state.withLock { state -> (InvocationOutcome.Result?, CheckedContinuation<Invocation?, Never>?) in
            if let failure = state.initFailure { return (failure, nil) }
            if let exit = state.exit {
                let message = LambdaLogFormat.exitErrorMessage(invocation.requestID, exit: exit)
                return (.functionError(type: "Runtime.ExitError", message: message, payload: []), nil)
            }
            if state.stopping {
                return (.functionError(type: "Runtime.Unavailable", message: "The function process is stopping", payload: []), nil)
            }
            state.assignment = Assignment(invocation: invocation, resolve: resolve)
            guard let waiter = state.nextWaiter else { return (nil, nil) }
            state.nextWaiter = nil
            state.assignment?.handedOverAt = .now
            log.beginInvocation(requestID: invocation.requestID)
            return (nil, waiter.continuation)
        }
        waiter?.resume(returning: invocation)
        return failure
    }

    /// Resolves the invocation as timed out `timeout` seconds after the runtime took it (or when
    /// the runtime has not asked for it within its init limit).
    private func enforceTimeout(
        _ timeout: Int, started: ContinuousClock.Instant, resolve: @Sendable (InvocationOutcome.Result) -> Void
    ) async {
        let initDeadline = started + max(Self.initTimeout, .seconds(timeout))
        while !Task.isCancelled {
            let handedOverAt = state.withLock { $0.assignment?.handedOverAt }
            let deadline = handedOverAt.map { $0 + .seconds(timeout) } ?? initDeadline
            let now = ContinuousClock.now
            if now >= deadline {
                resolve(.timedOut(seconds: timeout))
                return
            }
            // Until the runtime takes the invocation, look again now and then.
            let wake = handedOverAt == nil ? min(deadline, now + .milliseconds(20)) : deadline
            do {
                try await Task.sleep(until: wake, clock: .continuous)
            } catch {
                return
            }
        }
    }
}
