/// The numbers of AWS Signature Version 4 and of the credentials sqslite issues, in one place.
public enum AuthLimits {
    /// The only signing algorithm accepted (SigV4 with HMAC-SHA256).
    public static let algorithm = "AWS4-HMAC-SHA256"
    /// The last element of every credential scope.
    public static let scopeTerminator = "aws4_request"
    /// How far a request's `X-Amz-Date` may be from the server's clock, either way (AWS: 15 minutes).
    public static let clockSkewSeconds: Int64 = 15 * 60
    /// The longest `X-Amz-Expires` of a presigned URL (seven days, as AWS).
    public static let maxPresignExpirySeconds: Int64 = 7 * 24 * 60 * 60
    /// The payload hash a client sends (in `x-amz-content-sha256`) to leave the body unsigned.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"
    /// Derived signing keys kept before the cache starts over (one per key, day, region and service).
    public static let signingKeyCacheSize = 1024
    /// Parsed resource policies kept before the cache starts over (one per distinct policy text).
    public static let policyCacheSize = 1024
}
