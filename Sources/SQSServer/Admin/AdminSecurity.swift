import NIOHTTP1

/// The admin page's guards: the optional admin token, the per-server CSRF token, the same-origin
/// check for state-changing requests, and the headers every admin response carries.
///
/// - The admin token (``ServerOptions/adminToken``), when set, must come as the
///   `sqslite_admin` cookie (set by the login form) or as `Authorization: Bearer <token>`.
/// - Every POST must carry the CSRF token (form field `_csrf` or header `X-CSRF-Token`) and an
///   `Origin` (or, failing that, `Referer`) whose host is the request's `Host`.
/// - Responses forbid inline script and framing through `Content-Security-Policy`.
struct AdminSecurity: Sendable {
    /// The name of the cookie holding the admin token.
    static let cookieName = "sqslite_admin"
    /// The policy of every admin response: nothing but sqslite's own assets, no inline script.
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    /// The token required to use the admin page, if any.
    let adminToken: String?
    /// The CSRF token of this server run (random at startup).
    let csrfToken: String

    init(adminToken: String?, csrfToken: String = AdminSecurity.randomToken()) {
        self.adminToken = adminToken.flatMap { $0.isEmpty ? nil : $0 }
        self.csrfToken = csrfToken
    }

    /// 32 random bytes as hex, from the system's secure generator.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let value = generator.next() as UInt64
            let hex = String(value, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    /// Whether the request may use the admin page.
    func isAuthorized(_ headers: HTTPHeaders) -> Bool {
        guard let adminToken else { return true }
        if let authorization = headers.first(name: "authorization"), authorization.hasPrefix("Bearer ") {
            return Self.constantTimeEquals(String(authorization.dropFirst("Bearer ".count)), adminToken)
        }
        return Self.cookie(Self.cookieName, in: headers).map { Self.constantTimeEquals($0, adminToken) } ?? false
    }

    /// Whether a state-changing request comes from a page of this server: its `Origin` (or
    /// `Referer`) names the request's own host.
    static func isSameOrigin(_ headers: HTTPHeaders) -> Bool {
        guard let host = headers.first(name: "host"), !host.isEmpty else { return false }
        let source = headers.first(name: "origin") ?? headers.first(name: "referer")
        guard let source, let scheme = source.firstRange(of: "://") else { return false }
        let authority = source[scheme.upperBound...].prefix { $0 != "/" }
        return authority.lowercased() == host.lowercased()
    }

    /// Whether `candidate` is this server's CSRF token.
    func isValidCSRF(_ candidate: String?) -> Bool {
        guard let candidate else { return false }
        return Self.constantTimeEquals(candidate, csrfToken)
    }

    /// Compares without stopping at the first difference.
    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8)
        let right = Array(b.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices {
            difference |= left[index] ^ right[index]
        }
        return difference == 0
    }

    /// A cookie's value from the `Cookie` headers.
    static func cookie(_ name: String, in headers: HTTPHeaders) -> String? {
        for header in headers[canonicalForm: "cookie"] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: " ") == name {
                    return String(parts[1].trimmingCharacters(in: " "))
                }
            }
        }
        return nil
    }

    /// The headers every admin response carries.
    static func addHeaders(to headers: inout HTTPHeaders) {
        headers.replaceOrAdd(name: "Content-Security-Policy", value: contentSecurityPolicy)
        headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in characters: String) -> Substring {
        var result = self
        while let first = result.first, characters.contains(first) { result = result.dropFirst() }
        while let last = result.last, characters.contains(last) { result = result.dropLast() }
        return result
    }
}
