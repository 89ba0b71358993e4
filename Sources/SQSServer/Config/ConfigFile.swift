import FoundationEssentials
import SQSEngine
import Yams

/// The parsed config file (`--config`): queues to create at startup.
///
/// ```yaml
/// queues:
///   - name: orders-dlq
///   - name: orders
///     attributes:
///       VisibilityTimeout: 45
///       RedrivePolicy: {deadLetterTargetArn: "arn:aws:sqs:us-east-1:000000000000:orders-dlq", maxReceiveCount: 5}
///     tags: {team: shop}
/// ```
///
/// Only the structure is checked here; attribute names and values are checked by the queue engine
/// when the queues are created, and reported at the attribute's line. `functions` and
/// `eventSourceMappings` declare Lambda functions and their SQS triggers.
public struct ConfigFile: Sendable {
    /// The file's path, as given.
    public var path: String
    /// The queues, in file order.
    public var queues: [QueueDefinition]
    /// The Lambda functions.
    public var functions: [FunctionDefinition] = []
    /// The event-source mappings.
    public var eventSourceMappings: [MappingDefinition] = []
    /// SES settings (`ses:`).
    public var ses = SESSettings()

    static let topLevelKeys: Set<String> = ["queues", "functions", "eventSourceMappings", "ses"]
    static let queueKeys: Set<String> = ["name", "attributes", "tags", "logs"]
    static let jsonAttributes: Set<String> = ["RedrivePolicy", "RedriveAllowPolicy", "Policy"]

    /// Reads and parses a file.
    public static func load(path: String) throws(ConfigFileError) -> ConfigFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigFileError(path: path, message: "cannot read the config file \(path) (does it exist?)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigFileError(path: path, message: "the config file is not UTF-8 text")
        }
        return try parse(text, path: path)
    }

    /// Parses config text; `path` is used in errors.
    public static func parse(_ text: String, path: String) throws(ConfigFileError) -> ConfigFile {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw yamlError(error, path: path)
        } catch {
            throw ConfigFileError(path: path, message: "invalid YAML: \(error)")
        }
        var config = ConfigFile(path: path, queues: [])
        guard let root, !isNull(root) else { return config }
        guard let top = root.mapping else {
            throw ConfigFileError(path: path, line: root.mark?.line, message: "expected a mapping with the key `queues`")
        }
        for (keyNode, value) in top {
            let key = keyNode.string ?? ""
            guard topLevelKeys.contains(key) else {
                throw ConfigFileError(
                    path: path, line: keyNode.mark?.line, column: keyNode.mark?.column, key: key,
                    message: "unknown key `\(key)` (expected one of \(topLevelKeys.sorted().joined(separator: ", ")))")
            }
            switch key {
            case "queues": config.queues = try parseQueues(value, path: path)
            case "functions": config.functions = try parseFunctions(value, path: path)
            case "ses": config.ses = try parseSES(value, path: path)
            default: config.eventSourceMappings = try parseMappings(value, path: path)
            }
        }
        return config
    }

    private static func parseQueues(_ node: Node, path: String) throws(ConfigFileError) -> [QueueDefinition] {
        if isNull(node) { return [] }
        guard let entries = node.sequence else {
            throw ConfigFileError(path: path, line: node.mark?.line, key: "queues", message: "expected a list of queues")
        }
        var queues: [QueueDefinition] = []
        var seen: [String: Int] = [:]
        for (index, entry) in entries.enumerated() {
            let location = "queues[\(index)]"
            let line = entry.mark?.line ?? 0
            guard let fields = entry.mapping else {
                throw ConfigFileError(path: path, line: line, key: location, message: "expected a mapping with `name`")
            }
            var definition = QueueDefinition(name: "", line: line)
            for (keyNode, value) in fields {
                let key = keyNode.string ?? ""
                let keyLine = keyNode.mark?.line
                switch key {
                case "name":
                    guard let name = scalarText(value), !name.isEmpty else {
                        throw ConfigFileError(path: path, line: keyLine, key: "\(location).name", message: "expected a queue name")
                    }
                    definition.name = name
                case "attributes":
                    try parseAttributes(value, into: &definition, location: location, path: path)
                case "tags":
                    definition.tags = try stringMap(value, location: "\(location).tags", path: path)
                case "logs":
                    guard let flag = value.bool else {
                        throw ConfigFileError(path: path, line: keyLine, key: "\(location).logs", message: "expected true or false")
                    }
                    definition.logs = flag
                default:
                    throw ConfigFileError(
                        path: path, line: keyLine, column: keyNode.mark?.column, key: "\(location).\(key)",
                        message: "unknown key `\(key)` (expected one of name, attributes, tags, logs)")
                }
            }
            guard !definition.name.isEmpty else {
                throw ConfigFileError(path: path, line: line, key: "\(location).name", message: "every queue needs a name")
            }
            if let first = seen[definition.name] {
                throw ConfigFileError(
                    path: path, line: line, key: "\(location).name", message: "queue \(definition.name) is defined twice (first on line \(first))")
            }
            seen[definition.name] = line
            queues.append(definition)
        }
        return queues
    }

    private static func parseAttributes(_ node: Node, into definition: inout QueueDefinition, location: String, path: String) throws(ConfigFileError) {
        if isNull(node) { return }
        guard let fields = node.mapping else {
            throw ConfigFileError(path: path, line: node.mark?.line, key: "\(location).attributes", message: "expected a mapping of attributes")
        }
        for (keyNode, value) in fields {
            let name = keyNode.string ?? ""
            let key = "\(location).attributes.\(name)"
            let line = keyNode.mark?.line ?? 0
            if let text = scalarText(value) {
                definition.attributes[name] = text
            } else if jsonAttributes.contains(name), value.mapping != nil || value.sequence != nil {
                definition.attributes[name] = json(value)
            } else {
                throw ConfigFileError(path: path, line: line, column: keyNode.mark?.column, key: key, message: "expected a number or a string")
            }
            definition.attributeLines[name] = line
        }
    }

    static func stringMap(_ node: Node, location: String, path: String) throws(ConfigFileError) -> [String: String] {
        if isNull(node) { return [:] }
        guard let fields = node.mapping else {
            throw ConfigFileError(path: path, line: node.mark?.line, key: location, message: "expected a mapping")
        }
        var result: [String: String] = [:]
        for (keyNode, value) in fields {
            guard let text = scalarText(value) else {
                throw ConfigFileError(path: path, line: keyNode.mark?.line, key: "\(location).\(keyNode.string ?? "")", message: "expected a string")
            }
            result[keyNode.string ?? ""] = text
        }
        return result
    }

    /// A YAML value as compact JSON: mappings in file order, numbers and booleans as JSON literals.
    static func json(_ node: Node) -> String {
        switch node {
        case .mapping(let mapping):
            return "{" + mapping.map { JSONValue.quoted($0.key.string ?? "") + ":" + json($0.value) }.joined(separator: ",") + "}"
        case .sequence(let sequence):
            return "[" + sequence.map(json).joined(separator: ",") + "]"
        case .scalar(let scalar):
            if scalar.style == .plain {
                if let int = node.int { return String(int) }
                if let double = node.float, double.isFinite { return String(double) }
                if let bool = node.bool { return bool ? "true" : "false" }
                if isNull(node) { return "null" }
            }
            return JSONValue.quoted(scalar.string)
        case .alias:
            return "null"
        }
    }

    static func isNullNode(_ node: Node) -> Bool { isNull(node) }

    /// A scalar's text as SQS takes it: YAML booleans as `true`/`false`, anything else as written;
    /// `nil` for null, a mapping or a sequence.
    private static func scalarText(_ node: Node) -> String? {
        guard let scalar = node.scalar, !isNull(node) else { return nil }
        if scalar.style == .plain, let bool = node.bool { return bool ? "true" : "false" }
        return scalar.string
    }

    private static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    private static func yamlError(_ error: YamlError, path: String) -> ConfigFileError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return ConfigFileError(path: path, line: mark.line, column: mark.column, message: "invalid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigFileError(
                path: path, line: context.mark.line, column: context.mark.column, key: duplicates.joined(separator: ", "),
                message: "this key appears more than once in the same mapping")
        default:
            return ConfigFileError(path: path, message: "invalid YAML: \(error)")
        }
    }
}
