import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOHTTPCompression
import SQSHTTP

/// gzip (or deflate) for the admin page, its JSON API and the peek API, when the client's
/// `Accept-Encoding` allows it.
///
/// The compression is swift-nio-extras' `HTTPResponseCompressor` (zlib), run over the complete
/// response in an `EmbeddedChannel`, so only these routes pay for it and the SQS hot path keeps
/// its pipeline untouched.
enum ResponseCompression {
    /// Bodies smaller than this are sent as they are.
    static let minimumSize = 512

    /// `response`, compressed when `request` accepts it and the body is worth compressing.
    static func compressIfAccepted(_ response: HTTPResponse, for request: HTTPRequestHead) -> HTTPResponse {
        var response = response
        response.headers.replaceOrAdd(name: "Vary", value: "Accept-Encoding")
        guard response.body.readableBytes >= minimumSize, response.headers.first(name: "content-encoding") == nil,
            let accepted = request.headers.first(name: "accept-encoding"), accepted.contains("gzip") || accepted.contains("deflate")
        else { return response }
        // Prefer gzip whenever it is accepted (the compressor alone picks deflate on a tie).
        var head = request
        if accepted.contains("gzip") { head.headers.replaceOrAdd(name: "Accept-Encoding", value: "gzip") }
        return (try? compress(response, for: head)) ?? response
    }

    private static func compress(_ response: HTTPResponse, for request: HTTPRequestHead) throws -> HTTPResponse {
        let channel = EmbeddedChannel(handler: HTTPResponseCompressor())
        defer { _ = try? channel.finish() }
        try channel.writeInbound(HTTPServerRequestPart.head(request))
        var head = HTTPResponseHead(version: request.version, status: response.status, headers: response.headers)
        head.headers.replaceOrAdd(name: "Content-Length", value: String(response.body.readableBytes))
        try channel.writeOutbound(HTTPServerResponsePart.head(head))
        try channel.writeOutbound(HTTPServerResponsePart.body(.byteBuffer(response.body)))
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        var result = HTTPResponse(status: response.status, headers: response.headers)
        var body = ByteBuffer()
        while let part = try channel.readOutbound(as: HTTPServerResponsePart.self) {
            switch part {
            case .head(let compressedHead):
                result.headers = compressedHead.headers
            case .body(.byteBuffer(var buffer)):
                body.writeBuffer(&buffer)
            case .body(.fileRegion), .end:
                break
            }
        }
        result.body = body
        return result
    }
}
