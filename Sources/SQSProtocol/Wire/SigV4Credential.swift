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
        // Over the contiguous UTF-8 bytes: this runs for every request, and Character-level searching
        // (and then indexing the UTF-8 view) cost more than the rest of building the request's context.
        guard
            let credential = authorization.utf8.withContiguousStorageIfAvailable(Self.scope(in:))
                ?? Array(authorization.utf8).withUnsafeBufferPointer(Self.scope(in:))
        else { return nil }
        self = credential
    }

    /// The credential of the scope after `Credential=` (or at the start, for a bare scope): at least
    /// five `/`-separated fields up to a comma, a space or the end, with a key and a region.
    private static func scope(in bytes: UnsafeBufferPointer<UInt8>) -> SigV4Credential? {
        let marker: StaticString = "Credential="
        let markerBytes = UnsafeBufferPointer(start: marker.utf8Start, count: marker.utf8CodeUnitCount)
        var scopeStart = 0
        if bytes.count >= markerBytes.count {
            for index in 0...(bytes.count - markerBytes.count)
            where bytes[index] == UInt8(ascii: "C") && UnsafeBufferPointer(rebasing: bytes[index..<index + markerBytes.count]).elementsEqual(markerBytes) {
                scopeStart = index + markerBytes.count
                break
            }
        }
        // The ends of the first three fields (key, date, region) and the number of separators.
        var slashes = (0, 0, 0)
        var slashCount = 0
        var index = scopeStart
        while index < bytes.count, bytes[index] != UInt8(ascii: ","), bytes[index] != UInt8(ascii: " ") {
            if bytes[index] == UInt8(ascii: "/") {
                switch slashCount {
                case 0: slashes.0 = index
                case 1: slashes.1 = index
                case 2: slashes.2 = index
                default: break
                }
                slashCount += 1
            }
            index += 1
        }
        let regionStart = slashes.1 + 1
        guard slashCount >= 4, slashes.0 > scopeStart, slashes.2 > regionStart else { return nil }
        return SigV4Credential(
            accessKey: String(decoding: UnsafeBufferPointer(rebasing: bytes[scopeStart..<slashes.0]), as: UTF8.self),
            region: String(decoding: UnsafeBufferPointer(rebasing: bytes[regionStart..<slashes.2]), as: UTF8.self))
    }

    /// The account this key selects: the key itself when it is 12 digits, otherwise `defaultAccount`.
    public func account(default defaultAccount: String) -> String {
        accessKey.utf8.count == 12 && accessKey.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } ? accessKey : defaultAccount
    }
}
