import Logging
import NIOCore
import SQSHTTP
import SQSServer
import Testing

/// `sqslite serve`'s HTTP options reach the server.
@Suite("ServerOptions → HTTP")
struct ServerOptionsHTTPTests {
    @Test func defaultsComeFromTheHTTPConfiguration() {
        let configuration = ServerOptions().httpConfiguration
        #expect(configuration.maxRequestBodySize == HTTPServerConfiguration.defaultMaxRequestBodySize)
        #expect(configuration.idleTimeout == .seconds(Int64(HTTPServerConfiguration.defaultIdleTimeoutSeconds)))
        #expect(configuration.requestTimeout == .seconds(Int64(HTTPServerConfiguration.defaultRequestTimeoutSeconds)))
        #expect(configuration.maxConnections == HTTPServerConfiguration.defaultMaxConnections)
        #expect(configuration.allowedHosts == HTTPHostAllowList())
    }

    @Test func zeroTimeoutsMeanNoLimitAndTheRestIsPassedOn() {
        var options = ServerOptions(host: "0.0.0.0", port: 0)
        options.requestTimeout = 0
        options.idleTimeout = 5
        options.maxConnections = 7
        options.maxRequestSize = 1024
        options.allowedHosts = ["sqslite"]
        let configuration = options.httpConfiguration
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.requestTimeout == nil)
        #expect(configuration.idleTimeout == .seconds(5))
        #expect(configuration.maxConnections == 7)
        #expect(configuration.maxRequestBodySize == 1024)
        #expect(configuration.allowedHosts.allows(host: "sqslite:9324"))
    }

    @Test func aContainerNameIsAnsweredOnlyWhenAllowed() async throws {
        var options = ServerOptions(port: 0, inMemory: true)
        options.allowedHosts = ["sqslite"]
        let server = SQSLiteServer(options: options, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            let port = try #require(await server.boundPort)
            try await withConnection(port: port) { connection in
                try await connection.send("GET /health HTTP/1.1\r\nHost: sqslite:9324\r\n\r\n")
                #expect(try await connection.readResponse()?.status == 200)
                try await connection.send("GET /health HTTP/1.1\r\nHost: rebound.example\r\n\r\n")
                let refused = try #require(try await connection.readResponse())
                #expect(refused.status == 403)
                #expect(refused.body.contains("--allowed-host rebound.example"))
            }
            group.cancelAll()
        }
    }
}
