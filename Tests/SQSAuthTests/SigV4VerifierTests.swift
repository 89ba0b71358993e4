import SQSAuth
import Testing

/// The verifier's refusals, each with AWS's code, status and message, and the cases it accepts:
/// presigned URLs, `UNSIGNED-PAYLOAD`, session tokens, a `Date` header instead of `X-Amz-Date`.
@Suite("SigV4 verifier")
struct SigV4VerifierTests {
    static let now = AMZDate.parse("20240101T003000Z")!
    static let caller = Caller(kind: .user(name: "chat-sender"), account: "000000000000", userID: "AIDAEXAMPLE")
    static let user = SigningCredential(accessKeyID: "AKIAEXAMPLESENDER01", secretAccessKey: "sender-secret", caller: caller)
    static let session = SigningCredential(
        accessKeyID: "ASIAEXAMPLESESSION", secretAccessKey: "session-secret", sessionToken: "token-1",
        caller: Caller(kind: .assumedRole(role: "r", session: "f"), account: "000000000000", userID: "AROAEXAMPLE:f"))

    let verifier = SigV4Verifier()

    func lookup(_ key: String) -> SigningCredential? {
        [Self.user, Self.session].first { $0.accessKeyID == key }
    }

    /// A request signed by the SDK way, then changed by `tamper`.
    func signed(
        _ credential: SigningCredential = user, body: String = "Action=ListQueues&Version=2012-11-05", at time: Int64 = now,
        service: String = "sqs", extra: [(name: String, value: String)] = []
    ) -> (headers: [(name: String, value: String)], body: String) {
        var headers: [(name: String, value: String)] = [("Host", "localhost:9324"), ("Content-Type", "application/x-www-form-urlencoded")] + extra
        headers += SigV4Signer.sign(
            method: "POST", uri: "/", headers: headers, body: Array(body.utf8), credential: credential, region: "us-east-1", service: service,
            timestamp: time)
        return (headers, body)
    }

    func verify(_ headers: [(name: String, value: String)], body: String, uri: String = "/", service: String = "sqs") throws(AuthFailure) -> Caller {
        let request = SigV4Request(method: "POST", uri: uri, headers: SigV4HeaderList(headers))
        return try verifier.verify(request, service: service, now: Self.now, lookup: lookup) { CanonicalRequest.hexSHA256(Array(body.utf8)) }.caller
    }

    func failure(_ body: () throws(AuthFailure) -> Caller) -> AuthFailure? {
        do {
            _ = try body()
            return nil
        } catch {
            return error
        }
    }

    @Test func aSignedRequestNamesItsCaller() throws {
        let request = signed()
        #expect(try verify(request.headers, body: request.body) == Self.caller)
    }

    @Test func noAuthorizationIsMissingAuthenticationToken() {
        let error = failure { () throws(AuthFailure) in try verify([("Host", "localhost")], body: "") }
        #expect(error?.kind == .missingAuthenticationToken)
        #expect(error?.status == 403)
        #expect(error?.message == "Request is missing Authentication Token")
        #expect(error?.messageForJSON == "Missing Authentication Token")
    }

    @Test func anUnknownKeyIsInvalidClientTokenId() {
        let stranger = SigningCredential(accessKeyID: "AKIASTRANGER", secretAccessKey: "x", caller: Self.caller)
        let request = signed(stranger)
        let error = failure { () throws(AuthFailure) in try verify(request.headers, body: request.body) }
        #expect(error == .invalidClientTokenId)
        #expect(error?.message == "The security token included in the request is invalid.")
        #expect(error?.jsonType == "UnrecognizedClientException")
    }

    @Test func aWrongSecretIsSignatureDoesNotMatch() {
        var wrong = Self.user
        wrong.secretAccessKey = "not-the-secret"
        let request = signed(wrong)
        let error = failure { () throws(AuthFailure) in try verify(request.headers, body: request.body) }
        #expect(error?.kind == .signatureDoesNotMatch)
        #expect(error?.queryCode == "SignatureDoesNotMatch")
        #expect(error?.jsonType == "InvalidSignatureException")
        #expect(error?.message.hasPrefix("The request signature we calculated does not match the signature you provided.") == true)
    }

    /// The request with its `Authorization` header rewritten.
    func withAuthorization(_ request: (headers: [(name: String, value: String)], body: String), _ change: (String) -> String)
        -> [(name: String, value: String)]
    {
        request.headers.map { $0.name == "Authorization" ? ($0.name, change($0.value)) : $0 }
    }

    @Test func theSignatureIsComparedAsHexInEitherCaseAndInFull() throws {
        let request = signed()
        let signature = try #require(request.headers.first { $0.name == "Authorization" }?.value.split(separator: "=").last.map(String.init))
        let upper = withAuthorization(request) { $0.replacing(signature, with: signature.uppercased()) }
        #expect(try verify(upper, body: request.body) == Self.caller)
        for wrong in [String(signature.dropLast()), signature + "0", String(signature.dropLast()) + "g", String(signature.dropLast(2)) + "00"]
        where wrong != signature {
            let headers = withAuthorization(request) { $0.replacing(signature, with: wrong) }
            #expect(failure { () throws(AuthFailure) in try verify(headers, body: request.body) }?.kind == .signatureDoesNotMatch, "\(wrong)")
        }
    }

    @Test func aCredentialWithoutFiveSlashDelimitedPartsIsMalformed() {
        let request = signed()
        let scope = "AKIAEXAMPLESENDER01/20240101/us-east-1/sqs/aws4_request"
        for credential in [
            "AKIAEXAMPLESENDER01/20240101/us-east-1/sqs", "AKIAEXAMPLESENDER01/20240101/us-east-1/sqs/aws4_request/x",
            "/20240101/us-east-1/sqs/aws4_request", "AKIAEXAMPLESENDER01",
        ] {
            let headers = withAuthorization(request) { $0.replacing(scope, with: credential) }
            let error = failure { () throws(AuthFailure) in try verify(headers, body: request.body) }
            #expect(error == .malformedCredential(credential), "\(credential)")
        }
        let emptyParts = withAuthorization(request) { $0.replacing(scope, with: "AKIAEXAMPLESENDER01//us-east-1/sqs/aws4_request") }
        #expect(failure { () throws(AuthFailure) in try verify(emptyParts, body: request.body) } != nil)
    }

    @Test func requestsSignedForDifferentScopesInTurnEachUseTheirOwnKey() throws {
        // The signing-key cache answers a repeated scope from its last entry; alternating scopes
        // must not get each other's key.
        for round in 0..<3 {
            for service in ["sqs", "logs"] {
                let request = signed(service: service)
                #expect(try verify(request.headers, body: request.body, service: service) == Self.caller, "round \(round), \(service)")
            }
            let other = signed(Self.session, service: "sqs")
            #expect(try verify(other.headers, body: other.body) == Self.session.caller)
        }
        let forLogs = signed(service: "logs")
        let relabelled = withAuthorization(forLogs) { $0.replacing("/logs/", with: "/sqs/") }
        #expect(failure { () throws(AuthFailure) in try verify(relabelled, body: forLogs.body) }?.kind == .signatureDoesNotMatch)
    }

    @Test func aBodyChangedAfterSigningIsRefused() {
        let request = signed()
        let error = failure { () throws(AuthFailure) in try verify(request.headers, body: "Action=PurgeQueue&Version=2012-11-05") }
        #expect(error?.kind == .signatureDoesNotMatch)
        // The canonical request quoted back hashes the body that arrived.
        #expect(error?.message.contains(CanonicalRequest.hexSHA256(Array("Action=PurgeQueue&Version=2012-11-05".utf8))) == true)
    }

    @Test func unsignedPayloadLeavesTheBodyOut() throws {
        let request = signed(extra: [("x-amz-content-sha256", "UNSIGNED-PAYLOAD")])
        #expect(try verify(request.headers, body: "anything at all") == Self.caller)
    }

    @Test func aDeclaredPayloadHashMustBeTheBodys() throws {
        let body = "Action=ListQueues&Version=2012-11-05"
        let request = signed(extra: [("x-amz-content-sha256", CanonicalRequest.hexSHA256(Array(body.utf8)))])
        #expect(try verify(request.headers, body: body) == Self.caller)
        #expect(failure { () throws(AuthFailure) in try verify(request.headers, body: body + "&x=1") }?.kind == .signatureDoesNotMatch)
    }

    @Test func aStaleDateHasExpired() {
        let request = signed(at: AMZDate.parse("20240101T000000Z")!)
        let error = failure { () throws(AuthFailure) in try verify(request.headers, body: request.body) }
        #expect(error?.kind == .signatureDoesNotMatch)
        #expect(error?.status == 403)
        #expect(error?.message == "Signature expired: 20240101T000000Z is now earlier than 20240101T001500Z (20240101T003000Z - 15 min.)")
    }

    @Test func withinFifteenMinutesIsAccepted() throws {
        let request = signed(at: Self.now - 14 * 60)
        #expect(try verify(request.headers, body: request.body) == Self.caller)
        let ahead = signed(at: Self.now + 14 * 60)
        #expect(try verify(ahead.headers, body: ahead.body) == Self.caller)
    }

    @Test func aFutureDateIsNotYetCurrent() {
        let request = signed(at: AMZDate.parse("20240101T010000Z")!)
        let error = failure { () throws(AuthFailure) in try verify(request.headers, body: request.body) }
        #expect(error?.message == "Signature not yet current: 20240101T010000Z is still later than 20240101T004500Z (20240101T003000Z + 15 min.)")
    }

    @Test func aCredentialForAnotherServiceIsRefused() {
        let request = signed(service: "lambda")
        let error = failure { () throws(AuthFailure) in try verify(request.headers, body: request.body) }
        #expect(error?.kind == .signatureDoesNotMatch)
        #expect(error?.message == "Credential should be scoped to correct service: 'sqs'. ")
    }

    @Test func anIncompleteHeaderListsWhatIsMissing() {
        let header = "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLESENDER01/20240101/us-east-1/sqs/aws4_request"
        let error = failure { () throws(AuthFailure) in try verify([("Host", "localhost"), ("Authorization", header)], body: "") }
        #expect(error?.kind == .incompleteSignature)
        #expect(error?.status == 400)
        #expect(
            error?.message
                == "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. "
                + "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=\(header)")
        let bearer = failure { () throws(AuthFailure) in try verify([("Host", "localhost"), ("Authorization", "Bearer abc")], body: "") }
        #expect(bearer?.kind == .incompleteSignature)
        #expect(bearer?.message.hasPrefix("Authorization header requires 'Credential' parameter.") == true)
        let pair = failure { () throws(AuthFailure) in
            try verify([("Host", "localhost"), ("X-Amz-Date", "20240101T003000Z"), ("Authorization", "AWS4-HMAC-SHA256 Credential")], body: "")
        }
        #expect(pair?.message == "'Credential' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Credential'.")
    }

    @Test func aSessionKeyNeedsItsToken() throws {
        let good = signed(Self.session)
        #expect(try verify(good.headers, body: good.body).userID == "AROAEXAMPLE:f")
        let withoutToken = good.headers.filter { $0.name != "X-Amz-Security-Token" }
        #expect(failure { () throws(AuthFailure) in try verify(withoutToken, body: good.body) } == .invalidClientTokenId)
        var forged = Self.session
        forged.sessionToken = "token-2"
        let other = signed(forged)
        #expect(failure { () throws(AuthFailure) in try verify(other.headers, body: other.body) } == .invalidClientTokenId)
    }

    @Test func theDateHeaderStandsInForXAmzDate() throws {
        // Signed with X-Amz-Date, then sent with the same instant as an HTTP Date only.
        let request = signed()
        var headers = request.headers.filter { $0.name != "X-Amz-Date" }
        headers.append(("Date", "Mon, 01 Jan 2024 00:30:00 GMT"))
        let authorization = headers.first { $0.name == "Authorization" }!.value.replacing("host;x-amz-date", with: "date;host")
        headers = headers.filter { $0.name != "Authorization" } + [("Authorization", authorization)]
        // The signed-headers list changed, so the signature no longer matches, but the date was read.
        #expect(failure { () throws(AuthFailure) in try verify(headers, body: request.body) }?.kind == .signatureDoesNotMatch)
    }

    @Test func aDateHeaderThatIsNotAnHTTPDateCountsAsNoDate() throws {
        // Years far past 9999 once overflowed the date arithmetic and stopped the server.
        let header = "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLESENDER01/20240101/us-east-1/sqs/aws4_request, SignedHeaders=date;host, Signature=abcd"
        for date in [
            "Sun, 30 Aug 9999999999999999999 12:36:00 GMT", "Sun, 30 Aug 99999999999999 12:36:00 GMT", "Sun, 30 Aug 999999999 12:36:00 GMT",
            "Sun, 30 Aug 24 12:36:00 GMT", "Sun, +1 Aug 2024 12:36:00 GMT", "Sun, 30 Aug 2024 12:36:0 GMT", "Sun, 30 Aug 2024 12:36:00:00 GMT",
            "Sun, 30 Aug 2024 99:36:00 GMT",
        ] {
            let error = failure { () throws(AuthFailure) in try verify([("Host", "localhost"), ("Date", date), ("Authorization", header)], body: "") }
            #expect(error?.kind == .incompleteSignature, "\(date)")
            #expect(error?.message.contains("requires existence of either a 'X-Amz-Date' or a 'Date' header") == true, "\(date)")
        }
        #expect(AMZDate.parseHTTPDate("Mon, 01 Jan 2024 00:30:00 GMT") == Self.now)
        #expect(AMZDate.parseHTTPDate("Mon, 1 Jan 2024 00:30:00 GMT") == Self.now)
    }

    @Test func datesFormatAtTheEdgesOfTheirRange() {
        #expect(AMZDate.format(0) == "19700101T000000Z")
        #expect(AMZDate.format(-1) == "19691231T235959Z")
        #expect(AMZDate.iso8601(253_402_300_799) == "9999-12-31T23:59:59Z")
        // Any Int64 formats without trapping.
        #expect(!AMZDate.format(.max).isEmpty && !AMZDate.format(.min).isEmpty)
    }

    // MARK: - Presigned URLs

    func presigned(_ query: [(String, String)], credential: SigningCredential = user, at time: Int64 = now, expires: Int = 300) -> String {
        let date = AMZDate.format(time)
        var pairs = query
        pairs += [
            ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"), ("X-Amz-Credential", "\(credential.accessKeyID)/\(date.prefix(8))/us-east-1/sqs/aws4_request"),
            ("X-Amz-Date", date), ("X-Amz-Expires", String(expires)), ("X-Amz-SignedHeaders", "host"),
        ]
        let raw = pairs.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
        let canonical = CanonicalRequest.build(
            method: "GET", path: "/", queryPairs: CanonicalRequest.queryPairs(raw[...]), headers: SigV4HeaderList([("Host", "localhost:9324")]),
            signedHeaders: ["host"], signedHeadersText: "host", payloadHash: CanonicalRequest.emptyPayloadHash)
        let stringToSign = CanonicalRequest.stringToSign(
            timestamp: date, scope: "\(date.prefix(8))/us-east-1/sqs/aws4_request", canonicalRequest: canonical)
        let signature = hmacHex(credential.secretAccessKey, date: String(date.prefix(8)), stringToSign)
        return "/?\(raw)&X-Amz-Signature=\(signature)"
    }

    func encode(_ text: String) -> String {
        text.utf8.map { byte in
            let c = Character(Unicode.Scalar(byte))
            return c.isLetter || c.isNumber || "-_.~".contains(c) ? String(c) : "%" + String(byte, radix: 16, uppercase: true)
        }.joined()
    }

    func hmacHex(_ secret: String, date: String, _ stringToSign: String) -> String {
        SigV4Signer.signature(stringToSign: stringToSign, secret: secret, date: date[...], region: "us-east-1", service: "sqs")
    }

    func verifyGET(_ uri: String) throws(AuthFailure) -> Caller {
        let request = SigV4Request(method: "GET", uri: uri, headers: SigV4HeaderList([("Host", "localhost:9324")]))
        return try verifier.verify(request, service: "sqs", now: Self.now, lookup: lookup) { CanonicalRequest.emptyPayloadHash }.caller
    }

    @Test func aPresignedURLIsAccepted() throws {
        let uri = presigned([("Action", "ListQueues"), ("Version", "2012-11-05")])
        #expect(try verifyGET(uri) == Self.caller)
        // Changing a signed parameter breaks it.
        #expect(failure { () throws(AuthFailure) in try verifyGET(uri.replacing("ListQueues", with: "PurgeQueue")) }?.kind == .signatureDoesNotMatch)
    }

    @Test func aPresignedURLExpires() {
        let uri = presigned([("Action", "ListQueues")], at: Self.now - 400, expires: 300)
        #expect(failure { () throws(AuthFailure) in try verifyGET(uri) } == .requestExpired)
        let longLived = presigned([("Action", "ListQueues")], at: Self.now - 3000, expires: 3600)
        #expect(failure { () throws(AuthFailure) in try verifyGET(longLived) } == nil)
        let tooLong = presigned([("Action", "ListQueues")], expires: 700_000)
        #expect(failure { () throws(AuthFailure) in try verifyGET(tooLong) } == .invalidExpires)
    }

    @Test func aPresignedURLMissingParametersIsIncomplete() {
        let error = failure { () throws(AuthFailure) in
            try verifyGET("/?Action=ListQueues&X-Amz-Credential=AKIAEXAMPLESENDER01%2F20240101%2Fus-east-1%2Fsqs%2Faws4_request")
        }
        #expect(error?.kind == .incompleteSignature)
        #expect(error?.message.hasPrefix("AWS query-string parameters must include 'X-Amz-Algorithm'") == true)
    }
}
