/// IAM's wildcards: `*` matches any run of characters (also none), `?` exactly one; the rest is
/// literal. Also the test controls' fault-rule patterns (shell-glob style, the same two wildcards).
public enum WildcardPattern {
    /// Whether `value` matches `pattern`; ASCII letters compare without case when `ignoringCase`.
    public static func matches(_ pattern: Substring, _ value: Substring, ignoringCase: Bool = false) -> Bool {
        // Native strings hand out their bytes without a copy.
        let direct = pattern.utf8.withContiguousStorageIfAvailable { p in
            value.utf8.withContiguousStorageIfAvailable { v in matches(p, v, ignoringCase) }
        }
        if let result = direct ?? nil { return result }
        return Array(pattern.utf8).withUnsafeBufferPointer { p in
            Array(value.utf8).withUnsafeBufferPointer { v in matches(p, v, ignoringCase) }
        }
    }

    private static func matches(_ p: UnsafeBufferPointer<UInt8>, _ v: UnsafeBufferPointer<UInt8>, _ ignoringCase: Bool) -> Bool {
        if !p.contains(UInt8(ascii: "*")) && !p.contains(UInt8(ascii: "?")) {
            return p.count == v.count && zip(p, v).allSatisfy { ignoringCase ? lower($0) == lower($1) : $0 == $1 }
        }
        var pi = 0
        var vi = 0
        var star = -1
        var mark = 0
        while vi < v.count {
            if pi < p.count, p[pi] == UInt8(ascii: "?") || same(p[pi], v[vi], ignoringCase) {
                if p[pi] == UInt8(ascii: "?") {
                    // One character: a whole UTF-8 sequence.
                    vi += sequenceLength(v[vi])
                } else {
                    vi += 1
                }
                pi += 1
            } else if pi < p.count, p[pi] == UInt8(ascii: "*") {
                star = pi
                mark = vi
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                vi = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count && vi == v.count
    }

    /// Whether an ARN matches an ARN pattern component by component (the six colon-separated parts;
    /// a wildcard does not cross a colon except in the last part), as `ArnLike` compares.
    static func matchesARN(_ pattern: String, _ value: String) -> Bool {
        if pattern == "*" { return true }
        let patternParts = pattern.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        let valueParts = value.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard patternParts.count == valueParts.count else { return false }
        return zip(patternParts, valueParts).allSatisfy { matches($0, $1) }
    }

    @inline(__always)
    private static func lower(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }

    @inline(__always)
    private static func same(_ a: UInt8, _ b: UInt8, _ ignoringCase: Bool) -> Bool {
        a != UInt8(ascii: "*") && (ignoringCase ? lower(a) == lower(b) : a == b)
    }

    private static func sequenceLength(_ lead: UInt8) -> Int {
        switch lead {
        case 0xF0...: 4
        case 0xE0...: 3
        case 0xC0...: 2
        default: 1
        }
    }
}
