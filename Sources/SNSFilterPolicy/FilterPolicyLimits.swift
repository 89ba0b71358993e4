/// SNS's limits on a filter policy (Amazon SNS developer guide, "Filter policy constraints").
public enum FilterPolicyLimits {
    /// Keys at the top level of a policy.
    public static let maximumKeys = 5
    /// The product of the value counts (weighted by nesting depth), summed over `$or` branches.
    public static let maximumCombinations = 150
    /// A policy's size in bytes.
    public static let maximumSize = 256 * 1024
}
