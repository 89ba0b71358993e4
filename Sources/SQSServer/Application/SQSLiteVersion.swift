/// sqslite's version, printed by `sqslite --version` and the startup banner.
public enum SQSLiteVersion {
    /// The version of this build.
    public static let current = "0.6.0"
}
