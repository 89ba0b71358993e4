extension FilterPolicy {
    /// Whether a message with these attributes passes a `MessageAttributes` policy.
    public func matches(attributes: [String: FilterAttribute]) -> Bool {
        matches(root) { key in attributes[key].map { (exists: true, values: $0.values) } ?? (exists: false, values: []) }
    }

    /// Whether a message with this body passes a `MessageBody` policy. A body that is not a JSON
    /// object never matches.
    public func matches(body: String) -> Bool {
        guard let payload = PolicyJSON.parse(body), case .object = payload else { return false }
        return matches(root, in: [payload])
    }

    /// Evaluates a message against the policy's scope: its attributes or its body.
    public func matches(attributes: [String: FilterAttribute], body: String) -> Bool {
        scope == .messageBody ? matches(body: body) : matches(attributes: attributes)
    }

    private func matches(_ clause: Clause, lookup: (String) -> (exists: Bool, values: [FilterValue])) -> Bool {
        for field in clause.fields {
            let found = lookup(field.key)
            guard Self.matches(field.conditions ?? [], exists: found.exists, values: found.values) else { return false }
        }
        return clause.alternatives.allSatisfy { branches in branches.contains { matches($0, lookup: lookup) } }
    }

    /// A body clause, evaluated against the objects found at its level (several when an array
    /// of objects was crossed).
    private func matches(_ clause: Clause, in objects: [PolicyJSON]) -> Bool {
        for field in clause.fields {
            var children: [PolicyJSON] = []
            for object in objects {
                if let child = object[field.key] { Self.flatten(child, into: &children) }
            }
            if let nested = field.nested {
                guard matches(nested, in: children.filter { if case .object = $0 { return true } else { return false } }) else { return false }
            } else {
                let values = children.compactMap(FilterValue.init(scalar:))
                guard Self.matches(field.conditions ?? [], exists: !values.isEmpty, values: values) else { return false }
            }
        }
        return clause.alternatives.allSatisfy { branches in branches.contains { matches($0, in: objects) } }
    }

    /// Arrays are crossed: their elements stand for the key's value.
    private static func flatten(_ value: PolicyJSON, into result: inout [PolicyJSON]) {
        if case .array(let elements) = value {
            for element in elements { flatten(element, into: &result) }
        } else {
            result.append(value)
        }
    }

    /// A key matches when any of its conditions does: `exists` against presence, the others
    /// against any of the values found.
    private static func matches(_ conditions: [FilterCondition], exists: Bool, values: [FilterValue]) -> Bool {
        conditions.contains { condition in
            if case .exists(let wanted) = condition { return wanted == exists }
            return values.contains { condition.matches($0) }
        }
    }
}
