import Foundation
import SQSEngine
import Testing

/// ``QueueKey`` keeps its hash from when it was made: equal keys must still hash and compare
/// alike, and its JSON stays the three names.
@Suite("Queue keys")
struct QueueKeyTests {
    @Test func equalKeysHashAlikeAndDifferentOnesDiffer() {
        let key = QueueKey(account: "000000000000", region: "us-east-1", name: "orders")
        let same = QueueKey(account: String("000000000000".reversed().reversed()), region: "us-east-1", name: "orders")
        #expect(key == same)
        #expect(key.hashValue == same.hashValue)
        let others = [
            QueueKey(account: "000000000001", region: "us-east-1", name: "orders"),
            QueueKey(account: "000000000000", region: "eu-west-1", name: "orders"),
            QueueKey(account: "000000000000", region: "us-east-1", name: "orders.fifo"),
            // The same characters split differently between the fields.
            QueueKey(account: "000000000000u", region: "s-east-1", name: "orders"),
        ]
        for other in others { #expect(key != other) }
        var table: [QueueKey: Int] = [key: 1]
        for (index, other) in others.enumerated() { table[other] = index + 2 }
        #expect(table[same] == 1)
        #expect(table.count == 5)
    }

    @Test func jsonHoldsTheThreeNamesOnly() throws {
        let key = QueueKey(account: "123456789012", region: "eu-west-1", name: "jobs")
        let data = try JSONEncoder().encode(key)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: String])
        #expect(object == ["account": "123456789012", "region": "eu-west-1", "name": "jobs"])
        let decoded = try JSONDecoder().decode(QueueKey.self, from: data)
        #expect(decoded == key)
        #expect(decoded.hashValue == key.hashValue)
    }
}
