import NIOCore
import NIOHTTP1

/// The `Host` header values a server answers, against DNS rebinding.
///
/// A page on `evil.example` can make its name resolve to `127.0.0.1` and then read a local server's
/// responses as its own origin; the browser still sends `Host: evil.example`, so refusing unknown
/// names stops it. Always allowed: `localhost`, `*.localhost`, every IP literal (IPv4, or IPv6 in
/// brackets: rebinding needs a domain name, so an IP literal is safe) and the server's bind address.
/// Each may carry a `:port`, which is not checked.
///
/// ```swift
/// let hosts = HTTPHostAllowList(["sqslite", "*.internal"])  // a container name, a domain
/// hosts.allows(host: "sqslite:9324")                        // true
/// hosts.allows(host: "evil.example")                        // false
/// HTTPHostAllowList(["*"]).allows(host: "anything")         // true: the check is off
/// ```
public struct HTTPHostAllowList: Sendable, Equatable {
    /// The most of a rejected `Host` value that the 403 response quotes.
    static let quotedHostLimit = 200

    /// Lowercased names without port; `*.domain` entries are kept as `.domain` suffixes.
    private var names: Set<String>
    private var suffixes: [String]
    /// Whether every host is allowed (the name `*` was given).
    public private(set) var allowsAnyHost: Bool

    /// Creates an allow-list.
    ///
    /// - Parameter names: Extra host names: exact names (`sqslite`), `*.domain` for every subdomain of
    ///   `domain`, or `*` to turn the check off. Case and a `:port` are ignored.
    public init(_ names: [String] = []) {
        self.names = []
        self.suffixes = []
        self.allowsAnyHost = false
        for name in names {
            self.add(name)
        }
    }

    /// Adds one name (see ``init(_:)``).
    public mutating func add(_ name: String) {
        let trimmed = name.trimmingWhitespace()
        if trimmed == "*" {
            self.allowsAnyHost = true
            return
        }
        guard let host = Self.hostName(from: trimmed), !host.isEmpty else { return }
        if host.hasPrefix("*.") {
            self.suffixes.append(String(host.dropFirst()))
        } else {
            self.names.insert(host)
        }
    }

    /// Whether a request with this `Host` header value is answered.
    ///
    /// - Parameter host: The header value, `name` or `name:port`, `[v6]` or `[v6]:port`.
    public func allows(host: String) -> Bool {
        if self.allowsAnyHost { return true }
        guard let name = Self.hostName(from: host) else { return false }
        if name.hasPrefix("[") {
            // Bracketed: only an IPv6 literal is valid there.
            return Self.isIPLiteral(String(name.dropFirst().dropLast()), family: .ipv6)
        }
        if name == "localhost" || name.hasSuffix(".localhost") || self.names.contains(name) { return true }
        if self.suffixes.contains(where: { name.hasSuffix($0) }) { return true }
        return Self.isIPLiteral(name, family: .ipv4)
    }

    /// The `403 Forbidden` answer to a request whose `Host` is not allowed, naming the option that allows it.
    func forbiddenResponse(host: String) -> HTTPResponse {
        let quoted = String(host.prefix(Self.quotedHostLimit))
        let name = Self.hostName(from: quoted) ?? quoted
        let text =
            "Host '\(quoted)' is not allowed (DNS rebinding protection). "
            + "Start sqslite with --allowed-host \(name) (or SQSLITE_ALLOWED_HOSTS=\(name)) to allow it, "
            + "or --allowed-host '*' to allow any host.\n"
        return HTTPResponse(
            status: .forbidden,
            headers: ["content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff"],
            body: ByteBuffer(string: text))
    }

    // MARK: - Parsing

    private enum Family {
        case ipv4, ipv6
    }

    /// The lowercased host of a `Host` value without its port (brackets kept for IPv6), or `nil` when the
    /// port is not a number or the value is not one host.
    private static func hostName(from value: String) -> String? {
        var text = Substring(value.lowercased())
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let rest = text[text.index(after: close)...]
            guard rest.isEmpty || Self.isPort(rest) else { return nil }
            return String(text[...close])
        }
        if let colon = text.firstIndex(of: ":") {
            guard Self.isPort(text[colon...]) else { return nil }
            text = text[..<colon]
        }
        // `localhost.` is `localhost`.
        if text.hasSuffix(".") { text = text.dropLast() }
        guard !text.contains(where: { $0 == " " || $0 == "\t" || $0 == "/" || $0 == "@" }) else { return nil }
        return String(text)
    }

    /// Whether `text` is `:` followed by zero or more digits.
    private static func isPort(_ text: Substring) -> Bool {
        text.first == ":" && text.dropFirst().allSatisfy { $0.isASCII && $0.isNumber }
    }

    private static func isIPLiteral(_ text: String, family: Family) -> Bool {
        guard let address = try? SocketAddress(ipAddress: text, port: 0) else { return false }
        switch (address, family) {
        case (.v4, .ipv4), (.v6, .ipv6): return true
        default: return false
        }
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        String(self.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
