import Foundation
import SQSEngine

/// The CloudWatch Logs API (JSON 1.1, `X-Amz-Target: Logs_20140328.<Operation>`) over a
/// ``LogStore``: decodes the request body, runs the operation, encodes the answer.
///
/// Transport-free: ``handle(operation:body:)`` returns the status and JSON text, and the server's
/// router wraps them in HTTP.
public struct LogsService: Sendable {
    /// The `X-Amz-Target` prefix of every Logs operation.
    public static let targetPrefix = "Logs_20140328."
    /// The content type of requests and answers.
    public static let contentType = "application/x-amz-json-1.1"

    let store: LogStore
    let region: String
    let account: String

    public init(store: LogStore, region: String, account: String) {
        self.store = store
        self.region = region
        self.account = account
    }

    /// Answers one operation: `(200, result)` or `(400, {"__type": …, "message": …})`.
    public func handle(operation: String, body: [UInt8]) async -> (status: Int, json: String) {
        do throws(LogsError) {
            let input: [String: JSONValue]
            if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
                input = [:]
            } else if case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(body)) {
                input = object
            } else {
                throw LogsError(type: "SerializationException", message: "The request body is not a JSON object.")
            }
            let output = try await run(operation, LogsRequest(input))
            return (200, Self.encode(.object(output)))
        } catch {
            return (400, Self.encode(.object(["__type": .string(error.type), "message": .string(error.message)])))
        }
    }

    static func encode(_ value: JSONValue) -> String {
        (try? JSONEncoder().encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// `arn:aws:logs:<region>:<account>:log-group:<name>` (Describe adds `:*`).
    func arn(_ group: String) -> String {
        "arn:aws:logs:\(region):\(account):log-group:\(group)"
    }

    /// The group name of a log group ARN (with or without the trailing `:*`).
    static func groupName(arn: String) -> String? {
        guard let range = arn.range(of: ":log-group:"), arn.hasPrefix("arn:") else { return nil }
        let name = arn[range.upperBound...]
        return String(name.hasSuffix(":*") ? name.dropLast(2) : name)
    }
}
