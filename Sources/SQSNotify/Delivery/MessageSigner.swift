import Crypto
import CryptoExtras
import Foundation
import SwiftASN1
import Synchronization
import X509

/// Signs SNS messages as SNS does (RSA over the canonical string: SHA1 for `SignatureVersion`
/// 1, SHA256 for 2), with a key pair made on first use, and serves the self-signed certificate
/// that `SigningCertURL` points to, so a subscriber can check signatures as it would on AWS
/// (trusting sqslite's certificate instead of Amazon's).
public final class MessageSigner: Sendable {
    /// The path of the certificate on sqslite's port.
    public static let certificatePath = "/_aws/sns/SimpleNotificationService-sqslite.pem"

    private struct Material: Sendable {
        var key: _RSA.Signing.PrivateKey
        var certificatePEM: String
    }

    private let material = Mutex<Material?>(nil)

    /// Creates a signer; the key pair is made on first use.
    public init() {}

    /// The certificate, PEM-encoded.
    public var certificatePEM: String {
        load()?.certificatePEM ?? ""
    }

    /// `SigningCertURL`.
    func certificateURL(_ links: SNSLinks) -> String {
        links.baseURL + Self.certificatePath
    }

    /// The base64 signature of `canonical`: SHA1 for version `1`, SHA256 for `2`.
    func sign(_ canonical: String, version: String) -> String {
        guard let key = load()?.key else { return "" }
        let data = Data(canonical.utf8)
        let signature =
            version == "2"
            ? try? key.signature(for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5)
            : try? key.signature(for: Insecure.SHA1.hash(data: data), padding: .insecurePKCS1v1_5)
        return signature?.rawRepresentation.base64EncodedString() ?? ""
    }

    private func load() -> Material? {
        material.withLock { material in
            if let material { return material }
            guard let key = try? _RSA.Signing.PrivateKey(keySize: .bits2048),
                let name = try? DistinguishedName(builder: { CommonName("sns.sqslite.localhost") }),
                let certificate = try? Certificate(
                    version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(key.publicKey),
                    notValidBefore: Date().addingTimeInterval(-3600), notValidAfter: Date().addingTimeInterval(86_400 * 365 * 10),
                    issuer: name, subject: name, extensions: Certificate.Extensions(), issuerPrivateKey: Certificate.PrivateKey(key)),
                let pem = try? certificate.serializeAsPEM().pemString
            else { return nil }
            material = Material(key: key, certificatePEM: pem)
            return material
        }
    }
}
