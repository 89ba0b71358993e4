/// The headers of a request, as SigV4 reads them.
///
/// The HTTP layer conforms its own header type (sqslite's server conforms NIO's `HTTPHeaders`), so
/// nothing is copied to verify a request.
public protocol SigV4Headers {
    /// Every value of the header `name` (given in lower case; matched case-insensitively), in the
    /// order received.
    func sigV4Values(_ name: String) -> [String]

    /// The first value of the header `name` (lower case), if any.
    func sigV4First(_ name: String) -> String?

    /// Calls `body` with every value of the header `name` (lower case; matched
    /// case-insensitively), in the order received, without collecting them.
    func sigV4ForEachValue(_ name: Substring, _ body: (String) -> Void)
}

extension SigV4Headers {
    public func sigV4First(_ name: String) -> String? {
        sigV4Values(name).first
    }

    public func sigV4ForEachValue(_ name: Substring, _ body: (String) -> Void) {
        for value in sigV4Values(String(name)) { body(value) }
    }

    /// Whether two header names are equal ignoring ASCII case (over contiguous bytes: the
    /// views' own indexing cost more than the comparison).
    public static func sigV4NameMatches(_ name: String, _ other: Substring) -> Bool {
        guard name.utf8.count == other.utf8.count else { return false }
        var name = name
        var other = other
        return name.withUTF8 { left in
            other.withUTF8 { right in
                for index in 0..<left.count where left[index] != right[index] {
                    let lower = left[index] | 0x20
                    guard lower == right[index] | 0x20, lower >= UInt8(ascii: "a"), lower <= UInt8(ascii: "z") else { return false }
                }
                return true
            }
        }
    }
}
