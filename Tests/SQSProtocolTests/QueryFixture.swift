import Logging
import SQSEngine
import SQSProtocol
import Testing

/// A Query protocol handler over an in-memory engine on a manual clock.
struct QueryFixture {
    let engine: QueueEngine
    let handler: QueryProtocolHandler
    let clock = ManualClock()

    init() async throws {
        engine = QueueEngine(store: MemoryQueueStore(), clock: clock, logger: Logger(label: "test"))
        try await engine.start()
        handler = QueryProtocolHandler(engine: engine)
    }

    static let context = ProtocolFixture.context
    static let prolog = #"<?xml version="1.0"?>"#
    static let xmlns = #"xmlns="http://queue.amazonaws.com/doc/2012-11-05/""#

    /// Calls with the given parameters (`Action` included) and returns status and body.
    func call(_ parameters: [String: String], path: Substring = "/") async -> (status: Int, body: String) {
        let response = await handler.handle(parameters: QueryParameters(parameters), path: path, context: Self.context)
        #expect(response.contentType == "text/xml")
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }

    /// Calls an action that must succeed and returns its body.
    func ok(_ action: String, _ parameters: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation) async -> String {
        let result = await call(parameters.merging(["Action": action, "Version": "2012-11-05"]) { a, _ in a })
        #expect(result.status == 200, "\(action): \(result.body)", sourceLocation: sourceLocation)
        return result.body
    }

    /// The complete success document of an action around `result` (no `Result` element when `nil`).
    static func document(_ action: String, _ result: String?) -> String {
        let inner = result.map { "<\(action)Result>\($0)</\(action)Result>" } ?? ""
        return "\(prolog)<\(action)Response \(xmlns)>\(inner)<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></\(action)Response>"
    }

    /// Replaces the text of every `<name>` element with `name`, for values that are random.
    static func masking(_ xml: String, _ names: String...) -> String {
        var text = xml
        for name in names {
            var searchStart = text.startIndex
            while let open = text[searchStart...].firstRange(of: "<\(name)>"),
                let close = text[open.upperBound...].firstRange(of: "</\(name)>")
            {
                text.replaceSubrange(open.upperBound..<close.lowerBound, with: name)
                searchStart = text.index(open.upperBound, offsetBy: name.count)
            }
        }
        return text
    }
}
