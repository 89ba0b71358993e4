import SQSAuth
import Testing

/// AWS's published Signature Version 4 test suite (the `aws-sig-v4-test-suite` files: each
/// request as sent, signed by AWS with the documented example key `AKIDEXAMPLE` /
/// `wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY` at `20150830T123600Z`, region `us-east-1`, service
/// `service`). The verifier must accept every signature AWS computed, and only that one.
@Suite("SigV4 test suite")
struct SigV4TestSuiteTests {
    /// One case of the suite: the request line's method and target, the headers, the body, and the
    /// signature of AWS's `.authz` file.
    struct Vector: CustomTestStringConvertible, Sendable {
        var name: String
        var method: String
        var uri: String
        var headers: [(name: String, value: String)]
        var body: String = ""
        var signedHeaders: String = "host;x-amz-date"
        var signature: String
        var token: String? = nil

        var testDescription: String { name }
    }

    static let host = ("Host", "example.amazonaws.com")
    static let date = ("X-Amz-Date", "20150830T123600Z")
    static let token =
        "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA=="

    static let vectors: [Vector] = [
        Vector(
            name: "get-vanilla", method: "GET", uri: "/", headers: [host, date],
            signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        Vector(
            name: "get-vanilla-query-order-key-case", method: "GET", uri: "/?Param2=value2&Param1=value1", headers: [host, date],
            signature: "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
        Vector(
            name: "get-vanilla-query-order-key", method: "GET", uri: "/?Param1=value2&Param1=Value1", headers: [host, date],
            signature: "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1"),
        Vector(
            name: "get-vanilla-query-order-value", method: "GET", uri: "/?Param1=value2&Param1=value1", headers: [host, date],
            signature: "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694"),
        Vector(
            name: "get-vanilla-query-unreserved", method: "GET",
            uri: "/?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
            headers: [host, date], signature: "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"),
        Vector(
            name: "get-vanilla-utf8-query", method: "GET", uri: "/?\u{1234}=bar", headers: [host, date],
            signature: "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"),
        Vector(
            name: "get-vanilla-empty-query-key", method: "GET", uri: "/?Param1=value1", headers: [host, date],
            signature: "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb"),
        Vector(
            name: "get-header-key-duplicate", method: "GET", uri: "/",
            headers: [host, ("My-Header1", "value2"), ("My-Header1", "value2"), ("My-Header1", "value1"), date],
            signedHeaders: "host;my-header1;x-amz-date", signature: "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"),
        Vector(
            name: "get-header-value-order", method: "GET", uri: "/",
            headers: [host, ("My-Header1", "value4"), ("My-Header1", "value1"), ("My-Header1", "value3"), ("My-Header1", "value2"), date],
            signedHeaders: "host;my-header1;x-amz-date", signature: "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01"),
        Vector(
            name: "get-header-value-trim", method: "GET", uri: "/", headers: [host, ("My-Header1", " value1"), ("My-Header2", " \"a   b   c\""), date],
            signedHeaders: "host;my-header1;my-header2;x-amz-date", signature: "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"),
        Vector(
            name: "get-unreserved", method: "GET", uri: "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", headers: [host, date],
            signature: "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"),
        Vector(
            name: "get-utf8", method: "GET", uri: "/\u{1234}", headers: [host, date],
            signature: "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"),
        Vector(
            name: "normalize-path/get-space", method: "GET", uri: "/example space/", headers: [host, date],
            signature: "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"),
        Vector(
            name: "normalize-path/get-slash-dot-slash", method: "GET", uri: "/./", headers: [host, date],
            signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        Vector(
            name: "normalize-path/get-slash-pointless-dot", method: "GET", uri: "/./example", headers: [host, date],
            signature: "ef75d96142cf21edca26f06005da7988e4f8dc83a165a80865db7089db637ec5"),
        Vector(
            name: "normalize-path/get-relative-relative", method: "GET", uri: "/example1/example2/../..", headers: [host, date],
            signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        Vector(
            name: "normalize-path/get-slashes", method: "GET", uri: "//example//", headers: [host, date],
            signature: "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84"),
        Vector(
            name: "post-vanilla", method: "POST", uri: "/", headers: [host, date],
            signature: "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
        Vector(
            name: "post-vanilla-empty-query-value", method: "POST", uri: "/?Param1=value1", headers: [host, date],
            signature: "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"),
        Vector(
            name: "post-header-key-sort", method: "POST", uri: "/", headers: [host, ("My-Header1", "value1"), date],
            signedHeaders: "host;my-header1;x-amz-date", signature: "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c"),
        Vector(
            name: "post-header-value-case", method: "POST", uri: "/", headers: [host, ("My-Header1", "VALUE1"), date],
            signedHeaders: "host;my-header1;x-amz-date", signature: "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d"),
        Vector(
            name: "post-x-www-form-urlencoded", method: "POST", uri: "/",
            headers: [("Content-Type", "application/x-www-form-urlencoded"), host, date], body: "Param1=value1",
            signedHeaders: "content-type;host;x-amz-date", signature: "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"),
        Vector(
            name: "post-x-www-form-urlencoded-parameters", method: "POST", uri: "/",
            headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf8"), host, date], body: "Param1=value1",
            signedHeaders: "content-type;host;x-amz-date", signature: "1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe"),
        Vector(
            name: "post-sts-token/post-sts-header-before", method: "POST", uri: "/", headers: [host, date, ("X-Amz-Security-Token", token)],
            signedHeaders: "host;x-amz-date;x-amz-security-token", signature: "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead",
            token: token),
        // The token is added after signing: it is not a signed header, so the signature is post-vanilla's.
        Vector(
            name: "post-sts-token/post-sts-header-after", method: "POST", uri: "/", headers: [host, date, ("X-Amz-Security-Token", token)],
            signature: "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b", token: token),
    ]

    static let now = AMZDate.parse("20150830T123600Z")!
    static let verifier = SigV4Verifier()

    static func credential(token: String?) -> SigningCredential {
        SigningCredential(
            accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: token,
            caller: Caller(kind: .user(name: "example"), account: "111122223333", userID: "AIDAEXAMPLE"))
    }

    static func request(_ vector: Vector, signature: String) -> SigV4Request<SigV4HeaderList> {
        let authorization =
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=\(vector.signedHeaders), Signature=\(signature)"
        return SigV4Request(method: vector.method, uri: vector.uri, headers: SigV4HeaderList(vector.headers + [("Authorization", authorization)]))
    }

    static func verify(_ vector: Vector, signature: String) throws(AuthFailure) -> Authentication {
        let credential = Self.credential(token: vector.token)
        return try verifier.verify(request(vector, signature: signature), service: "service", now: now, lookup: { $0 == "AKIDEXAMPLE" ? credential : nil }) {
            CanonicalRequest.hexSHA256(Array(vector.body.utf8))
        }
    }

    @Test(arguments: vectors)
    func awsSignatureIsAccepted(_ vector: Vector) throws {
        let signer = try Self.verify(vector, signature: vector.signature)
        #expect(signer.caller.userID == "AIDAEXAMPLE")
        #expect(signer.region == "us-east-1")
    }

    @Test(arguments: vectors)
    func anyOtherSignatureIsRefused(_ vector: Vector) {
        var wrong = Array(vector.signature)
        wrong[0] = wrong[0] == "0" ? "1" : "0"
        #expect(throws: AuthFailure.self) { try Self.verify(vector, signature: String(wrong)) }
    }

    /// The canonical request of the suite's `post-x-www-form-urlencoded.creq`, which AWS's
    /// mismatch message quotes back.
    @Test func mismatchMessageQuotesTheCanonicalRequest() {
        let vector = Self.vectors.first { $0.name == "post-x-www-form-urlencoded" }!
        let creq = """
            POST
            /

            content-type:application/x-www-form-urlencoded
            host:example.amazonaws.com
            x-amz-date:20150830T123600Z

            content-type;host;x-amz-date
            9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e
            """
        do {
            _ = try Self.verify(vector, signature: String(repeating: "0", count: 64))
            Issue.record("a wrong signature was accepted")
        } catch {
            #expect(error.kind == .signatureDoesNotMatch)
            #expect(error.status == 403)
            #expect(error.message.contains("The Canonical String for this request should have been\n'\(creq)'\n"))
            #expect(error.message.contains("The String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"))
        }
    }

    @Test func signerProducesTheSuiteSignature() {
        let vector = Self.vectors.first { $0.name == "post-x-www-form-urlencoded" }!
        let added = SigV4Signer.sign(
            method: "POST", uri: "/", headers: [("Content-Type", "application/x-www-form-urlencoded"), Self.host], body: Array("Param1=value1".utf8),
            credential: Self.credential(token: nil), region: "us-east-1", service: "service", timestamp: Self.now)
        #expect(added.first { $0.name == "Authorization" }?.value.hasSuffix("Signature=\(vector.signature)") == true)
    }
}
