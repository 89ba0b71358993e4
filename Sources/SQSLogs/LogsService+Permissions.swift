import Foundation
import SQSEngine

extension LogsService {
    /// The IAM action and resource of a Logs request, for `--auth`: `logs:<Operation>` on the log
    /// stream's ARN (`…:log-group:<group>:log-stream:<stream>`), or on the group's with an empty
    /// stream (`…:log-group:<group>:log-stream:`), as CloudWatch Logs names them in denials.
    public func permission(operation: String, body: UnsafeRawBufferPointer) -> (action: String, resource: String) {
        var group = ""
        var stream = ""
        if case .object(let input)? = try? JSONDecoder().decode(JSONValue.self, from: Data(body)) {
            group = input["logGroupName"]?.stringValue ?? input["logGroupIdentifier"]?.stringValue.flatMap(Self.groupName(arn:)) ?? ""
            if group.isEmpty, let identifier = input["logGroupIdentifier"]?.stringValue { group = identifier }
            stream = input["logStreamName"]?.stringValue ?? ""
        }
        return ("logs:\(operation)", "arn:aws:logs:\(region):\(account):log-group:\(group):log-stream:\(stream)")
    }
}
