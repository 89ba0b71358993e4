import Foundation
import SQSEngine

extension LogsService {
    /// Runs one operation and returns its result members.
    func run(_ operation: String, _ request: LogsRequest) async throws(LogsError) -> [String: JSONValue] {
        switch operation {
        case "CreateLogGroup":
            let name = try request.required("logGroupName")
            let tags = request.tags("tags") ?? [:]
            try await store.perform { try $0.createGroup(name, tags: tags) }
            return [:]
        case "DeleteLogGroup":
            let name = try request.required("logGroupName")
            try await store.perform { try $0.deleteGroup(name) }
            return [:]
        case "DescribeLogGroups":
            let prefix = request.string("logGroupNamePrefix")
            let limit = try request.limit(maximum: LogsLimits.maxDescribePage)
            let offset = try request.offset()
            let groups = try await store.perform { try $0.groups(prefix: prefix) }
            let page = groups.dropFirst(offset).prefix(limit)
            var output: [String: JSONValue] = ["logGroups": .array(page.map(describe))]
            if offset + page.count < groups.count { output["nextToken"] = .string(String(offset + page.count)) }
            return output
        case "CreateLogStream":
            let group = try request.required("logGroupName")
            let name = try request.required("logStreamName")
            try await store.perform { try $0.createStream(group: group, name: name) }
            return [:]
        case "DeleteLogStream":
            let group = try request.required("logGroupName")
            let name = try request.required("logStreamName")
            try await store.perform { try $0.deleteStream(group: group, name: name) }
            return [:]
        case "DescribeLogStreams":
            return try await describeStreams(request)
        case "PutLogEvents":
            return try await putEvents(request)
        case "GetLogEvents":
            let group = try request.required("logGroupName")
            let stream = try request.required("logStreamName")
            let (start, end) = (try request.int("startTime"), try request.int("endTime"))
            let limit = try request.limit(maximum: LogsLimits.maxEventsPerPage)
            let token = request.string("nextToken")
            let head = request.bool("startFromHead") ?? false
            let page = try await store.perform {
                try $0.events(group: group, stream: stream, startTime: start, endTime: end, limit: limit, token: token, startFromHead: head)
            }
            return [
                "events": .array(page.events.map { .object(["timestamp": .number(Double($0.timestamp)), "message": .string($0.message), "ingestionTime": .number(Double($0.ingestionTime))]) }),
                "nextForwardToken": .string(page.nextForwardToken), "nextBackwardToken": .string(page.nextBackwardToken),
            ]
        case "FilterLogEvents":
            return try await filterEvents(request)
        case "PutRetentionPolicy":
            let name = try request.required("logGroupName")
            guard let days = try request.int("retentionInDays") else { throw LogsError.missing("retentionInDays") }
            try await store.perform { try $0.setRetention(name, days: Int(days)) }
            return [:]
        case "DeleteRetentionPolicy":
            let name = try request.required("logGroupName")
            try await store.perform { try $0.setRetention(name, days: nil) }
            return [:]
        case "TagLogGroup", "UntagLogGroup", "ListTagsLogGroup":
            let name = try request.required("logGroupName")
            return try await tagOperation(operation, group: name, request)
        case "TagResource", "UntagResource", "ListTagsForResource":
            let arn = try request.required("resourceArn")
            guard let name = Self.groupName(arn: arn) else { throw LogsError.invalid("Invalid resource ARN: \(arn)") }
            return try await tagOperation(operation, group: name, request)
        default:
            throw LogsError.unknownOperation(operation)
        }
    }

    private func describe(_ group: LogGroup) -> JSONValue {
        var object: [String: JSONValue] = [
            "logGroupName": .string(group.name), "creationTime": .number(Double(group.creationTime)), "metricFilterCount": .number(0),
            "arn": .string(arn(group.name) + ":*"), "logGroupArn": .string(arn(group.name)), "storedBytes": .number(0),
            "logGroupClass": .string("STANDARD"),
        ]
        if let days = group.retentionInDays { object["retentionInDays"] = .number(Double(days)) }
        return .object(object)
    }

    private func describeStreams(_ request: LogsRequest) async throws(LogsError) -> [String: JSONValue] {
        let group = try request.required("logGroupName")
        let prefix = request.string("logStreamNamePrefix")
        let byTime = request.string("orderBy") == "LastEventTime"
        if let order = request.string("orderBy"), order != "LogStreamName", order != "LastEventTime" {
            throw LogsError.invalid("1 validation error detected: Value '\(order)' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value set: [LogStreamName, LastEventTime]")
        }
        if byTime, prefix != nil { throw LogsError.orderByWithPrefix }
        let descending = request.bool("descending") ?? false
        let limit = try request.limit(maximum: LogsLimits.maxDescribePage)
        let offset = try request.offset()
        var streams = try await store.perform { database in
            guard try database.group(group) != nil else { throw LogsError.groupNotFound }
            return try database.streams(group: group)
        }
        if let prefix { streams = streams.filter { $0.name.hasPrefix(prefix) } }
        if byTime { streams.sort { ($0.lastEventTimestamp ?? $0.creationTime, $0.name) < ($1.lastEventTimestamp ?? $1.creationTime, $1.name) } }
        if descending { streams.reverse() }
        let page = streams.dropFirst(offset).prefix(limit)
        var output: [String: JSONValue] = [
            "logStreams": .array(
                page.map { stream in
                    var object: [String: JSONValue] = [
                        "logStreamName": .string(stream.name), "creationTime": .number(Double(stream.creationTime)),
                        "arn": .string("\(arn(group)):log-stream:\(stream.name)"), "storedBytes": .number(0),
                    ]
                    if let value = stream.firstEventTimestamp { object["firstEventTimestamp"] = .number(Double(value)) }
                    if let value = stream.lastEventTimestamp { object["lastEventTimestamp"] = .number(Double(value)) }
                    if let value = stream.lastIngestionTime { object["lastIngestionTime"] = .number(Double(value)) }
                    return .object(object)
                })
        ]
        if offset + page.count < streams.count { output["nextToken"] = .string(String(offset + page.count)) }
        return output
    }

    private func putEvents(_ request: LogsRequest) async throws(LogsError) -> [String: JSONValue] {
        let group = try request.required("logGroupName")
        let stream = try request.required("logStreamName")
        guard case .array(let items)? = request.members["logEvents"] else { throw LogsError.missing("logEvents") }
        var events: [InputLogEvent] = []
        for item in items {
            guard case .object(let object) = item, let message = object["message"]?.stringValue,
                case .number(let timestamp)? = object["timestamp"]
            else { throw LogsError.invalid("Each log event needs a timestamp and a message.") }
            events.append(InputLogEvent(timestamp: try LogsRequest.integer(timestamp, name: "timestamp"), message: message))
        }
        let batch = events
        let rejected = try await store.perform { try $0.put(group: group, stream: stream, events: batch) }
        var output: [String: JSONValue] = ["nextSequenceToken": .string("49039859\(Int64(Date.now.timeIntervalSince1970 * 1000))")]
        if !rejected.isEmpty {
            var info: [String: JSONValue] = [:]
            if let index = rejected.tooNewStartIndex { info["tooNewLogEventStartIndex"] = .number(Double(index)) }
            if let index = rejected.tooOldEndIndex { info["tooOldLogEventEndIndex"] = .number(Double(index)) }
            if let index = rejected.expiredEndIndex { info["expiredLogEventEndIndex"] = .number(Double(index)) }
            output["rejectedLogEventsInfo"] = .object(info)
        }
        return output
    }

    private func filterEvents(_ request: LogsRequest) async throws(LogsError) -> [String: JSONValue] {
        let group = try request.required("logGroupName")
        let names = request.strings("logStreamNames")
        let prefix = request.string("logStreamNamePrefix")
        if names != nil, prefix != nil { throw LogsError.streamNamesWithPrefix }
        let (start, end) = (try request.int("startTime"), try request.int("endTime"))
        let limit = try request.limit(maximum: LogsLimits.maxEventsPerPage)
        let token = request.string("nextToken")
        let patternText = request.string("filterPattern") ?? ""
        guard let pattern = FilterPattern(patternText) else { throw LogsError.invalidFilterPattern(patternText) }
        let page = try await store.perform {
            try $0.filter(group: group, streams: names, prefix: prefix, startTime: start, endTime: end, pattern: pattern, limit: limit, token: token)
        }
        var output: [String: JSONValue] = [
            "events": .array(
                page.events.map {
                    .object([
                        "logStreamName": .string($0.streamName), "timestamp": .number(Double($0.timestamp)), "message": .string($0.message),
                        "ingestionTime": .number(Double($0.ingestionTime)), "eventId": .string($0.eventID),
                    ])
                }),
            "searchedLogStreams": .array([]),
        ]
        if let next = page.nextToken { output["nextToken"] = .string(next) }
        return output
    }

    private func tagOperation(_ operation: String, group: String, _ request: LogsRequest) async throws(LogsError) -> [String: JSONValue] {
        let add = request.tags("tags") ?? [:]
        let remove = request.strings("tagKeys") ?? request.strings("tags") ?? []
        let tags = try await store.perform { database in
            var tags = try database.tags(group)
            switch operation {
            case "TagLogGroup", "TagResource":
                tags.merge(add) { _, new in new }
                try database.setTags(group, tags)
            case "UntagLogGroup", "UntagResource":
                for key in remove { tags[key] = nil }
                try database.setTags(group, tags)
            default:
                break
            }
            return tags
        }
        return operation.hasPrefix("List") ? ["tags": .object(tags.mapValues { .string($0) })] : [:]
    }
}
