import NIOHTTP1

/// Spots requests a web page made from another site, so the SQS API, the Lambda API and the
/// Runtime API can refuse them.
///
/// A page on any site can make a browser send a "simple" request (a `text/plain` POST, say) to
/// `localhost` without a CORS preflight: it cannot read the answer, but the request still runs,
/// so it could invoke the user's functions with its own payload or send messages. Browsers mark
/// such requests (`Origin`, `Sec-Fetch-Site`); AWS SDKs, the CLI and Lambda runtimes never send
/// those headers, so refusing marked requests costs them nothing.
///
/// A request is cross-site when it has
/// - `Sec-Fetch-Site: cross-site` or `same-site` (another port or subdomain is another origin), or
/// - an `Origin` that is not this server (`scheme://` + the request's `Host`); `Origin: null`
///   (sandboxed frames, `file:` pages) counts as another origin.
public enum CrossSiteRequest {
    /// Why the request must be refused, or `nil` when it is not a cross-site browser request.
    public static func refusal(_ headers: HTTPHeaders) -> String? {
        if let site = headers.first(name: "sec-fetch-site")?.lowercased(), site == "cross-site" || site == "same-site" {
            return "Cross-site requests from a browser are not allowed (Sec-Fetch-Site: \(site))."
        }
        if let origin = headers.first(name: "origin"), !isSameOrigin(origin, host: headers.first(name: "host")) {
            return "Cross-site requests from a browser are not allowed (Origin: \(origin.prefix(200)))."
        }
        return nil
    }

    /// Whether `origin` (`scheme://host[:port]`) names the server the request was sent to.
    static func isSameOrigin(_ origin: String, host: String?) -> Bool {
        guard let host, !host.isEmpty, let scheme = origin.firstRange(of: "://") else { return false }
        let authority = origin[scheme.upperBound...]
        return !authority.contains("/") && authority.lowercased() == host.lowercased()
    }
}
