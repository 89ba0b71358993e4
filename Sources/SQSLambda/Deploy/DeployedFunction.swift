import Synchronization

/// A function created through the Lambda API: the ``LambdaFunction`` registered under its name,
/// whose code and configuration can change while it runs.
///
/// Each change (UpdateFunctionCode, UpdateFunctionConfiguration, PutFunctionConcurrency) makes a
/// new generation, a ``ProcessFunction`` over the new code folder and settings. New invocations go
/// to the newest generation at once; an older one finishes the invocations it runs, then its
/// processes are stopped and `retired` is called with it (to remove its code folder), as Lambda
/// lets running invocations of the previous version finish.
///
/// ## Sendable
/// The generations are behind a `Mutex`.
final class DeployedFunction: LambdaFunction {
    private struct Generation {
        var function: ProcessFunction
        var codeFolder: String
        var running = 0
    }

    private struct State {
        var current: Generation
        var old: [Generation] = []
        var stopped = false
    }

    private let state: Mutex<State>
    private let retired: @Sendable (_ codeFolder: String) -> Void

    /// - Parameters:
    ///   - function: The first generation.
    ///   - codeFolder: Its code folder.
    ///   - retired: Called with an old generation's code folder once its processes are stopped.
    init(_ function: ProcessFunction, codeFolder: String, retired: @escaping @Sendable (_ codeFolder: String) -> Void) {
        self.state = Mutex(State(current: Generation(function: function, codeFolder: codeFolder)))
        self.retired = retired
    }

    var configuration: FunctionConfiguration {
        state.withLock { $0.current.function.configuration }
    }

    /// Its processes write the log group themselves, as every ``ProcessFunction`` does.
    var writesOwnLog: Bool { true }

    /// The newest generation's code folder.
    var codeFolder: String {
        state.withLock { $0.current.codeFolder }
    }

    func invoke(_ invocation: Invocation) async -> InvocationOutcome {
        let function = state.withLock { state -> ProcessFunction in
            state.current.running += 1
            return state.current.function
        }
        let outcome = await function.invoke(invocation)
        let finished = state.withLock { state -> Generation? in
            if state.current.function === function {
                state.current.running -= 1
                return nil
            }
            guard let index = state.old.firstIndex(where: { $0.function === function }) else { return nil }
            state.old[index].running -= 1
            return state.old[index].running == 0 ? state.old.remove(at: index) : nil
        }
        if let finished { await retire(finished) }
        return outcome
    }

    /// Makes `function` the newest generation; the previous one retires once idle.
    func replace(with function: ProcessFunction, codeFolder: String) async {
        let idle = state.withLock { state -> Generation? in
            let previous = state.current
            state.current = Generation(function: function, codeFolder: codeFolder)
            if previous.running == 0 { return previous }
            state.old.append(previous)
            return nil
        }
        if let idle { await retire(idle) }
    }

    func shutdown() async {
        let generations = state.withLock { state -> [Generation] in
            state.stopped = true
            defer { state.old = [] }
            return [state.current] + state.old
        }
        for generation in generations {
            await generation.function.shutdown()
        }
    }

    private func retire(_ generation: Generation) async {
        await generation.function.shutdown()
        if generation.codeFolder != codeFolder {
            retired(generation.codeFolder)
        }
    }
}
