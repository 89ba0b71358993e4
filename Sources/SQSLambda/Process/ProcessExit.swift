import Subprocess

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a function process ended, described as Lambda does in `Runtime.ExitError` messages
/// (`exit status 1`, `signal: killed`).
enum ProcessExit: Sendable, Equatable, CustomStringConvertible {
    /// The process called `exit` with this status.
    case status(Int32)
    /// The process was killed by this signal.
    case signal(Int32)

    var description: String {
        switch self {
        case .status(let status):
            return "exit status \(status)"
        case .signal(let signal):
            return "signal: \(Self.signalName(signal))"
        }
    }

    /// Go's names for signals (Lambda's runtime manager is written in Go).
    private static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGKILL: return "killed"
        case SIGTERM: return "terminated"
        case SIGSEGV: return "segmentation fault"
        case SIGABRT: return "aborted"
        case SIGINT: return "interrupt"
        case SIGBUS: return "bus error"
        case SIGFPE: return "floating point exception"
        case SIGILL: return "illegal instruction"
        case SIGPIPE: return "broken pipe"
        case SIGHUP: return "hangup"
        default: return "signal \(signal)"
        }
    }
}

extension ProcessExit {
    /// How swift-subprocess reports the end of a process.
    init(_ status: TerminationStatus) {
        switch status {
        case .exited(let code):
            self = .status(code)
        case .signaled(let signal):
            self = .signal(signal)
        }
    }
}
