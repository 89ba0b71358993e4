import NIOHTTP1
import SQSHTTP

extension LambdaAPIResponder {
    /// The IAM action and resource of a Lambda API request, for `--auth`: `lambda:InvokeFunction`
    /// on the function's ARN, `lambda:GetEventSourceMapping` on
    /// `arn:aws:lambda:<region>:<account>:event-source-mapping:<uuid>`, the list and create
    /// actions on `*`. `nil` for a route the API does not serve (it answers 404 anyway).
    public func permission(method: HTTPMethod, uri: String) -> (action: String, resource: String)? {
        let path = uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? uri
        let segments = path.dropFirst(Self.prefix.count).split(separator: "/").map(String.init)
        func mapping(_ uuid: String) -> String { "arn:aws:lambda:\(invoker.region):\(invoker.account):event-source-mapping:\(uuid)" }
        func function(_ name: String) -> String {
            functionArn(EventSourceMappingManager.functionName(from: FormEncoding.percentDecoded(Substring(name), plusAsSpace: false)))
        }
        switch (method, segments.first, segments.count) {
        case (.POST, "event-source-mappings", 1): return ("lambda:CreateEventSourceMapping", "*")
        case (.GET, "event-source-mappings", 1): return ("lambda:ListEventSourceMappings", "*")
        case (.GET, "event-source-mappings", 2): return ("lambda:GetEventSourceMapping", mapping(segments[1]))
        case (.PUT, "event-source-mappings", 2): return ("lambda:UpdateEventSourceMapping", mapping(segments[1]))
        case (.DELETE, "event-source-mappings", 2): return ("lambda:DeleteEventSourceMapping", mapping(segments[1]))
        case (.GET, "functions", 1): return ("lambda:ListFunctions", "*")
        case (.GET, "functions", 2): return ("lambda:GetFunction", function(segments[1]))
        case (.POST, "functions", 3) where segments[2] == "invocations": return ("lambda:InvokeFunction", function(segments[1]))
        default: return nil
        }
    }
}
