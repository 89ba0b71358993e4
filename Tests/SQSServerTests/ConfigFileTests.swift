import FoundationEssentials
import SQSServer
import Testing

@Suite("Config file loader")
struct ConfigFileTests {
    /// Parses `text`, expecting an error, and returns it.
    private func parseError(_ text: String, path: String = "config/sqslite.yaml") -> ConfigFileError? {
        do {
            let config = try ConfigFile.parse(text, path: path)
            Issue.record("expected an error, got \(config.queues)")
            return nil
        } catch {
            return error
        }
    }

    // MARK: - Good files

    @Test func goodConfigParsesToExactDefinitions() throws {
        let text = """
            # queues for the shop
            queues:
              - name: orders-dlq
              - name: orders
                attributes:
                  VisibilityTimeout: 45
                  RedrivePolicy: {deadLetterTargetArn: "arn:aws:sqs:us-east-1:000000000000:orders-dlq", maxReceiveCount: 5}
                tags: {team: shop}
            """
        let config = try ConfigFile.parse(text, path: "config/sqslite.yaml")
        #expect(config.path == "config/sqslite.yaml")
        #expect(
            config.queues == [
                QueueDefinition(name: "orders-dlq", line: 3),
                QueueDefinition(
                    name: "orders",
                    attributes: [
                        "VisibilityTimeout": "45",
                        "RedrivePolicy": #"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:orders-dlq","maxReceiveCount":5}"#,
                    ],
                    tags: ["team": "shop"],
                    line: 4,
                    attributeLines: ["VisibilityTimeout": 6, "RedrivePolicy": 7]
                ),
            ])
    }

    @Test(arguments: ["", "\n", "# only a comment\n", "queues:\n", "queues: ~\n", "queues: []\n", "---\n"])
    func emptyConfigsHaveZeroQueues(text: String) throws {
        #expect(try ConfigFile.parse(text, path: "c.yaml").queues.isEmpty)
    }

    @Test func reservedTopLevelKeysAreAccepted() throws {
        let text = """
            queues:
              - name: a
            functions: []
            eventSourceMappings: []
            """
        let config = try ConfigFile.parse(text, path: "c.yaml")
        #expect(config.queues.map(\.name) == ["a"])
    }

    @Test func flowStyleQueuesParse() throws {
        let config = try ConfigFile.parse("queues: [{name: a, tags: {x: y}}, {name: b}]\n", path: "c.yaml")
        #expect(config.queues.map(\.name) == ["a", "b"])
        #expect(config.queues[0].tags == ["x": "y"])
        #expect(config.queues.map(\.line) == [1, 1])
    }

    // MARK: - Scalars to strings

    @Test func numbersAndBooleansBecomeStrings() throws {
        let text = """
            queues:
              - name: q.fifo
                attributes:
                  VisibilityTimeout: 45
                  DelaySeconds: "7"
                  FifoQueue: true
                  ContentBasedDeduplication: False
                  SqsManagedSseEnabled: yes
                  KmsDataKeyReusePeriodSeconds: 300
                  MessageRetentionPeriod: 1.5
                  QuotedBool: "true"
                tags: {cost: 12, live: true, ratio: 0.5, team: shop, quoted: "yes"}
            """
        let queue = try #require(try ConfigFile.parse(text, path: "c.yaml").queues.first)
        #expect(
            queue.attributes == [
                "VisibilityTimeout": "45",
                "DelaySeconds": "7",
                "FifoQueue": "true",
                "ContentBasedDeduplication": "false",
                "SqsManagedSseEnabled": "true",
                "KmsDataKeyReusePeriodSeconds": "300",
                "MessageRetentionPeriod": "1.5",
                "QuotedBool": "true",
            ])
        #expect(queue.tags == ["cost": "12", "live": "true", "ratio": "0.5", "team": "shop", "quoted": "yes"])
        #expect(queue.attributeLines["VisibilityTimeout"] == 4)
        #expect(queue.attributeLines["QuotedBool"] == 11)
    }

    @Test func numericQueueNameIsAString() throws {
        let config = try ConfigFile.parse("queues:\n  - name: 42\n", path: "c.yaml")
        #expect(config.queues.first?.name == "42")
    }

    // MARK: - JSON-valued attributes

    @Test func jsonAttributeAsMapBecomesCompactJSONInYAMLOrder() throws {
        let text = """
            queues:
              - name: q
                attributes:
                  RedrivePolicy:
                    maxReceiveCount: 5
                    deadLetterTargetArn: arn:aws:sqs:us-east-1:000000000000:dlq
                  RedriveAllowPolicy: {redrivePermission: byQueue, sourceQueueArns: ["arn:aws:sqs:us-east-1:000000000000:q"]}
                  Policy:
                    Version: "2012-10-17"
                    Statement:
                      - Effect: Allow
                        Principal: "*"
                        Action: [sqs:SendMessage]
                        Condition: {Bool: {aws:SecureTransport: true}, NumericLessThan: {n: 2.5}, Null: {x: null}}
                        Sid: "say \\"hi\\"\\n"
            """
        let queue = try #require(try ConfigFile.parse(text, path: "c.yaml").queues.first)
        #expect(queue.attributes["RedrivePolicy"] == #"{"maxReceiveCount":5,"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq"}"#)
        #expect(
            queue.attributes["RedriveAllowPolicy"]
                == #"{"redrivePermission":"byQueue","sourceQueueArns":["arn:aws:sqs:us-east-1:000000000000:q"]}"#)
        #expect(
            queue.attributes["Policy"]
                == #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":["sqs:SendMessage"],"#
                + #""Condition":{"Bool":{"aws:SecureTransport":true},"NumericLessThan":{"n":2.5},"Null":{"x":null}},"#
                + #""Sid":"say \"hi\"\n"}]}"#)
        #expect(queue.attributeLines == ["RedrivePolicy": 4, "RedriveAllowPolicy": 7, "Policy": 8])
    }

    @Test func jsonAttributeAsStringPassesThrough() throws {
        let text = """
            queues:
              - name: q
                attributes:
                  RedrivePolicy: '{"deadLetterTargetArn": "arn:aws:sqs:us-east-1:000000000000:dlq", "maxReceiveCount": "5"}'
                  Policy: |-
                    {"Version": "2012-10-17"}
            """
        let queue = try #require(try ConfigFile.parse(text, path: "c.yaml").queues.first)
        #expect(queue.attributes["RedrivePolicy"] == #"{"deadLetterTargetArn": "arn:aws:sqs:us-east-1:000000000000:dlq", "maxReceiveCount": "5"}"#)
        #expect(queue.attributes["Policy"] == #"{"Version": "2012-10-17"}"#)
    }

    // MARK: - Errors

    @Test func typoInQueueKeyNamesKeyAndLine() throws {
        let text = """
            queues:
              - name: orders-dlq
              - name: orders
                attributes:
                  VisibilityTimeout: 45
                atributes:
                  DelaySeconds: 5
            """
        let error = try #require(parseError(text))
        #expect(error.line == 6)
        #expect(error.column == 5)
        #expect(error.key == "queues[1].atributes")
        #expect(error.message.contains("atributes"))
        #expect(error.description.hasPrefix("config/sqslite.yaml:6:5: queues[1].atributes: "))
    }

    @Test func unknownTopLevelKeyNamesKeyAndLine() throws {
        let error = try #require(parseError("# header\nqueues: []\nqeues:\n  - name: a\n"))
        #expect(error.line == 3)
        #expect(error.key == "qeues")
        #expect(error.message.contains("qeues"))
        #expect(error.description.hasPrefix("config/sqslite.yaml:3:1: qeues: "))
    }

    @Test func mapValueForPlainAttributeIsAnError() throws {
        let text = """
            queues:
              - name: a
              - name: b
                attributes:
                  DelaySeconds: 1
                  VisibilityTimeout: {seconds: 45}
            """
        let error = try #require(parseError(text))
        #expect(error.description == "config/sqslite.yaml:6:7: queues[1].attributes.VisibilityTimeout: expected a number or a string")
    }

    @Test(arguments: [
        // (text, line, key, a word the message or description must contain)
        ("queues:\n  - name: a\n    attributes:\n      DelaySeconds: [1, 2]\n", 4, "queues[0].attributes.DelaySeconds", "number or a string"),
        ("queues:\n  - name: a\n    attributes:\n      DelaySeconds:\n", 4, "queues[0].attributes.DelaySeconds", "number or a string"),
        ("queues:\n  - name: a\n    attributes:\n      RedrivePolicy: ~\n", 4, "queues[0].attributes.RedrivePolicy", "number or a string"),
        ("queues:\n  - name: a\n    attributes: [DelaySeconds]\n", 3, "queues[0].attributes", "mapping"),
        ("queues:\n  - name: a\n    tags: [x]\n", 3, "queues[0].tags", "mapping"),
        ("queues:\n  - name: a\n    tags:\n      team: {x: y}\n", 4, "queues[0].tags.team", "string"),
        ("queues:\n  - name: a\n    tags:\n      team:\n", 4, "queues[0].tags.team", "string"),
        ("queues:\n  - attributes: {}\n", 2, "queues[0].name", "name"),
        ("queues:\n  - name:\n", 2, "queues[0].name", "name"),
        ("queues:\n  - name: ~\n", 2, "queues[0].name", "name"),
        ("queues:\n  - name: [a]\n", 2, "queues[0].name", "name"),
        ("queues:\n  - a\n", 2, "queues[0]", "mapping"),
        ("queues: orders\n", 1, "queues", "list"),
        ("queues:\n  name: orders\n", 2, "queues", "list"),
    ])
    func structuralErrorsNameKeyAndLine(text: String, line: Int, key: String, mention: String) throws {
        let error = try #require(parseError(text))
        #expect(error.line == line, "\(error)")
        #expect(error.key == key, "\(error)")
        #expect(error.message.contains(mention), "\(error)")
        #expect(error.description.hasPrefix("config/sqslite.yaml:\(line)"), "\(error)")
        #expect(error.description.contains(": \(key): "), "\(error)")
    }

    @Test func duplicateQueueNamesAreAnError() throws {
        let error = try #require(parseError("queues:\n  - name: a\n  - name: b\n  - name: a\n"))
        #expect(error.line == 4)
        #expect(error.key == "queues[2].name")
        #expect(error.message.contains("a is defined twice"))
        #expect(error.message.contains("line 2"))
    }

    @Test func topLevelMustBeAMapping() throws {
        let list = try #require(parseError("- name: a\n"))
        #expect(list.line == 1)
        #expect(list.message.contains("queues"))
        let scalar = try #require(parseError("\n\nhello\n"))
        #expect(scalar.line == 3)
    }

    @Test(arguments: [
        ("queues: [\n  - name: a\n", 2),
        ("queues:\n  - name: a\n    attributes: {DelaySeconds: 1\n", 4),
        ("queues:\n  - name: \"a\n", 3),
        ("queues:\n\t- name: a\n", 2),
    ])
    func unparseableYAMLNamesTheLine(text: String, line: Int) throws {
        let error = try #require(parseError(text))
        #expect(error.line == line, "\(error)")
        #expect(error.column != nil, "\(error)")
        #expect(error.message.hasPrefix("invalid YAML"), "\(error)")
        #expect(error.description.hasPrefix("config/sqslite.yaml:\(line):"), "\(error)")
    }

    @Test func duplicateYAMLKeysAreAnError() throws {
        // Yams reports the first occurrence of the repeated key.
        let error = try #require(parseError("queues:\n  - name: a\n    name: b\n"))
        #expect(error.line == 2, "\(error)")
        #expect(error.key == "name", "\(error)")
        #expect(error.description.hasPrefix("config/sqslite.yaml:2:5: name: "), "\(error)")
    }

    @Test func missingFileNamesThePath() throws {
        let path = "/nonexistent-\(UInt64.random(in: 0...UInt64.max))/sqslite.yaml"
        do {
            _ = try ConfigFile.load(path: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.path == path)
            #expect(error.line == nil)
            #expect(error.message.contains(path))
            #expect(error.description.hasPrefix(path + ": "))
        }
    }

    @Test func errorDescriptionFormats() {
        #expect(ConfigFileError(path: "c.yaml", message: "m").description == "c.yaml: m")
        #expect(ConfigFileError(path: "c.yaml", line: 3, message: "m").description == "c.yaml:3: m")
        #expect(ConfigFileError(path: "c.yaml", line: 3, column: 7, key: "queues", message: "m").description == "c.yaml:3:7: queues: m")
    }

    // MARK: - Files

    @Test func loadsAFileFromDisk() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sqslite-config-\(UInt64.random(in: 0...UInt64.max)).yaml").path
        try Data("queues:\n  - name: from-disk\n    attributes: {DelaySeconds: 3}\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let config = try ConfigFile.load(path: path)
        #expect(config.path == path)
        #expect(config.queues == [QueueDefinition(name: "from-disk", attributes: ["DelaySeconds": "3"], line: 2, attributeLines: ["DelaySeconds": 3])])
    }

    @Test func exampleConfigParses() throws {
        // Tests/SQSServerTests/ConfigFileTests.swift -> the package root.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let config = try ConfigFile.load(path: root.appendingPathComponent("config/sqslite.yaml").path)
        #expect(config.queues.map(\.name) == ["orders-dlq", "orders", "ChatAPP"])
        let orders = config.queues[1]
        #expect(orders.attributes["VisibilityTimeout"] == "45")
        #expect(orders.attributes["RedrivePolicy"] == #"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:orders-dlq","maxReceiveCount":5}"#)
        #expect(orders.tags == ["team": "shop"])
    }
}
