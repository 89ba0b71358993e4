/// Why a request was refused: its signature (authentication) or its permissions (authorization),
/// with AWS's wording. Every service renders it in its own shape (see ``queryCode`` and ``jsonType``).
///
/// The texts are the ones AWS answers with; all of them live here.
public struct AuthFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kinds of refusal, one per AWS error code.
    public enum Kind: String, Sendable, Equatable {
        /// No `Authorization` header and no presigned query string.
        case missingAuthenticationToken
        /// An access key (or session token) sqslite does not know.
        case invalidClientTokenId
        /// A signature that does not match, a wrong credential scope, or a date out of range.
        case signatureDoesNotMatch
        /// An `Authorization` header (or presigned query) that lacks a part.
        case incompleteSignature
        /// A valid caller without the permission.
        case accessDenied
    }

    /// What went wrong.
    public var kind: Kind
    /// The message, as the Query protocol and most JSON services word it.
    public var message: String
    /// The message where JSON services word it differently (only the missing token), else `nil`.
    public var jsonMessage: String?

    /// Creates a failure.
    public init(_ kind: Kind, _ message: String, jsonMessage: String? = nil) {
        self.kind = kind
        self.message = message
        self.jsonMessage = jsonMessage
    }

    /// The HTTP status: 400 for an incomplete signature, 403 otherwise.
    public var status: Int { kind == .incompleteSignature ? 400 : 403 }

    /// The Query protocol's error code (also the SQS JSON protocol's `x-amzn-query-error`).
    public var queryCode: String {
        switch kind {
        case .missingAuthenticationToken: "MissingAuthenticationToken"
        case .invalidClientTokenId: "InvalidClientTokenId"
        case .signatureDoesNotMatch: "SignatureDoesNotMatch"
        case .incompleteSignature: "IncompleteSignature"
        case .accessDenied: "AccessDenied"
        }
    }

    /// The exception name of JSON services (`__type`, `x-amzn-ErrorType`).
    public var jsonType: String {
        switch kind {
        case .missingAuthenticationToken: "MissingAuthenticationTokenException"
        case .invalidClientTokenId: "UnrecognizedClientException"
        case .signatureDoesNotMatch: "InvalidSignatureException"
        case .incompleteSignature: "IncompleteSignatureException"
        case .accessDenied: "AccessDeniedException"
        }
    }

    /// The message a JSON service sends.
    public var messageForJSON: String { jsonMessage ?? message }

    public var description: String { "\(queryCode): \(message)" }
}

extension AuthFailure {
    /// A request with neither an `Authorization` header nor a presigned query string.
    public static let missingAuthenticationToken = AuthFailure(
        .missingAuthenticationToken, "Request is missing Authentication Token", jsonMessage: "Missing Authentication Token")

    /// An unknown access key, or a session key without its token (or with another one).
    public static let invalidClientTokenId = AuthFailure(.invalidClientTokenId, "The security token included in the request is invalid.")

    /// A signature that does not match: AWS names the canonical request and string to sign it computed.
    public static func signatureDoesNotMatch(canonicalRequest: String, stringToSign: String) -> AuthFailure {
        AuthFailure(
            .signatureDoesNotMatch,
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. "
                + "Consult the service documentation for details.\n\nThe Canonical String for this request should have been\n'\(canonicalRequest)'\n\n"
                + "The String-to-Sign should have been\n'\(stringToSign)'\n")
    }

    /// A request dated more than 15 minutes before the server's clock.
    public static func signatureExpired(date: String, earliest: String, now: String) -> AuthFailure {
        AuthFailure(.signatureDoesNotMatch, "Signature expired: \(date) is now earlier than \(earliest) (\(now) - 15 min.)")
    }

    /// A request dated more than 15 minutes after the server's clock.
    public static func signatureNotYetCurrent(date: String, latest: String, now: String) -> AuthFailure {
        AuthFailure(.signatureDoesNotMatch, "Signature not yet current: \(date) is still later than \(latest) (\(now) + 15 min.)")
    }

    /// A presigned URL used after its `X-Amz-Expires`.
    public static let requestExpired = AuthFailure(.accessDenied, "Request has expired")

    /// An `X-Amz-Expires` that is not a number of seconds from 1 to 604800.
    public static let invalidExpires = AuthFailure(
        .incompleteSignature, "X-Amz-Expires must be non-negative and less than a week (in seconds) that is 604800")

    /// A credential scoped to another service than the one called.
    public static func wrongService(_ expected: String) -> AuthFailure {
        AuthFailure(.signatureDoesNotMatch, "Credential should be scoped to correct service: '\(expected)'. ")
    }

    /// A credential scope whose region is empty or not a region name.
    public static func wrongRegion(_ region: String) -> AuthFailure {
        AuthFailure(.signatureDoesNotMatch, "Credential should be scoped to a valid region, not '\(region)'. ")
    }

    /// A credential scope not ending in `aws4_request`.
    public static func wrongTerminator(_ terminator: String) -> AuthFailure {
        AuthFailure(.signatureDoesNotMatch, "Credential should be scoped with a valid terminator: 'aws4_request', not '\(terminator)'. ")
    }

    /// A credential scope whose date is not the request's.
    public static func scopeDateMismatch(scopeDate: String, requestDate: String, timestamp: String) -> AuthFailure {
        AuthFailure(
            .signatureDoesNotMatch,
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '\(scopeDate)' != '\(requestDate)', from '\(timestamp)'.")
    }

    /// A credential that is not `<key>/<date>/<region>/<service>/aws4_request`.
    public static func malformedCredential(_ credential: String) -> AuthFailure {
        AuthFailure(
            .incompleteSignature,
            "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '\(credential)'")
    }

    /// An `Authorization` header lacking parts; `missing` lists AWS's sentence for each.
    public static func incompleteAuthorization(missing: [String], header: String) -> AuthFailure {
        AuthFailure(.incompleteSignature, (missing + ["Authorization=\(header)"]).joined(separator: " "))
    }

    /// A part of the `Authorization` header that is not `key=value`.
    public static func malformedPair(_ pair: String, header: String) -> AuthFailure {
        AuthFailure(.incompleteSignature, "'\(pair)' not a valid key=value pair (missing equal-sign) in Authorization header: '\(header)'.")
    }

    /// An algorithm other than `AWS4-HMAC-SHA256`.
    public static func unsupportedAlgorithm(_ algorithm: String) -> AuthFailure {
        AuthFailure(.incompleteSignature, "Unsupported AWS 'algorithm': '\(algorithm)'")
    }

    /// A signed-headers list without `host`.
    public static let hostNotSigned = AuthFailure(
        .incompleteSignature, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")

    /// AWS's sentences for the parts an `Authorization` header lacks.
    enum MissingPart {
        static let credential = "Authorization header requires 'Credential' parameter."
        static let signature = "Authorization header requires 'Signature' parameter."
        static let signedHeaders = "Authorization header requires 'SignedHeaders' parameter."
        static let date = "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
    }

    /// A caller without the permission. `action` is written as the service writes it in messages.
    public static func accessDenied(callerARN: String, action: String, resource: String, reason: DenialReason) -> AuthFailure {
        let because: String
        switch reason {
        case .noIdentityPolicy: because = "because no identity-based policy allows the \(action) action"
        case .noResourcePolicy: because = "because no resource-based policy allows the \(action) action"
        case .explicitIdentityDeny: because = "with an explicit deny in an identity-based policy"
        case .explicitResourceDeny: because = "with an explicit deny in a resource-based policy"
        }
        return AuthFailure(.accessDenied, "User: \(callerARN) is not authorized to perform: \(action) on resource: \(resource) \(because)")
    }
}
