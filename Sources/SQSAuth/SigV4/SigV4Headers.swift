/// The headers of a request, as SigV4 reads them.
///
/// The HTTP layer conforms its own header type (sqslite's server conforms NIO's `HTTPHeaders`), so
/// nothing is copied to verify a request.
public protocol SigV4Headers {
    /// Every value of the header `name` (given in lower case; matched case-insensitively), in the
    /// order received.
    func sigV4Values(_ name: String) -> [String]

    /// The first value of the header `name` (lower case), if any.
    func sigV4First(_ name: String) -> String?
}

extension SigV4Headers {
    public func sigV4First(_ name: String) -> String? {
        sigV4Values(name).first
    }
}
