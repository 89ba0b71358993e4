/// Why a filter policy was refused, worded as SNS words it after its `Invalid parameter: ` prefix
/// (Subscribe adds `Attributes Reason: ` in between).
///
/// ```swift
/// do { _ = try FilterPolicy(json: text, scope: .messageAttributes) }
/// catch { print("Invalid parameter: " + error.reason) }  // "…FilterPolicy: Filter policy is too complex"
/// ```
public struct FilterPolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The reason, e.g. `FilterPolicy: Empty arrays are not allowed`.
    public var reason: String

    init(_ reason: String) {
        self.reason = reason
    }

    /// A reason about the policy's content: `FilterPolicy: <detail>`.
    static func policy(_ detail: String) -> FilterPolicyError {
        FilterPolicyError("FilterPolicy: " + detail)
    }

    public var description: String { reason }
}
