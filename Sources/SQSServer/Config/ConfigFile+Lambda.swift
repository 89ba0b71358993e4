import FoundationEssentials
import Yams

extension ConfigFile {
    /// Parses `functions:`.
    static func parseFunctions(_ node: Node, path: String) throws(ConfigFileError) -> [FunctionDefinition] {
        if isNullNode(node) { return [] }
        guard let entries = node.sequence else {
            throw ConfigFileError(path: path, line: node.mark?.line, key: "functions", message: "expected a list of functions")
        }
        var result: [FunctionDefinition] = []
        for (index, entry) in entries.enumerated() {
            let location = "functions[\(index)]"
            let line = entry.mark?.line ?? 0
            guard let fields = entry.mapping else {
                throw ConfigFileError(path: path, line: line, key: location, message: "expected a mapping with `name`")
            }
            var definition = FunctionDefinition(name: "", line: line)
            for (keyNode, value) in fields {
                let key = keyNode.string ?? ""
                let at = keyNode.mark?.line
                let keyPath = "\(location).\(key)"
                switch key {
                case "name": definition.name = try scalarString(value, keyPath, at, path)
                case "command":
                    if let scalar = value.scalar {
                        definition.command = scalar.string.split(separator: " ").map(String.init)
                    } else if let items = value.sequence {
                        var command: [String] = []
                        for item in items { command.append(try scalarString(item, keyPath, at, path)) }
                        definition.command = command
                    } else {
                        throw ConfigFileError(path: path, line: at, key: keyPath, message: "expected a list of strings")
                    }
                case "url": definition.url = try scalarString(value, keyPath, at, path)
                case "runtime": definition.runtime = try scalarString(value, keyPath, at, path)
                case "workingDirectory": definition.workingDirectory = resolve(try scalarString(value, keyPath, at, path), against: path)
                case "environment": definition.environment = try stringMap(value, location: keyPath, path: path)
                case "timeout": definition.timeout = try integer(value, keyPath, at, path, range: 1...900)
                case "memorySize": definition.memorySize = try integer(value, keyPath, at, path, range: 128...10_240)
                case "handler": definition.handler = try scalarString(value, keyPath, at, path)
                case "role": definition.role = try scalarString(value, keyPath, at, path)
                default:
                    throw ConfigFileError(
                        path: path, line: at, column: keyNode.mark?.column, key: keyPath,
                        message: "unknown key `\(key)` (expected one of name, command, runtime, url, workingDirectory, environment, timeout, memorySize, handler, role)")
                }
            }
            guard !definition.name.isEmpty else {
                throw ConfigFileError(path: path, line: line, key: "\(location).name", message: "every function needs a name")
            }
            guard [definition.command != nil, definition.url != nil, definition.runtime != nil].filter({ $0 }).count == 1 else {
                throw ConfigFileError(
                    path: path, line: line, key: location, message: "a function needs exactly one of `command`, `runtime` (with `handler`) or `url`")
            }
            if definition.command?.isEmpty == true {
                throw ConfigFileError(path: path, line: line, key: "\(location).command", message: "the command is empty")
            }
            if result.contains(where: { $0.name == definition.name }) {
                throw ConfigFileError(path: path, line: line, key: "\(location).name", message: "function \(definition.name) is defined twice")
            }
            result.append(definition)
        }
        return result
    }

    /// Parses `eventSourceMappings:`.
    static func parseMappings(_ node: Node, path: String) throws(ConfigFileError) -> [MappingDefinition] {
        if isNullNode(node) { return [] }
        guard let entries = node.sequence else {
            throw ConfigFileError(path: path, line: node.mark?.line, key: "eventSourceMappings", message: "expected a list of mappings")
        }
        var result: [MappingDefinition] = []
        for (index, entry) in entries.enumerated() {
            let location = "eventSourceMappings[\(index)]"
            let line = entry.mark?.line ?? 0
            guard let fields = entry.mapping else {
                throw ConfigFileError(path: path, line: line, key: location, message: "expected a mapping with `queue` and `function`")
            }
            var definition = MappingDefinition(queue: "", function: "", line: line)
            for (keyNode, value) in fields {
                let key = keyNode.string ?? ""
                let at = keyNode.mark?.line
                let keyPath = "\(location).\(key)"
                switch key {
                case "queue": definition.queue = try scalarString(value, keyPath, at, path)
                case "function": definition.function = try scalarString(value, keyPath, at, path)
                case "batchSize": definition.batchSize = try integer(value, keyPath, at, path, range: 1...10_000)
                case "maximumBatchingWindowInSeconds":
                    definition.maximumBatchingWindowInSeconds = try integer(value, keyPath, at, path, range: 0...300)
                case "functionResponseTypes":
                    guard let items = value.sequence else {
                        throw ConfigFileError(path: path, line: at, key: keyPath, message: "expected a list, e.g. [ReportBatchItemFailures]")
                    }
                    var types: [String] = []
                    for item in items { types.append(try scalarString(item, keyPath, at, path)) }
                    definition.functionResponseTypes = types
                case "maximumConcurrency": definition.maximumConcurrency = try integer(value, keyPath, at, path, range: 2...1000)
                case "enabled":
                    guard let flag = value.bool else {
                        throw ConfigFileError(path: path, line: at, key: keyPath, message: "expected true or false")
                    }
                    definition.enabled = flag
                default:
                    throw ConfigFileError(
                        path: path, line: at, column: keyNode.mark?.column, key: keyPath,
                        message:
                            "unknown key `\(key)` (expected one of queue, function, batchSize, maximumBatchingWindowInSeconds, functionResponseTypes, maximumConcurrency, enabled)")
                }
            }
            guard !definition.queue.isEmpty, !definition.function.isEmpty else {
                throw ConfigFileError(path: path, line: line, key: location, message: "a mapping needs `queue` and `function`")
            }
            result.append(definition)
        }
        return result
    }

    private static func scalarString(_ node: Node, _ key: String, _ line: Int?, _ path: String) throws(ConfigFileError) -> String {
        guard let scalar = node.scalar else {
            throw ConfigFileError(path: path, line: line, key: key, message: "expected a string")
        }
        return scalar.string
    }

    private static func integer(_ node: Node, _ key: String, _ line: Int?, _ path: String, range: ClosedRange<Int>) throws(ConfigFileError) -> Int {
        guard let value = node.int, range.contains(value) else {
            throw ConfigFileError(path: path, line: line, key: key, message: "expected a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// A path relative to the config file's folder made absolute.
    static func resolve(_ relative: String, against configPath: String) -> String {
        if relative.hasPrefix("/") { return relative }
        var folder = configPath.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        if folder.isEmpty { folder = "." }
        if !folder.hasPrefix("/") {
            folder = FileManager.default.currentDirectoryPath + "/" + folder
        }
        return folder + "/" + relative
    }
}
