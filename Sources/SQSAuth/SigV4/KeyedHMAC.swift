import Crypto

/// HMAC-SHA256 under a fixed signing key, with the key's inner and outer pads already hashed, so a
/// request's signature costs two SHA-256 blocks beyond its string to sign (RFC 2104; the SigV4
/// signing key is 32 bytes, shorter than SHA-256's 64-byte block).
struct KeyedHMAC: Sendable {
    private let inner: SHA256
    private let outer: SHA256

    /// Prepares the pads of a key of at most 64 bytes.
    init(key: SymmetricKey) {
        var block = [UInt8](repeating: 0, count: 64)
        key.withUnsafeBytes { bytes in
            precondition(bytes.count <= block.count, "a SigV4 signing key is 32 bytes")
            for index in 0..<bytes.count { block[index] = bytes[index] }
        }
        var inner = SHA256()
        var outer = SHA256()
        inner.update(data: block.map { $0 ^ 0x36 })
        outer.update(data: block.map { $0 ^ 0x5C })
        self.inner = inner
        self.outer = outer
    }

    /// The authentication code of a message.
    func code(_ message: UnsafeRawBufferPointer) -> SHA256Digest {
        var inner = self.inner
        inner.update(bufferPointer: message)
        var outer = self.outer
        inner.finalize().withUnsafeBytes { outer.update(bufferPointer: $0) }
        return outer.finalize()
    }
}
