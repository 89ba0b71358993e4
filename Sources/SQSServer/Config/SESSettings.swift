import Yams

/// The config file's `ses:` section.
///
/// ```yaml
/// ses:
///   allowUnverified: true            # send from any address, as --ses-allow-unverified
///   identities: [me@example.com, example.org]   # verified at startup
/// ```
public struct SESSettings: Sendable, Equatable {
    /// Whether senders need no verification.
    public var allowUnverified = false
    /// Email addresses and domains verified at startup (in the default region).
    public var identities: [String] = []

    public init(allowUnverified: Bool = false, identities: [String] = []) {
        self.allowUnverified = allowUnverified
        self.identities = identities
    }
}

extension ConfigFile {
    /// Parses `ses:`.
    static func parseSES(_ node: Node, path: String) throws(ConfigFileError) -> SESSettings {
        var settings = SESSettings()
        if isNullNode(node) { return settings }
        guard let fields = node.mapping else {
            throw ConfigFileError(path: path, line: node.mark?.line, key: "ses", message: "expected a mapping with allowUnverified or identities")
        }
        for (keyNode, value) in fields {
            let key = keyNode.string ?? ""
            let line = keyNode.mark?.line
            switch key {
            case "allowUnverified":
                guard let flag = value.bool else {
                    throw ConfigFileError(path: path, line: line, key: "ses.allowUnverified", message: "expected true or false")
                }
                settings.allowUnverified = flag
            case "identities":
                guard let items = value.sequence else {
                    throw ConfigFileError(path: path, line: line, key: "ses.identities", message: "expected a list of addresses or domains")
                }
                settings.identities = items.compactMap(\.string)
            default:
                throw ConfigFileError(
                    path: path, line: line, column: keyNode.mark?.column, key: "ses.\(key)",
                    message: "unknown key `\(key)` (expected one of allowUnverified, identities)")
            }
        }
        return settings
    }
}
