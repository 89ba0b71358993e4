import SQSEngine

/// The parameters of a Query-protocol request (`Action=SendMessage&QueueUrl=…`), with AWS's
/// flattening read back into lists, maps and structures.
///
/// AWS flattens a list as `Name.1`, `Name.2`…, a map as `Name.N.Name` / `Name.N.Value` (or
/// `.Key` / `.Value` for tags), and a list of structures as `Name.N.Member`, nesting the same
/// way (`SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.StringValue`). Indexes start at 1
/// and need not be contiguous; elements come back in index order.
public struct QueryParameters: Sendable, Equatable {
    /// The parameters by their full (decoded) name.
    public private(set) var values: [String: String]

    /// Creates parameters from decoded name/value pairs.
    public init(_ values: [String: String]) {
        self.values = values
    }

    /// A scalar parameter; `nil` when absent.
    public subscript(_ name: String) -> String? {
        get { values[name] }
        set { values[name] = newValue }
    }

    /// An integer parameter; `nil` when absent.
    /// - Throws: `InvalidParameterValue` when the value is not an integer.
    public func integer(_ name: String) throws(EngineError) -> Int? {
        guard let text = values[name] else { return nil }
        guard let value = Int(text.trimmingSpaces) else {
            throw EngineError.invalidParameter(name, value: text, reason: "Must be an integer")
        }
        return value
    }

    /// A flattened list of strings (`prefix.1`, `prefix.2`…); `nil` when no element is present.
    public func list(_ prefix: String) -> [String]? {
        let dot = prefix + "."
        var elements: [(Int, String)] = []
        for (name, value) in values where name.hasPrefix(dot) {
            if let index = Int(name.dropFirst(dot.count)) {
                elements.append((index, value))
            }
        }
        guard !elements.isEmpty else { return nil }
        return elements.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// A flattened list of structures: one ``QueryParameters`` per index, holding the members
    /// under `prefix.N.` with that prefix removed; `nil` when no element is present.
    public func structures(_ prefix: String) -> [QueryParameters]? {
        let dot = prefix + "."
        var groups: [Int: [String: String]] = [:]
        for (name, value) in values where name.hasPrefix(dot) {
            let rest = name.dropFirst(dot.count)
            guard let separator = rest.firstIndex(of: "."), let index = Int(rest[..<separator]) else { continue }
            groups[index, default: [:]][String(rest[rest.index(after: separator)...])] = value
        }
        guard !groups.isEmpty else { return nil }
        return groups.keys.sorted().map { QueryParameters(groups[$0]!) }
    }

    /// A flattened map (`prefix.N.Name` → `prefix.N.Value`, or with other member names); entries
    /// without a name are skipped. `nil` when no entry is present.
    public func map(_ prefix: String, key: String = "Name", value: String = "Value") -> [String: String]? {
        guard let entries = structures(prefix) else { return nil }
        var result: [String: String] = [:]
        for entry in entries {
            guard let name = entry[key] else { continue }
            result[name] = entry[value] ?? ""
        }
        return result
    }
}

extension String {
    fileprivate var trimmingSpaces: Substring {
        var text = Substring(self)
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return text
    }
}
