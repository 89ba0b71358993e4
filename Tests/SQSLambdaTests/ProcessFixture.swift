import FoundationEssentials
import Foundation
import Logging
import SQSEngine
import SQSLambda
import Testing

/// Helpers for the process-function tests: a runtime script in a temporary folder, invocations,
/// and reading JSON results.
enum ProcessFixture {
    static let silentLogger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Writes `files` (name → contents) into a new temporary folder and returns its path.
    static func folder(_ files: [String: String]) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sqslite-runtime-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, contents) in files {
            let path = folder + "/" + name
            #expect(FileManager.default.createFile(atPath: path, contents: Data(contents.utf8)))
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }
        return folder
    }

    static func invocation(_ event: String, id: String = UUID().uuidString.lowercased()) -> Invocation {
        Invocation(
            requestID: id, payload: Array(event.utf8), deadlineMilliseconds: 1_700_000_000_000,
            functionArn: "arn:aws:lambda:us-east-1:000000000000:function:echo", traceID: "Root=1-abc-def;Sampled=0")
    }

    /// The fields of a successful JSON-object result (records an issue otherwise).
    static func json(_ outcome: InvocationOutcome) throws -> [String: JSONValue] {
        guard case .success(let bytes) = outcome.result,
            case .object(let fields) = try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        else {
            Issue.record("expected a JSON object, got \(outcome.result) with log \(outcome.logLines)")
            return [:]
        }
        return fields
    }
}
