import Yams

extension ConfigFile {
    /// Parses `testControls:`.
    static func parseTestControls(_ node: Node, path: String) throws(ConfigFileError) -> TestControlSettings {
        var settings = TestControlSettings()
        if isNullNode(node) { return settings }
        guard let fields = node.mapping else {
            throw ConfigFileError(path: path, line: node.mark?.line, key: "testControls", message: "expected a mapping")
        }
        for (keyNode, value) in fields {
            let key = keyNode.string ?? ""
            let keyPath = "testControls.\(key)"
            let line = keyNode.mark?.line
            switch key {
            case "controllableClock", "recordCallBodies", "recordCallsInDatabase":
                guard value.scalar?.style == .plain, let flag = value.bool else {
                    throw ConfigFileError(path: path, line: line, key: keyPath, message: "expected true or false")
                }
                if key == "controllableClock" { settings.controllableClock = flag }
                if key == "recordCallBodies" { settings.recordCallBodies = flag }
                if key == "recordCallsInDatabase" { settings.recordCallsInDatabase = flag }
            case "callRecordSize":
                guard value.scalar?.style == .plain, let size = value.int, (0...TestControlLimits.maxCallRecordSize).contains(size) else {
                    throw ConfigFileError(
                        path: path, line: line, key: keyPath, message: "expected a whole number from 0 to \(TestControlLimits.maxCallRecordSize)")
                }
                settings.callRecordSize = size
            default:
                throw ConfigFileError(
                    path: path, line: line, column: keyNode.mark?.column, key: keyPath,
                    message: "unknown key `\(key)` (expected one of \(TestControlSettings.keys.sorted().joined(separator: ", ")))")
            }
        }
        return settings
    }
}
