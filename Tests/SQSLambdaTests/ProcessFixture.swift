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

    /// Whether `pid` is a live process (a zombie waiting to be reaped has ended).
    static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else {
            return false
        }
        return stat[close...].dropFirst(2).first != "Z"
    }

    /// The live processes of process group `group`.
    static func members(ofGroup group: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            let fields = stat[close...].dropFirst(2).split(separator: " ")
            return fields.count > 2 && fields[0] != "Z" && Int32(fields[2]) == group ? pid : nil
        }
    }

    /// Waits until `condition` holds (a killed process takes a moment to die), at most `limit`.
    static func waitUntil(_ limit: Duration = .seconds(10), _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while !condition() {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }
}
