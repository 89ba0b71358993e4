import SQSEngine

/// How an invocation ended, with what the function printed.
public struct InvocationOutcome: Sendable {
    /// The end of an invocation.
    public enum Result: Sendable, Equatable {
        /// The function returned this payload (JSON; may be empty).
        case success([UInt8])
        /// The function reported or raised an error (`errorType`, `errorMessage`, and the error
        /// document as the Runtime API received it).
        case functionError(type: String, message: String, payload: [UInt8])
        /// The function did not answer before its timeout.
        case timedOut(seconds: Int)
    }

    /// How it ended.
    public var result: Result
    /// The lines the function printed during the invocation (its "CloudWatch logs").
    public var logLines: [String]

    /// Creates an outcome.
    public init(result: Result, logLines: [String] = []) {
        self.result = result
        self.logLines = logLines
    }

    /// Whether the invocation failed (function error or timeout).
    public var isFailure: Bool {
        if case .success = result { return false }
        return true
    }

    /// The payload an Invoke caller gets: the function's response, or the error document.
    public var responsePayload: [UInt8] {
        switch result {
        case .success(let payload):
            return payload
        case .functionError(let type, let message, let payload):
            if !payload.isEmpty { return payload }
            return Array(#"{"errorMessage":\#(jsonQuoted(message)),"errorType":\#(jsonQuoted(type))}"#.utf8)
        case .timedOut(let seconds):
            return Array(#"{"errorMessage":"Task timed out after \#(seconds).00 seconds","errorType":"Sandbox.Timedout"}"#.utf8)
        }
    }
}

/// A string as a JSON string literal.
func jsonQuoted(_ text: String) -> String {
    JSONValue.quoted(text)
}
