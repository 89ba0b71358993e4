/// An `http://host[:port]/path` URL: where an ``HTTPEndpointFunction`` posts its events.
public struct EndpointURL: Sendable, Equatable {
    /// The host name or address.
    public var host: String
    /// The port, 80 when the URL names none.
    public var port: Int
    /// The path (with any query), `/` when the URL names none.
    public var path: String

    /// Parses a URL; `nil` for anything but plain `http` with a host.
    public init?(_ text: String) {
        guard text.hasPrefix("http://") else { return nil }
        let rest = text.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" }
        path = rest.count > authority.count ? String(rest.dropFirst(authority.count)) : "/"
        if let colon = authority.lastIndex(of: ":"), let port = Int(authority[authority.index(after: colon)...]) {
            host = String(authority[..<colon])
            self.port = port
        } else {
            host = String(authority)
            port = 80
        }
        if host.isEmpty { return nil }
    }

    /// The URL as async-http-client takes it.
    public var text: String {
        "http://\(host):\(port)\(path)"
    }
}
