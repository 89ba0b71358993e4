import SQSServer
import Testing

@Suite("Config file")
struct ConfigFileParsingTests {
    @Test func parsesQueuesAttributesAndTags() throws {
        let text = """
            queues:
              - name: orders-dlq
              - name: orders
                attributes:
                  VisibilityTimeout: 45
                  FifoQueue: false
                  RedrivePolicy: {deadLetterTargetArn: "arn:aws:sqs:us-east-1:000000000000:orders-dlq", maxReceiveCount: 5}
                  RedriveAllowPolicy: '{"redrivePermission":"allowAll"}'
                tags: {team: shop, cost: 12}
            functions: []
            """
        let config = try ConfigFile.parse(text, path: "c.yaml")
        #expect(config.queues.map(\.name) == ["orders-dlq", "orders"])
        let orders = config.queues[1]
        #expect(orders.line == 3)
        #expect(orders.attributes == [
            "VisibilityTimeout": "45", "FifoQueue": "false",
            "RedrivePolicy": #"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:orders-dlq","maxReceiveCount":5}"#,
            "RedriveAllowPolicy": #"{"redrivePermission":"allowAll"}"#,
        ])
        #expect(orders.attributeLines["VisibilityTimeout"] == 5)
        #expect(orders.tags == ["team": "shop", "cost": "12"])
    }

    @Test func emptyFilesHaveNoQueues() throws {
        #expect(try ConfigFile.parse("", path: "c.yaml").queues.isEmpty)
        #expect(try ConfigFile.parse("queues:\n", path: "c.yaml").queues.isEmpty)
    }

    @Test(arguments: [
        ("queues:\n  - name: a\n    atributes: {}\n", 3, "atributes"),
        ("queue:\n  - name: a\n", 1, "queue"),
        ("queues:\n  - name: a\n    attributes:\n      VisibilityTimeout: [1, 2]\n", 4, "VisibilityTimeout"),
        ("queues:\n  - name: a\n  - name: a\n", 3, "defined twice"),
        ("queues:\n  - attributes: {}\n", 2, "name"),
        ("queues:\n  - name: a\n    tags: [x]\n", 3, "tags"),
        ("queues: [\n  - name: a\n", 2, "invalid YAML"),
    ])
    func errorsNameTheKeyAndLine(text: String, line: Int, mention: String) {
        do {
            _ = try ConfigFile.parse(text, path: "bad.yaml")
            Issue.record("expected an error for \(text)")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.description.contains(mention), "\(error)")
            #expect(error.description.hasPrefix("bad.yaml:\(line)"), "\(error)")
        }
    }

    @Test func missingFileNamesThePath() {
        #expect(throws: ConfigFileError.self) { try ConfigFile.load(path: "/nonexistent/sqslite.yaml") }
        do {
            _ = try ConfigFile.load(path: "/nonexistent/sqslite.yaml")
        } catch {
            #expect(error.description.contains("/nonexistent/sqslite.yaml"))
        }
    }
}
