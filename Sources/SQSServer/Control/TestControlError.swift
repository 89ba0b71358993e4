/// Why a test-control call was refused.
public enum TestControlError: Error, Equatable, CustomStringConvertible {
    /// The clock was asked to move but the server does not run with a controllable clock.
    case clockNotControllable
    /// The request was invalid; the message says why.
    case invalid(String)

    public var description: String {
        switch self {
        case .clockNotControllable:
            return "The clock is not controllable: start sqslite with --controllable-clock (SQSLITE_CONTROLLABLE_CLOCK=1, "
                + "or testControls: {controllableClock: true} in the config file)."
        case .invalid(let message):
            return message
        }
    }
}
