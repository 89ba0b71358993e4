/// A config file error: names the file, the line (and column when known) and the key.
public struct ConfigFileError: Error, Sendable, CustomStringConvertible {
    /// The config file.
    public var path: String
    /// The 1-based line, when known.
    public var line: Int?
    /// The 1-based column, when known.
    public var column: Int?
    /// The key path, e.g. `queues[1].attributes.VisibilityTimeout`.
    public var key: String?
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(path: String, line: Int? = nil, column: Int? = nil, key: String? = nil, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.key = key
        self.message = message
    }

    /// `file:line:column: key: message`.
    public var description: String {
        var location = path
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        return [location, key, message].compactMap { $0 }.joined(separator: ": ")
    }
}
