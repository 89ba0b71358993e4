/// Policy variables (`${aws:username}`, `${aws:PrincipalAccount}`, …) in `Resource` and condition
/// values, replaced by the request's context values; `${*}`, `${?}` and `${$}` stand for the
/// literal characters. Only policies of version `2012-10-17` have variables.
enum PolicyVariables {
    /// `text` with its variables replaced; `nil` when a variable has no value in the request (the
    /// element then matches nothing, as IAM has it).
    static func substitute(_ text: String, _ context: [String: [String]]) -> String? {
        guard text.contains("${") else { return text }
        var output = ""
        var rest = Substring(text)
        while let start = rest.firstRange(of: "${") {
            output += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                output += rest[start.lowerBound...]
                return output
            }
            let name = rest[start.upperBound..<end]
            switch name {
            case "*", "?", "$": output += name
            default:
                // `${key, 'default'}` gives a default value.
                let parts = name.split(separator: ",", maxSplits: 1)
                let key = parts[0].trimmingCharacters(in: " ").lowercased()
                if let value = context[key]?.first {
                    output += value
                } else if parts.count == 2 {
                    output += parts[1].trimmingCharacters(in: " ").trimmingCharacters(in: "'")
                } else {
                    return nil
                }
            }
            rest = rest[rest.index(after: end)...]
        }
        return output + rest
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in character: Character) -> Substring {
        var text = self
        while text.first == character { text = text.dropFirst() }
        while text.last == character { text = text.dropLast() }
        return text
    }
}
