/// An IPv4 or IPv6 network (`cidr` match expressions).
struct IPNetwork: Sendable, Equatable {
    /// The address bytes (4 or 16).
    var address: [UInt8]
    /// The prefix length in bits.
    var bits: Int

    /// Parses `address/bits`.
    static func parse(_ text: String) throws(FilterPolicyError) -> IPNetwork {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw .policy("Malformed CIDR, one '/' required") }
        guard let bits = Int(parts[1]) else { throw .policy("Malformed CIDR, mask bits must be an integer") }
        guard let address = address(String(parts[0])), bits >= 0, bits <= address.count * 8 else {
            throw .policy("Nonstandard IP address: \(parts[0])")
        }
        return IPNetwork(address: address, bits: bits)
    }

    /// Whether `candidate` (of the same family) is in the network.
    func contains(_ candidate: [UInt8]) -> Bool {
        guard candidate.count == address.count else { return false }
        var remaining = bits
        for index in 0..<address.count where remaining > 0 {
            let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> UInt8(remaining))
            if candidate[index] & mask != address[index] & mask { return false }
            remaining -= 8
        }
        return true
    }

    /// The bytes of an IPv4 (dotted quad) or IPv6 address; `nil` when it is neither.
    static func address(_ text: String) -> [UInt8]? {
        if text.contains(":") { return ipv6(text) }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let value = UInt8(part) else { return nil }
            if part.count > 1 && part.first == "0" { return nil }
            bytes.append(value)
        }
        return bytes
    }

    private static func ipv6(_ text: String) -> [UInt8]? {
        var text = Substring(text)
        var tail: [UInt8] = []
        // An embedded IPv4 address in the last 32 bits (::ffff:1.2.3.4).
        if let lastColon = text.lastIndex(of: ":"), text[text.index(after: lastColon)...].contains(".") {
            guard let v4 = address(String(text[text.index(after: lastColon)...])) else { return nil }
            tail = v4
            text = text[...lastColon]
            if text.hasSuffix("::") == false { text = text.dropLast() }
        }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt8]? {
            if part.isEmpty { return [] }
            var bytes: [UInt8] = []
            for group in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard (1...4).contains(group.count), let value = UInt16(group, radix: 16) else { return nil }
                bytes += [UInt8(value >> 8), UInt8(value & 0xFF)]
            }
            return bytes
        }
        guard let head = groups(halves[0]) else { return nil }
        let total = 16 - tail.count
        if halves.count == 1 {
            guard head.count == total else { return nil }
            return head + tail
        }
        guard let rest = groups(halves[1]), head.count + rest.count < total else { return nil }
        return head + [UInt8](repeating: 0, count: total - head.count - rest.count) + rest + tail
    }
}

extension Substring {
    fileprivate func components(separatedBy separator: String) -> [String] {
        var result: [String] = []
        var rest = self
        while let range = rest.firstRange(of: separator) {
            result.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        result.append(String(rest))
        return result
    }
}
