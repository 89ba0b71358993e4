import SQSAuth
import Yams

extension ConfigFile {
    /// Parses `auth:` (see ``AuthDefinition``). Each policy is checked as IAM checks a policy
    /// document, and reported at its line.
    static func parseAuth(_ node: Node, path: String) throws(ConfigFileError) -> AuthDefinition {
        var definition = AuthDefinition(line: node.mark?.line ?? 0)
        if isNullNode(node) { return definition }
        guard let fields = node.mapping else {
            throw ConfigFileError(path: path, line: node.mark?.line, key: "auth", message: "expected a mapping with `enabled` and `principals`")
        }
        for (keyNode, value) in fields {
            let key = keyNode.string ?? ""
            switch key {
            case "enabled":
                guard let flag = value.bool else {
                    throw ConfigFileError(path: path, line: keyNode.mark?.line, key: "auth.enabled", message: "expected true or false")
                }
                definition.enabled = flag
            case "principals":
                definition.principals = try parsePrincipals(value, path: path)
            default:
                throw ConfigFileError(
                    path: path, line: keyNode.mark?.line, column: keyNode.mark?.column, key: "auth.\(key)",
                    message: "unknown key `\(key)` (expected one of enabled, principals)")
            }
        }
        return definition
    }

    private static let principalKeys = "name, type, account, accessKeyId, secretAccessKey, policies"

    private static func parsePrincipals(_ node: Node, path: String) throws(ConfigFileError) -> [PrincipalDefinition] {
        if isNullNode(node) { return [] }
        guard let entries = node.sequence else {
            throw ConfigFileError(path: path, line: node.mark?.line, key: "auth.principals", message: "expected a list of principals")
        }
        var result: [PrincipalDefinition] = []
        for (index, entry) in entries.enumerated() {
            let location = "auth.principals[\(index)]"
            let line = entry.mark?.line ?? 0
            guard let fields = entry.mapping else {
                throw ConfigFileError(path: path, line: line, key: location, message: "expected a mapping with `name` and `type`")
            }
            var principal = PrincipalDefinition(name: "", type: .user, account: "")
            var typed = false
            for (keyNode, value) in fields {
                let key = keyNode.string ?? ""
                let at = keyNode.mark?.line
                let keyPath = "\(location).\(key)"
                func text() throws(ConfigFileError) -> String {
                    guard let scalar = value.scalar, !isNullNode(value), !scalar.string.isEmpty else {
                        throw ConfigFileError(path: path, line: at, key: keyPath, message: "expected a string")
                    }
                    return scalar.string
                }
                switch key {
                case "name": principal.name = try text()
                case "type":
                    let type = try text()
                    guard let parsed = PrincipalDefinition.PrincipalType(rawValue: type) else {
                        throw ConfigFileError(path: path, line: at, key: keyPath, message: "expected user or role, not \(type)")
                    }
                    principal.type = parsed
                    typed = true
                case "account":
                    let account = try text()
                    guard account.count == 12, account.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                        throw ConfigFileError(path: path, line: at, key: keyPath, message: "expected a 12-digit account id (quote it: \"000000000000\")")
                    }
                    principal.account = account
                case "accessKeyId": principal.accessKeyID = try text()
                case "secretAccessKey": principal.secretAccessKey = try text()
                case "policies": principal.policies = try parsePolicies(value, location: keyPath, path: path)
                default:
                    throw ConfigFileError(
                        path: path, line: at, column: keyNode.mark?.column, key: keyPath, message: "unknown key `\(key)` (expected one of \(principalKeys))")
                }
            }
            guard !principal.name.isEmpty else {
                throw ConfigFileError(path: path, line: line, key: "\(location).name", message: "every principal needs a name")
            }
            guard typed else {
                throw ConfigFileError(path: path, line: line, key: "\(location).type", message: "every principal needs a type: user or role")
            }
            if (principal.accessKeyID == nil) != (principal.secretAccessKey == nil) {
                throw ConfigFileError(path: path, line: line, key: location, message: "accessKeyId and secretAccessKey go together")
            }
            if let key = principal.accessKeyID, let first = result.firstIndex(where: { $0.accessKeyID == key }) {
                throw ConfigFileError(
                    path: path, line: line, key: "\(location).accessKeyId", message: "access key \(key) is already auth.principals[\(first)]'s")
            }
            result.append(principal)
        }
        return result
    }

    /// Policies as YAML mappings or JSON strings, each parsed as an identity policy.
    private static func parsePolicies(_ node: Node, location: String, path: String) throws(ConfigFileError) -> [PolicyDocument] {
        if isNullNode(node) { return [] }
        guard let items = node.sequence else {
            throw ConfigFileError(path: path, line: node.mark?.line, key: location, message: "expected a list of policy documents")
        }
        var policies: [PolicyDocument] = []
        for (index, item) in items.enumerated() {
            let text: String
            if let scalar = item.scalar {
                text = scalar.string
            } else if item.mapping != nil {
                text = json(item)
            } else {
                throw ConfigFileError(path: path, line: item.mark?.line, key: "\(location)[\(index)]", message: "expected a policy document (YAML or a JSON string)")
            }
            do {
                policies.append(try PolicyDocument(json: text, kind: .identity))
            } catch {
                throw ConfigFileError(path: path, line: item.mark?.line, key: "\(location)[\(index)]", message: "invalid policy: \(error.message)")
            }
        }
        return policies
    }
}
