/// What SigV4 covers of a request: its method, path, query string and headers (the body enters
/// only through its SHA-256, which the verifier asks for when it needs it).
public struct SigV4Request<Headers: SigV4Headers> {
    /// The method, e.g. `POST`.
    public var method: String
    /// The path as sent on the wire (still percent-encoded), e.g. `/000000000000/orders`.
    public var path: Substring
    /// The raw query string (after `?`, still percent-encoded); empty when there is none.
    public var query: Substring
    /// The headers.
    public var headers: Headers

    /// Creates a request view.
    public init(method: String, path: Substring, query: Substring, headers: Headers) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
    }

    /// Splits a request target (`/path?query`) into path and query.
    public init(method: String, uri: String, headers: Headers) {
        if let mark = uri.firstIndex(of: "?") {
            self.init(method: method, path: uri[..<mark], query: uri[uri.index(after: mark)...], headers: headers)
        } else {
            self.init(method: method, path: uri[...], query: "", headers: headers)
        }
    }

    /// The first value of a header, if any.
    func first(_ name: String) -> String? {
        headers.sigV4First(name)
    }
}
