import SQSEngine

/// Typed access to the members of a Logs request body, with AWS's validation errors.
struct LogsRequest: Sendable {
    let members: [String: JSONValue]

    init(_ members: [String: JSONValue]) {
        self.members = members
    }

    func string(_ name: String) -> String? {
        members[name]?.stringValue
    }

    func required(_ name: String) throws(LogsError) -> String {
        guard let value = string(name) else { throw LogsError.missing(name) }
        return value
    }

    func int(_ name: String) throws(LogsError) -> Int64? {
        guard let value = members[name], value != .null else { return nil }
        guard case .number(let number) = value else { throw Self.notAnInteger(name) }
        return try Self.integer(number, name: name)
    }

    /// A JSON number that must be a whole number of safe size (below 9e15, as JSON numbers are
    /// doubles): anything else is InvalidParameterException, never a trap converting it.
    static func integer(_ number: Double, name: String) throws(LogsError) -> Int64 {
        guard number == number.rounded(), abs(number) < 9e15 else { throw notAnInteger(name) }
        return Int64(number)
    }

    private static func notAnInteger(_ name: String) -> LogsError {
        LogsError.invalid("Value for '\(name)' must be an integer.")
    }

    func bool(_ name: String) -> Bool? {
        if case .bool(let value)? = members[name] { return value }
        return nil
    }

    /// `limit`, between 1 and `maximum` (default `maximum`).
    func limit(maximum: Int) throws(LogsError) -> Int {
        guard let limit = try int("limit") else { return maximum }
        guard limit >= 1, limit <= maximum else {
            throw LogsError.invalid(
                "1 validation error detected: Value '\(limit)' at 'limit' failed to satisfy constraint: Member must have value less than or equal to \(maximum)")
        }
        return Int(limit)
    }

    func strings(_ name: String) -> [String]? {
        guard case .array(let values)? = members[name] else { return nil }
        return values.compactMap(\.stringValue)
    }

    func tags(_ name: String) -> [String: String]? {
        guard case .object(let object)? = members[name] else { return nil }
        return object.compactMapValues(\.stringValue)
    }

    /// An offset-style `nextToken` of the Describe operations.
    func offset() throws(LogsError) -> Int {
        guard let token = string("nextToken") else { return 0 }
        guard let offset = Int(token), offset >= 0 else { throw LogsError.badToken }
        return offset
    }
}
