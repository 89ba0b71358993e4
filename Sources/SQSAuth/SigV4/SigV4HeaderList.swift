/// A plain list of header fields, for tests and for signing requests in code.
public struct SigV4HeaderList: SigV4Headers, Sendable {
    /// The fields in order; names in any case.
    public var fields: [(name: String, value: String)]

    /// Creates a list.
    public init(_ fields: [(name: String, value: String)] = []) {
        self.fields = fields
    }

    public func sigV4Values(_ name: String) -> [String] {
        fields.filter { $0.name.lowercased() == name }.map(\.value)
    }
}
