import NIOCore
import NIOHTTP1
import SQSHTTP

/// An admin request, parsed once: method, the path segments after `/admin`, the query, and the
/// form fields of a POST (`application/x-www-form-urlencoded`).
struct AdminRequest: Sendable {
    var method: HTTPMethod
    var headers: HTTPHeaders
    /// The path after `/admin`, split at `/` and percent-decoded.
    var segments: [Substring]
    var query: [String: String]
    var form: [String: String]
    /// The POST body as sent, for fields that repeat (``formValues(_:)``).
    var formText: Substring = ""

    init(_ request: HTTPRequest) {
        method = request.head.method
        headers = request.head.headers
        let parts = request.head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = parts.first ?? ""
        segments = path.dropFirst(AdminPaths.root.count).split(separator: "/").map(AdminPaths.decoded)
        query = parts.count > 1 ? FormEncoding.parameters(parts[1]) : [:]
        var body = request.body
        if method == .POST, !(headers.first(name: "content-type") ?? "").contains("json"),
            let text = body.readString(length: body.readableBytes)
        {
            form = FormEncoding.parameters(Substring(text))
            formText = Substring(text)
        } else {
            form = [:]
        }
    }

    /// Whether the caller wants JSON back (the API, or a script asking for it).
    var wantsJSON: Bool {
        (headers.first(name: "accept") ?? "").contains("application/json") && !(headers.first(name: "accept") ?? "").contains("text/html")
    }

    /// A whole-number query parameter within `range`; `fallback` when it is absent or empty.
    /// - Throws: ``AdminInputError`` when it is not a number in `range` (negative, too large,
    ///   beyond `Int`, or not a number at all).
    func integer(_ name: String, in range: ClosedRange<Int>, default fallback: Int) throws(AdminInputError) -> Int {
        try Self.integer(query[name], named: name, in: range) ?? fallback
    }

    /// A whole-number form field within `range`, or `nil` when it is absent or empty.
    /// - Throws: ``AdminInputError`` when it is not a number in `range`.
    func formInteger(_ name: String, in range: ClosedRange<Int>) throws(AdminInputError) -> Int? {
        try Self.integer(form[name], named: name, in: range)
    }

    private static func integer(_ text: String?, named name: String, in range: ClosedRange<Int>) throws(AdminInputError) -> Int? {
        guard let text, !text.isEmpty else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw AdminInputError(message: "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \(text.prefix(40)).")
        }
        return value
    }

    /// A form field, or `nil` when empty.
    func field(_ name: String) -> String? {
        guard let value = form[name], !value.isEmpty else { return nil }
        return value
    }
}
