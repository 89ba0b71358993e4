import Foundation
import Logging
import SQSStore
import Synchronization
import Testing

@testable import SQSLogs

@Suite("LogStore")
struct LogStoreTests {
    static let now: Int64 = 1_700_000_000_000

    private func service(path: String? = nil) throws -> LogsService {
        LogsService(store: try LogStore(path: path, logger: Logger(label: "test"), now: { Self.now }), region: "us-east-1", account: "000000000000")
    }

    private func call(_ service: LogsService, _ operation: String, _ json: String) async -> (Int, [String: Any]) {
        let (status, text) = await service.handle(operation: operation, body: Array(json.utf8))
        let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
        return (status, object)
    }

    @Test("groups and streams: create, duplicate, describe, missing")
    func groupsAndStreams() async throws {
        let logs = try service()
        #expect(await call(logs, "CreateLogGroup", #"{"logGroupName":"/app/a"}"#).0 == 200)
        let duplicate = await call(logs, "CreateLogGroup", #"{"logGroupName":"/app/a"}"#)
        #expect(duplicate.0 == 400 && duplicate.1["__type"] as? String == "ResourceAlreadyExistsException")
        let missing = await call(logs, "CreateLogStream", #"{"logGroupName":"nope","logStreamName":"s"}"#)
        #expect(missing.1["__type"] as? String == "ResourceNotFoundException")
        #expect(missing.1["message"] as? String == "The specified log group does not exist.")
        #expect(await call(logs, "CreateLogGroup", #"{"logGroupName":"/app/b"}"#).0 == 200)
        let page = await call(logs, "DescribeLogGroups", #"{"logGroupNamePrefix":"/app/","limit":1}"#)
        let groups = try #require(page.1["logGroups"] as? [[String: Any]])
        #expect(groups.first?["logGroupName"] as? String == "/app/a")
        #expect(groups.first?["arn"] as? String == "arn:aws:logs:us-east-1:000000000000:log-group:/app/a:*")
        let token = try #require(page.1["nextToken"] as? String)
        let next = await call(logs, "DescribeLogGroups", #"{"logGroupNamePrefix":"/app/","nextToken":"\#(token)"}"#)
        #expect((next.1["logGroups"] as? [[String: Any]])?.first?["logGroupName"] as? String == "/app/b")
        #expect(next.1["nextToken"] == nil)
    }

    @Test("PutLogEvents rejects unsorted batches and reports too old and too new events")
    func put() async throws {
        let logs = try service()
        _ = await call(logs, "CreateLogGroup", #"{"logGroupName":"g"}"#)
        _ = await call(logs, "CreateLogStream", #"{"logGroupName":"g","logStreamName":"s"}"#)
        let unsorted = await call(logs, "PutLogEvents", #"{"logGroupName":"g","logStreamName":"s","logEvents":[{"timestamp":\#(Self.now),"message":"b"},{"timestamp":\#(Self.now - 1),"message":"a"}]}"#)
        #expect(unsorted.1["message"] as? String == "Log events in a single PutLogEvents request must be in chronological order.")
        let old = Self.now - 15 * 86_400_000
        let future = Self.now + 3 * 3_600_000
        let mixed = await call(logs, "PutLogEvents", #"{"logGroupName":"g","logStreamName":"s","logEvents":[{"timestamp":\#(old),"message":"old"},{"timestamp":\#(Self.now),"message":"ok"},{"timestamp":\#(future),"message":"new"}]}"#)
        let info = try #require(mixed.1["rejectedLogEventsInfo"] as? [String: Any])
        #expect(info["tooOldLogEventEndIndex"] as? Int == 1)
        #expect(info["tooNewLogEventStartIndex"] as? Int == 2)
        let events = await call(logs, "GetLogEvents", #"{"logGroupName":"g","logStreamName":"s","startFromHead":true}"#)
        #expect((events.1["events"] as? [[String: Any]])?.map { $0["message"] as? String } == ["ok"])
    }

    @Test("PutLogEvents refuses a timestamp that is not a whole number of safe size, and goes on serving")
    func putTimestampOutOfRange() async throws {
        let logs = try service()
        _ = await call(logs, "CreateLogGroup", #"{"logGroupName":"g"}"#)
        _ = await call(logs, "CreateLogStream", #"{"logGroupName":"g","logStreamName":"s"}"#)
        // 1e300 once trapped converting to Int64 and stopped the server.
        for timestamp in ["1e300", "-1e300", "9.1e15", "1700000000000.5"] {
            let refused = await call(logs, "PutLogEvents", #"{"logGroupName":"g","logStreamName":"s","logEvents":[{"timestamp":\#(timestamp),"message":"x"}]}"#)
            #expect(refused.0 == 400, "\(timestamp)")
            #expect(refused.1["__type"] as? String == "InvalidParameterException")
            #expect(refused.1["message"] as? String == "Value for 'timestamp' must be an integer.")
        }
        let accepted = await call(logs, "PutLogEvents", #"{"logGroupName":"g","logStreamName":"s","logEvents":[{"timestamp":\#(Self.now),"message":"ok"}]}"#)
        #expect(accepted.0 == 200)
    }

    @Test("GetLogEvents pages forward and backward and hands back the same token at the end")
    func paging() async throws {
        let logs = try service()
        _ = await call(logs, "CreateLogGroup", #"{"logGroupName":"g"}"#)
        _ = await call(logs, "CreateLogStream", #"{"logGroupName":"g","logStreamName":"s"}"#)
        let batch = (0..<5).map { #"{"timestamp":\#(Self.now + Int64($0)),"message":"m\#($0)"}"# }.joined(separator: ",")
        _ = await call(logs, "PutLogEvents", #"{"logGroupName":"g","logStreamName":"s","logEvents":[\#(batch)]}"#)
        var messages: [String] = []
        var token: String? = nil
        while true {
            let body = token.map { #"{"logGroupName":"g","logStreamName":"s","startFromHead":true,"limit":2,"nextToken":"\#($0)"}"# }
                ?? #"{"logGroupName":"g","logStreamName":"s","startFromHead":true,"limit":2}"#
            let page = await call(logs, "GetLogEvents", body)
            messages += (page.1["events"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
            let next = try #require(page.1["nextForwardToken"] as? String)
            if next == token { break }
            token = next
        }
        #expect(messages == ["m0", "m1", "m2", "m3", "m4"])
        var backward: [String] = []
        token = nil
        while true {
            let body = token.map { #"{"logGroupName":"g","logStreamName":"s","limit":2,"nextToken":"\#($0)"}"# }
                ?? #"{"logGroupName":"g","logStreamName":"s","limit":2}"#
            let page = await call(logs, "GetLogEvents", body)
            backward = (page.1["events"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String } + backward
            let next = try #require(page.1["nextBackwardToken"] as? String)
            if next == token { break }
            token = next
        }
        #expect(backward == ["m0", "m1", "m2", "m3", "m4"])
    }

    @Test("FilterLogEvents filters, pages with nextToken and survives reopening the file")
    func filterAndReopen() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("logs-\(UUID().uuidString).db").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let logs = try service(path: path)
            _ = await call(logs, "CreateLogGroup", #"{"logGroupName":"g"}"#)
            _ = await call(logs, "CreateLogStream", #"{"logGroupName":"g","logStreamName":"s"}"#)
            let batch = (0..<6).map { #"{"timestamp":\#(Self.now + Int64($0)),"message":"\#($0 % 2 == 0 ? "ERROR" : "INFO") \#($0)"}"# }
            _ = await call(logs, "PutLogEvents", #"{"logGroupName":"g","logStreamName":"s","logEvents":[\#(batch.joined(separator: ","))]}"#)
        }
        let logs = try service(path: path)
        let first = await call(logs, "FilterLogEvents", #"{"logGroupName":"g","filterPattern":"ERROR","limit":2}"#)
        #expect((first.1["events"] as? [[String: Any]])?.compactMap { $0["message"] as? String } == ["ERROR 0", "ERROR 2"])
        let token = try #require(first.1["nextToken"] as? String)
        let second = await call(logs, "FilterLogEvents", #"{"logGroupName":"g","filterPattern":"ERROR","limit":2,"nextToken":"\#(token)"}"#)
        #expect((second.1["events"] as? [[String: Any]])?.compactMap { $0["message"] as? String } == ["ERROR 4"])
        #expect(second.1["nextToken"] == nil)
        let bad = await call(logs, "PutRetentionPolicy", #"{"logGroupName":"g","retentionInDays":2}"#)
        #expect(bad.1["__type"] as? String == "InvalidParameterException")
        #expect(await call(logs, "PutRetentionPolicy", #"{"logGroupName":"g","retentionInDays":1}"#).0 == 200)
    }

    @Test("tags by group name and by ARN")
    func tags() async throws {
        let logs = try service()
        _ = await call(logs, "CreateLogGroup", #"{"logGroupName":"g","tags":{"a":"1"}}"#)
        _ = await call(logs, "TagResource", #"{"resourceArn":"arn:aws:logs:us-east-1:000000000000:log-group:g","tags":{"b":"2"}}"#)
        _ = await call(logs, "UntagResource", #"{"resourceArn":"arn:aws:logs:us-east-1:000000000000:log-group:g:*","tagKeys":["a"]}"#)
        let tags = await call(logs, "ListTagsLogGroup", #"{"logGroupName":"g"}"#)
        #expect(tags.1["tags"] as? [String: String] == ["b": "2"])
    }

    @Test("appended lines keep their order, get timestamps that never go back, and create their group and stream")
    func appendedLines() async throws {
        let clock = Mutex<Int64>(Self.now)
        let store = try LogStore(path: nil, logger: Logger(label: "test"), now: { clock.withLock { $0 } })
        let logs = LogsService(store: store, region: "us-east-1", account: "000000000000")
        store.append(group: "/aws/lambda/f", stream: "s1", lines: ["a", "b"])
        clock.withLock { $0 -= 5_000 }  // the wall clock steps back
        store.append(group: "/aws/lambda/f", stream: "s2", lines: ["c"])
        clock.withLock { $0 += 10_000 }
        store.append(group: "/aws/lambda/f", stream: "s1", lines: ["d"])
        await store.flush()
        let page = await call(logs, "FilterLogEvents", #"{"logGroupName":"/aws/lambda/f"}"#)
        let events = try #require(page.1["events"] as? [[String: Any]])
        #expect(events.compactMap { $0["message"] as? String } == ["a", "b", "c", "d"])
        #expect(events.compactMap { $0["timestamp"] as? Int64 } == [Self.now, Self.now, Self.now, Self.now + 5_000])
        #expect(events.compactMap { $0["logStreamName"] as? String } == ["s1", "s1", "s2", "s1"])
        let ids = events.compactMap { $0["eventId"] as? String }
        #expect(ids == ids.sorted() && Set(ids).count == 4)
        let streams = await call(logs, "DescribeLogStreams", #"{"logGroupName":"/aws/lambda/f"}"#)
        let s1 = try #require((streams.1["logStreams"] as? [[String: Any]])?.first)
        #expect(s1["firstEventTimestamp"] as? Int64 == Self.now && s1["lastEventTimestamp"] as? Int64 == Self.now + 5_000)
    }

    @Test("the default retention bounds the server's own groups without a policy, and only those")
    func defaultRetention() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("logs-\(UUID().uuidString).db").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let clock = Mutex<Int64>(Self.now)
        let now: @Sendable () -> Int64 = { clock.withLock { $0 } }
        do {
            let store = try LogStore(path: path, logger: Logger(label: "test"), defaultRetentionDays: 1, now: now)
            let logs = LogsService(store: store, region: "us-east-1", account: "000000000000")
            store.append(group: "/aws/lambda/f", stream: "s", lines: ["old"])
            store.append(group: "/sqslite/orders", stream: "s", lines: ["old"])
            await store.flush()
            _ = await call(logs, "CreateLogGroup", #"{"logGroupName":"/app/mine"}"#)
            _ = await call(logs, "CreateLogStream", #"{"logGroupName":"/app/mine","logStreamName":"s"}"#)
            _ = await call(logs, "PutLogEvents", #"{"logGroupName":"/app/mine","logStreamName":"s","logEvents":[{"timestamp":\#(Self.now),"message":"old"}]}"#)
            _ = await call(logs, "CreateLogGroup", #"{"logGroupName":"/aws/lambda/kept"}"#)
            _ = await call(logs, "PutRetentionPolicy", #"{"logGroupName":"/aws/lambda/kept","retentionInDays":30}"#)
            _ = await call(logs, "CreateLogStream", #"{"logGroupName":"/aws/lambda/kept","logStreamName":"s"}"#)
            _ = await call(logs, "PutLogEvents", #"{"logGroupName":"/aws/lambda/kept","logStreamName":"s","logEvents":[{"timestamp":\#(Self.now),"message":"old"}]}"#)
            let groups = await call(logs, "DescribeLogGroups", "{}")
            let retention = Dictionary(
                uniqueKeysWithValues: (groups.1["logGroups"] as? [[String: Any]] ?? []).map { ($0["logGroupName"] as? String ?? "", $0["retentionInDays"] as? Int) })
            #expect(retention == ["/aws/lambda/f": 1, "/aws/lambda/kept": 30, "/sqslite/orders": 1, "/app/mine": nil])
        }
        // Two days later, on the next start: the server's groups without a policy lost their events.
        clock.withLock { $0 += 2 * 86_400_000 }
        let store = try LogStore(path: path, logger: Logger(label: "test"), defaultRetentionDays: 1, now: now)
        let count = try await store.perform { database in
            try database.connection.queryInt64("SELECT COUNT(*) FROM log_events WHERE group_name IN ('/aws/lambda/f', '/sqslite/orders')")
        }
        #expect(count == 0)
        let logs = LogsService(store: store, region: "us-east-1", account: "000000000000")
        for group in ["/app/mine", "/aws/lambda/kept"] {
            let events = await call(logs, "FilterLogEvents", #"{"logGroupName":"\#(group)"}"#)
            #expect((events.1["events"] as? [[String: Any]])?.count == 1, "\(group) keeps its event")
        }
    }
}
