import NIOHTTP1
import SQSAuth

/// NIO's headers read as SigV4 reads them (every value of a name, in order), without copying the request.
extension HTTPHeaders: SigV4Headers {
    public func sigV4Values(_ name: String) -> [String] {
        self[name]
    }

    public func sigV4First(_ name: String) -> String? {
        first(name: name)
    }

    public func sigV4ForEachValue(_ name: Substring, _ body: (String) -> Void) {
        for (field, value) in self where Self.sigV4NameMatches(field, name) { body(value) }
    }
}
