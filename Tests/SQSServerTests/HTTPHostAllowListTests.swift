import NIOCore
import NIOHTTP1
import Testing

@testable import SQSHTTP

@Suite("HTTPHostAllowList")
struct HTTPHostAllowListTests {
    @Test(arguments: [
        "localhost", "LOCALHOST:9324", "localhost.", "api.localhost", "a.b.localhost:80",
        "127.0.0.1", "127.0.0.1:9324", "10.1.2.3", "172.17.0.2:9324", "[::1]", "[::1]:9324", "[fe80::1]",
    ])
    func allowsLocalNamesAndIPLiteralsByDefault(host: String) {
        #expect(HTTPHostAllowList().allows(host: host))
    }

    @Test(arguments: [
        "evil.example", "evil.example:9324", "localhost.evil.example", "127.0.0.1.nip.io", "sqslite",
        "[evil]", "[::1]x", "localhost:abc", "127.1", "", "::1", "local host",
    ])
    func refusesDomainNamesAndMalformedValues(host: String) {
        #expect(!HTTPHostAllowList().allows(host: host))
    }

    @Test func addedNamesAndWildcardsAreAllowed() {
        let hosts = HTTPHostAllowList(["sqslite", " Queues.Internal ", "*.corp.example", "other:4566"])
        #expect(hosts.allows(host: "sqslite"))
        #expect(hosts.allows(host: "SQSLITE:9324"))
        #expect(hosts.allows(host: "queues.internal"))
        #expect(hosts.allows(host: "a.corp.example:1"))
        #expect(hosts.allows(host: "other"))
        #expect(!hosts.allows(host: "corp.example"))
        #expect(!hosts.allows(host: "sqslite.evil.example"))
        #expect(!hosts.allowsAnyHost)
    }

    @Test func aStarAllowsEveryHost() {
        let hosts = HTTPHostAllowList(["*"])
        #expect(hosts.allowsAnyHost)
        #expect(hosts.allows(host: "evil.example"))
    }

    @Test func theRefusalNamesTheOptionThatAllowsTheHost() {
        let response = HTTPHostAllowList().forbiddenResponse(host: "evil.example:9324")
        #expect(response.status == .forbidden)
        let text = String(buffer: response.body)
        #expect(text.contains("Host 'evil.example:9324' is not allowed"))
        #expect(text.contains("--allowed-host evil.example "))
        #expect(text.contains("SQSLITE_ALLOWED_HOSTS=evil.example"))
    }
}
