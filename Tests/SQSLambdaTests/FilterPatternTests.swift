import Testing

@testable import SQSLambda

/// The event filter with the examples AWS documents ("Amazon EventBridge event patterns", "Lambda
/// event filtering", "Filtering Amazon SQS messages").
@Suite("Event filter patterns")
struct FilterPatternTests {
    private func matches(_ pattern: String, _ event: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Bool {
        let compiled = try FilterPattern(pattern)
        guard case .object(let fields)? = FilterJSON.parse(event) else {
            Issue.record("the event is not a JSON object", sourceLocation: sourceLocation)
            return false
        }
        return compiled.matches(fields)
    }

    @Test func exactValuesAndOrWithinAList() throws {
        #expect(try matches(#"{"source": ["aws.ec2"]}"#, #"{"source": "aws.ec2"}"#))
        #expect(try !matches(#"{"source": ["aws.ec2"]}"#, #"{"source": "aws.s3"}"#))
        #expect(try matches(#"{"PaymentType": ["Credit", "Debit"]}"#, #"{"PaymentType": "Debit"}"#))
        #expect(try matches(#"{"Location": ["New York"], "Day": ["Monday"]}"#, #"{"Location": "New York", "Day": "Monday"}"#))
        #expect(try !matches(#"{"Location": ["New York"], "Day": ["Monday"]}"#, #"{"Location": "New York", "Day": "Tuesday"}"#))
        #expect(try matches(#"{"UserID": [null]}"#, #"{"UserID": null}"#))
        #expect(try !matches(#"{"UserID": [null]}"#, #"{"UserID": "u1"}"#))
        #expect(try matches(#"{"LastName": [""]}"#, #"{"LastName": ""}"#))
        #expect(try matches(#"{"flag": [true]}"#, #"{"flag": true}"#))
    }

    @Test func numbersMatchExactRulesByTheirText() throws {
        // Lambda: "300, 300.0, and 3.0e2 are not considered equal".
        #expect(try matches(#"{"a": [300]}"#, #"{"a": 300}"#))
        #expect(try !matches(#"{"a": [300]}"#, #"{"a": 300.0}"#))
        #expect(try !matches(#"{"a": [300]}"#, #"{"a": "300"}"#))
        #expect(try matches(#"{"a": [1, 2]}"#, #"{"a": 2}"#))
    }

    @Test func numericComparisonsAndRanges() throws {
        let range = #"{"Price": [{"numeric": [">", 10, "<=", 20]}]}"#
        #expect(try matches(range, #"{"Price": 20}"#))
        #expect(try matches(range, #"{"Price": 10.5}"#))
        #expect(try !matches(range, #"{"Price": 10}"#))
        #expect(try !matches(range, #"{"Price": "15"}"#))
        #expect(try matches(#"{"Price": [{"numeric": ["=", 100]}]}"#, #"{"Price": 100.0}"#))
        #expect(try matches(#"{"x-limit": [{"numeric": ["=", 3.018e2]}]}"#, #"{"x-limit": 301.8}"#))
        #expect(throws: FilterPattern.Invalid.self) { try FilterPattern(#"{"a": [{"numeric": [">", 5, ">", 1]}]}"#) }
        #expect(throws: FilterPattern.Invalid.self) { try FilterPattern(#"{"a": [{"numeric": [">", 5, "<", 1]}]}"#) }
        #expect(throws: FilterPattern.Invalid.self) { try FilterPattern(#"{"a": [{"numeric": ["!", 5]}]}"#) }
    }

    @Test func existsTestsLeavesOnly() throws {
        #expect(try matches(#"{"ProductName": [{"exists": true}]}"#, #"{"ProductName": "x"}"#))
        #expect(try !matches(#"{"ProductName": [{"exists": true}]}"#, #"{"Other": "x"}"#))
        #expect(try matches(#"{"ProductName": [{"exists": false}]}"#, #"{"Other": "x"}"#))
        #expect(try !matches(#"{"ProductName": [{"exists": false}]}"#, #"{"ProductName": "x"}"#))
        #expect(try matches(#"{"detail": {"c-count": [{"exists": false}]}}"#, #"{"source": "s"}"#))
        // An object is not a leaf.
        #expect(try !matches(#"{"detail": [{"exists": true}]}"#, #"{"detail": {"a": 1}}"#))
    }

    @Test func prefixSuffixAndIgnoringCase() throws {
        #expect(try matches(#"{"Region": [{"prefix": "us-"}]}"#, #"{"Region": "us-east-1"}"#))
        #expect(try !matches(#"{"Region": [{"prefix": "us-"}]}"#, #"{"Region": "eu-west-1"}"#))
        #expect(try matches(#"{"FileName": [{"suffix": ".png"}]}"#, #"{"FileName": "image.png"}"#))
        #expect(try matches(#"{"source": [{"prefix": {"equals-ignore-case": "EXAMPLE"}}]}"#, #"{"source": "example.service"}"#))
        #expect(try matches(#"{"FileName": [{"suffix": {"equals-ignore-case": ".PNG"}}]}"#, #"{"FileName": "a.png"}"#))
        #expect(try matches(#"{"detail-type": [{"equals-ignore-case": "ec2 instance state-change notification"}]}"#,
                            #"{"detail-type": "EC2 Instance State-change Notification"}"#))
        #expect(try !matches(#"{"Region": [{"prefix": "us-"}]}"#, #"{"Region": 5}"#))
    }

    @Test func anythingBut() throws {
        #expect(try matches(#"{"Weather": [{"anything-but": ["Raining"]}]}"#, #"{"Weather": "Sunny"}"#))
        #expect(try !matches(#"{"Weather": [{"anything-but": ["Raining"]}]}"#, #"{"Weather": "Raining"}"#))
        #expect(try !matches(#"{"Weather": [{"anything-but": ["Raining"]}]}"#, #"{"Other": "x"}"#))
        #expect(try matches(#"{"state": [{"anything-but": "initializing"}]}"#, #"{"state": "running"}"#))
        #expect(try matches(#"{"x": [{"anything-but": [100, 200]}]}"#, #"{"x": 300}"#))
        #expect(try !matches(#"{"x": [{"anything-but": [100, 200]}]}"#, #"{"x": 200}"#))
        #expect(try !matches(#"{"state": [{"anything-but": {"prefix": "init"}}]}"#, #"{"state": "initializing"}"#))
        #expect(try matches(#"{"state": [{"anything-but": {"suffix": "ing"}}]}"#, #"{"state": "stopped"}"#))
        #expect(try !matches(#"{"state": [{"anything-but": {"equals-ignore-case": ["Stopped", "x"]}}]}"#, #"{"state": "STOPPED"}"#))
        #expect(try !matches(#"{"FileName": [{"anything-but": {"wildcard": "*/lib/*"}}]}"#, #"{"FileName": "/usr/lib/a"}"#))
    }

    @Test func wildcards() throws {
        let pattern = #"{"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:*:event-bus/*"}]}"#
        #expect(try matches(pattern, #"{"EventBusArn": "arn:aws:events:us-east-1:123456789012:event-bus/default"}"#))
        #expect(try !matches(pattern, #"{"EventBusArn": "arn:aws:events:us-west-2:123456789012:event-bus/default"}"#))
        #expect(FilterPattern.Rule.wildcardMatches("a*b*c", "axxbyyc"))
        #expect(!FilterPattern.Rule.wildcardMatches("a*b*c", "axxbyy"))
        #expect(FilterPattern.Rule.wildcardMatches(#"a\*b"#, "a*b"))
        #expect(!FilterPattern.Rule.wildcardMatches(#"a\*b"#, "axb"))
        #expect(throws: FilterPattern.Invalid.self) { try FilterPattern(#"{"a": [{"wildcard": "a**b"}]}"#) }
    }

    @Test func orOfPatterns() throws {
        let pattern = #"""
            {"detail": {"$or": [{"c-count": [{"numeric": [">", 0, "<=", 5]}]}, {"d-count": [{"numeric": ["<", 10]}]},
                                {"x-limit": [{"numeric": ["=", 3.018e2]}]}]}}
            """#
        #expect(try matches(pattern, #"{"detail": {"c-count": 5}}"#))
        #expect(try matches(pattern, #"{"detail": {"d-count": 3}}"#))
        #expect(try matches(pattern, #"{"detail": {"x-limit": 301.8}}"#))
        #expect(try !matches(pattern, #"{"detail": {"c-count": 6, "d-count": 11}}"#))
        #expect(throws: FilterPattern.Invalid.self) { try FilterPattern(#"{"$or": [{"a": ["x"]}]}"#) }
    }

    @Test func arraysInTheEventMatchWhenAnElementDoes() throws {
        #expect(try matches(#"{"resources": ["arn:b"]}"#, #"{"resources": ["arn:a", "arn:b"]}"#))
        #expect(try !matches(#"{"resources": ["arn:c"]}"#, #"{"resources": ["arn:a", "arn:b"]}"#))
        #expect(try matches(#"{"items": {"sku": ["x"]}}"#, #"{"items": [{"sku": "y"}, {"sku": "x"}]}"#))
    }

    @Test func malformedPatternsAreRefused() {
        for text in [#"[]"#, #"{"a": "x"}"#, #"{"a": []}"#, #"{}"#, #"{"a": [{"prefix": 1}]}"#, #"{"a": [{"nope": 1}]}"#, "not json",
                     #"{"a": [{"prefix": "x", "suffix": "y"}]}"#] {
            #expect(throws: FilterPattern.Invalid.self, "\(text)") { try FilterPattern(text) }
        }
    }

    @Test func hostileJSONIsNotJSON() {
        #expect(FilterJSON.parse(String(repeating: "[", count: 100_000)) == nil)
        #expect(FilterJSON.parse(#"{"a": "\ud83d\ude00"}"#) == .object(["a": .string("😀")]))
        #expect(FilterJSON.parse(#"{"a": 01}"#) == nil)
        #expect(FilterJSON.parse(#"{"a": 1} x"#) == nil)
    }

    // MARK: - SQS records

    private func record(_ body: String, attributes: [String: SQSEventRecord.MessageAttribute] = [:]) -> SQSEventRecord {
        SQSEventRecord(
            messageId: "m1", receiptHandle: "r", body: body, attributes: ["ApproximateReceiveCount": "1", "SenderId": "AKID"],
            messageAttributes: attributes, md5OfBody: "x", md5OfMessageAttributes: nil, eventSourceARN: "arn:aws:sqs:us-east-1:1:q",
            awsRegion: "us-east-1")
    }

    @Test func sqsBodiesFollowAWSsTableOfPlainAndJSONBodies() throws {
        // AWS's example: process only records whose RequestCode is BBBB.
        let json = try SQSRecordFilter(patterns: [#"{"body": {"RequestCode": ["BBBB"]}}"#])
        #expect(json.accepts(record(#"{"RecordNumber": 1234, "TimeStamp": "t", "RequestCode": "BBBB"}"#)))
        #expect(!json.accepts(record(#"{"RecordNumber": 1234, "RequestCode": "AAAA"}"#)))
        #expect(!json.accepts(record("RequestCode BBBB")))  // plain body, JSON pattern: dropped
        let plain = try SQSRecordFilter(patterns: [#"{"body": [{"prefix": "ORDER"}]}"#])
        #expect(plain.accepts(record("ORDER 42")))
        #expect(!plain.accepts(record(#"{"ORDER": 42}"#)))  // JSON body, plain pattern: dropped
        let metadataOnly = try SQSRecordFilter(patterns: [#"{"attributes": {"SenderId": ["AKID"]}}"#])
        #expect(metadataOnly.accepts(record("anything")))
        #expect(metadataOnly.accepts(record(#"{"a": 1}"#)))
        let byAttribute = try SQSRecordFilter(patterns: [#"{"messageAttributes": {"type": {"stringValue": ["order"]}}}"#])
        #expect(byAttribute.accepts(record("x", attributes: ["type": .init(stringValue: "order", binaryValue: nil, dataType: "String")])))
        #expect(!byAttribute.accepts(record("x")))
    }

    @Test func filtersAreOredAndLimitedToFive() throws {
        let filter = try SQSRecordFilter(patterns: [#"{"body": {"a": [1]}}"#, #"{"body": {"b": [2]}}"#])
        #expect(filter.accepts(record(#"{"b": 2}"#)))
        #expect(!filter.accepts(record(#"{"c": 3}"#)))
        #expect(SQSRecordFilter.acceptingAll.accepts(record("x")))
        #expect(throws: LambdaAPIError.self) { try SQSRecordFilter(patterns: Array(repeating: #"{"a": [1]}"#, count: 6)) }
        #expect(throws: LambdaAPIError.invalidParameter("Invalid filter pattern definition.")) { try SQSRecordFilter(patterns: ["{"]) }
    }
}
