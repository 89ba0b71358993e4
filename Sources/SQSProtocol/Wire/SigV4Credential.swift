/// The access key and region named by a request's SigV4 credential scope.
///
/// Without `--auth`, sqslite accepts any credentials; it reads the scope only to learn the region
/// (queues are per account and region) and the account: an access key that is a 12-digit number
/// selects that account, as a convenience for tests that need several accounts. With `--auth`, the
/// signature is verified first (`SQSAuth`) and the account is the signing principal's.
public struct SigV4Credential: Sendable, Equatable {
    /// The access key id, e.g. `AKIAIOSFODNN7EXAMPLE` or `123456789012`.
    public var accessKey: String
    /// The region of the scope, e.g. `eu-west-1`.
    public var region: String

    /// Creates a credential.
    public init(accessKey: String, region: String) {
        self.accessKey = accessKey
        self.region = region
    }

    /// Parses an `Authorization` header such as
    /// `AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/sqs/aws4_request, SignedHeaders=…, Signature=…`,
    /// or the value of an `X-Amz-Credential` query parameter (`AKID/20240101/us-east-1/sqs/aws4_request`).
    /// Returns `nil` when there is no parsable scope.
    public init?(authorization: Substring) {
        // Byte-wise: this runs for every request, and Character-level searching cost more than the
        // rest of building the request's context.
        let bytes = authorization.utf8
        var scopeStart = bytes.startIndex
        let marker = "Credential=".utf8
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if bytes[index] == UInt8(ascii: "C"), bytes[index...].starts(with: marker) {
                scopeStart = bytes.index(index, offsetBy: marker.count)
                break
            }
            index = bytes.index(after: index)
        }
        var fields: [Substring.UTF8View.SubSequence] = []
        fields.reserveCapacity(5)
        var fieldStart = scopeStart
        index = scopeStart
        while index < bytes.endIndex, bytes[index] != UInt8(ascii: ","), bytes[index] != UInt8(ascii: " ") {
            if bytes[index] == UInt8(ascii: "/") {
                fields.append(bytes[fieldStart..<index])
                fieldStart = bytes.index(after: index)
            }
            index = bytes.index(after: index)
        }
        fields.append(bytes[fieldStart..<index])
        guard fields.count >= 5, !fields[0].isEmpty, !fields[2].isEmpty else { return nil }
        self.init(accessKey: String(Substring(fields[0])), region: String(Substring(fields[2])))
    }

    /// The account this key selects: the key itself when it is 12 digits, otherwise `defaultAccount`.
    public func account(default defaultAccount: String) -> String {
        accessKey.utf8.count == 12 && accessKey.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } ? accessKey : defaultAccount
    }
}
