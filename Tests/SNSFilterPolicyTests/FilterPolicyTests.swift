import Testing

@testable import SNSFilterPolicy

/// The examples of AWS's "Amazon SNS message filtering" guide, evaluated against the guide's
/// example message, plus the validation errors SNS answers for bad policies.
struct FilterPolicyTests {
    /// The guide's example message attributes.
    let attributes: [String: FilterAttribute] = [
        "customer_interests": .init(dataType: "String.Array", value: #"["soccer", "rugby", "hockey"]"#),
        "store": .init(dataType: "String", value: "example_corp"),
        "event": .init(dataType: "String", value: "order_placed"),
        "price_usd": .init(dataType: "Number", value: "210.75"),
        "source_ip": .init(dataType: "String", value: "10.0.0.255"),
        "picture": .init(dataType: "Binary", value: nil),
    ]

    func attributesMatch(_ json: String) throws -> Bool {
        try FilterPolicy(json: json, scope: .messageAttributes).matches(attributes: attributes)
    }

    @Test func theGuidesAcceptingPolicyMatches() throws {
        #expect(
            try attributesMatch(
                #"""
                {"store": ["example_corp"], "event": [{"anything-but": "order_cancelled"}],
                 "customer_interests": ["rugby", "football", "baseball"], "price_usd": [{"numeric": [">=", 100]}]}
                """#))
    }

    @Test func everyKeyMustMatch() throws {
        #expect(try !attributesMatch(#"{"store": ["example_corp"], "event": ["order_cancelled"]}"#))
        #expect(try attributesMatch(#"{"store": ["other", "example_corp"]}"#))
    }

    @Test func exactMatchingIsTypeAware() throws {
        #expect(try attributesMatch(#"{"price_usd": [210.75]}"#))
        #expect(try !attributesMatch(#"{"price_usd": ["210.75"]}"#))
        #expect(try !attributesMatch(#"{"store": [210.75]}"#))
    }

    @Test func stringArraysMatchAnyElement() throws {
        #expect(try attributesMatch(#"{"customer_interests": ["hockey"]}"#))
        #expect(try !attributesMatch(#"{"customer_interests": ["baseball"]}"#))
        #expect(try !attributesMatch(#"{"customer_interests": [{"prefix": "bas"}]}"#))
        #expect(try attributesMatch(#"{"customer_interests": [{"prefix": "rug"}]}"#))
    }

    @Test func prefixSuffixAndEqualsIgnoreCase() throws {
        #expect(try attributesMatch(#"{"store": [{"prefix": "example"}]}"#))
        #expect(try attributesMatch(#"{"store": [{"suffix": "_corp"}]}"#))
        #expect(try !attributesMatch(#"{"store": [{"suffix": "_inc"}]}"#))
        #expect(try attributesMatch(#"{"store": [{"equals-ignore-case": "EXAMPLE_Corp"}]}"#))
    }

    @Test func anythingBut() throws {
        #expect(try !attributesMatch(#"{"store": [{"anything-but": "example_corp"}]}"#))
        #expect(try attributesMatch(#"{"store": [{"anything-but": ["a", "b"]}]}"#))
        #expect(try !attributesMatch(#"{"store": [{"anything-but": ["a", "example_corp"]}]}"#))
        #expect(try !attributesMatch(#"{"store": [{"anything-but": {"prefix": "exa"}}]}"#))
        #expect(try attributesMatch(#"{"store": [{"anything-but": {"prefix": "zz"}}]}"#))
        #expect(try !attributesMatch(#"{"store": [{"anything-but": {"suffix": "corp"}}]}"#))
        #expect(try !attributesMatch(#"{"price_usd": [{"anything-but": [210.75, 100]}]}"#))
        #expect(try attributesMatch(#"{"price_usd": [{"anything-but": [100]}]}"#))
        // anything-but needs the attribute to be there.
        #expect(try !attributesMatch(#"{"missing": [{"anything-but": "x"}]}"#))
    }

    @Test func numericRanges() throws {
        #expect(try !attributesMatch(#"{"price_usd": [{"numeric": [">", 0, "<=", 150]}]}"#))
        #expect(try attributesMatch(#"{"price_usd": [{"numeric": [">", 200, "<", 300]}]}"#))
        #expect(try attributesMatch(#"{"price_usd": [{"numeric": ["=", 210.75]}]}"#))
        #expect(try !attributesMatch(#"{"store": [{"numeric": [">", 0]}]}"#))
    }

    @Test func exists() throws {
        #expect(try !attributesMatch(#"{"store": [{"exists": false}]}"#))
        #expect(try attributesMatch(#"{"store": [{"exists": true}]}"#))
        #expect(try attributesMatch(#"{"encrypted": [{"exists": false}]}"#))
        #expect(try attributesMatch(#"{"picture": [{"exists": true}]}"#))
    }

    @Test func cidr() throws {
        #expect(try attributesMatch(#"{"source_ip": [{"cidr": "10.0.0.0/24"}]}"#))
        #expect(try !attributesMatch(#"{"source_ip": [{"cidr": "10.0.1.0/24"}]}"#))
        let v6 = try FilterPolicy(json: #"{"ip": [{"cidr": "2001:db8::/32"}]}"#, scope: .messageAttributes)
        #expect(v6.matches(attributes: ["ip": .init(dataType: "String", value: "2001:db8:0:1::5")]))
        #expect(!v6.matches(attributes: ["ip": .init(dataType: "String", value: "2001:db9::5")]))
    }

    @Test func orCombinesAlternatives() throws {
        let policy = try FilterPolicy(
            json: #"{"source": ["aws.cloudwatch"], "$or": [{"metricName": ["CPUUtilization"]}, {"namespace": ["AWS/EC2"]}]}"#,
            scope: .messageAttributes)
        let cpu = ["source": FilterAttribute(dataType: "String", value: "aws.cloudwatch"), "metricName": .init(dataType: "String", value: "CPUUtilization")]
        let ec2 = ["source": FilterAttribute(dataType: "String", value: "aws.cloudwatch"), "namespace": .init(dataType: "String", value: "AWS/EC2")]
        let neither = ["source": FilterAttribute(dataType: "String", value: "aws.cloudwatch"), "namespace": .init(dataType: "String", value: "AWS/S3")]
        #expect(policy.matches(attributes: cpu))
        #expect(policy.matches(attributes: ec2))
        #expect(!policy.matches(attributes: neither))
    }

    @Test func messageBodyPoliciesFollowNestedKeys() throws {
        let body = #"""
            {"Records": [{"eventName": "ObjectCreated:Put", "s3": {"object": {"key": "photos/cat.jpg", "size": 1200}}}],
             "customer": {"tier": "gold", "tags": ["a", "b"]}, "paid": true, "note": null}
            """#
        func bodyMatch(_ json: String) throws -> Bool {
            try FilterPolicy(json: json, scope: .messageBody).matches(body: body)
        }
        #expect(try bodyMatch(#"{"customer": {"tier": ["gold"]}}"#))
        #expect(try !bodyMatch(#"{"customer": {"tier": ["silver"]}}"#))
        #expect(try bodyMatch(#"{"Records": {"s3": {"object": {"key": [{"prefix": "photos/"}], "size": [{"numeric": [">", 1000]}]}}}}"#))
        #expect(try bodyMatch(#"{"customer": {"tags": ["b"]}}"#))
        #expect(try bodyMatch(#"{"paid": [true], "note": [null]}"#))
        #expect(try !bodyMatch(#"{"paid": [false]}"#))
        #expect(try bodyMatch(#"{"customer": {"email": [{"exists": false}]}}"#))
        #expect(try !bodyMatch(#"{"customer": [{"exists": true}]}"#))
        #expect(try !FilterPolicy(json: #"{"a": ["b"]}"#, scope: .messageBody).matches(body: "not json"))
    }

    @Test func anEmptyPolicyMatchesEverything() throws {
        #expect(try attributesMatch("{}"))
    }

    @Test(arguments: [
        (#"{"a": ["1"], "b": ["1"], "c": ["1"], "d": ["1"], "e": ["1"], "f": ["1"]}"#, "FilterPolicy: Filter policy can not have more than 5 keys"),
        (#"{"a": []}"#, "FilterPolicy: Empty arrays are not allowed"),
        (#"{"a": "b"}"#, #"FilterPolicy: "a" must be an object or an array"#),
        (#"{"a": {"b": ["c"]}}"#, "Filter policy scope MessageAttributes does not support nested filter policy"),
        ("not json", "FilterPolicy: failed to parse JSON."),
        (#"{"a": [{"prefix": 1}]}"#, "FilterPolicy: prefix match pattern must be a string"),
        (#"{"a": [{"prefix": "x", "suffix": "y"}]}"#, "FilterPolicy: Only one key allowed in match expression"),
        (#"{"a": [{"exists": "yes"}]}"#, "FilterPolicy: exists match pattern must be either true or false."),
        (#"{"a": [{"wild": "x"}]}"#, "FilterPolicy: Unrecognized match type wild"),
        (#"{"a": [["x"]]}"#, "FilterPolicy: Match value must be String, number, true, false, or null"),
        (#"{"a": [{"numeric": ["<>", 1]}]}"#, "FilterPolicy: Unrecognized numeric range operator: <>"),
        (#"{"a": [{"numeric": ["<", "x"]}]}"#, "FilterPolicy: Value of < must be numeric"),
        (#"{"a": [{"numeric": ["=", "x"]}]}"#, "FilterPolicy: Value of equals must be numeric"),
        (#"{"a": [{"numeric": ["<", 1, ">", 0]}]}"#, "FilterPolicy: Too many elements in numeric expression"),
        (#"{"a": [{"numeric": [">", 10, "<", 5]}]}"#, "FilterPolicy: Bottom must be less than top"),
        (#"{"a": [{"numeric": [">", 1, ">", 5]}]}"#, "FilterPolicy: Bad numeric range operator: >"),
        (#"{"a": [{"anything-but": {"wildcard": "x"}}]}"#, "FilterPolicy: Unsupported anything-but pattern: wildcard"),
        (#"{"a": [{"cidr": "10.0.0.0"}]}"#, "FilterPolicy: Malformed CIDR, one '/' required"),
        (#"{"a": [{"cidr": "10.0.0.0/x"}]}"#, "FilterPolicy: Malformed CIDR, mask bits must be an integer"),
        (#"{"a": [{"cidr": "10.0.0/8"}]}"#, "FilterPolicy: Nonstandard IP address: 10.0.0"),
    ])
    func invalidPoliciesAreRefusedWithSNSReasons(policy: String, reason: String) {
        #expect(throws: FilterPolicyError(reason)) { try FilterPolicy(json: policy, scope: .messageAttributes) }
    }

    @Test func complexityIsCountedAsSNSCountsIt() throws {
        // 3 keys of 5, 5 and 6 values: 150 combinations, the limit.
        let five = #"["1","2","3","4","5"]"#
        _ = try FilterPolicy(json: #"{"a": \#(five), "b": \#(five), "c": ["1","2","3","4","5","6"]}"#, scope: .messageAttributes)
        #expect(throws: FilterPolicyError("FilterPolicy: Filter policy is too complex")) {
            try FilterPolicy(json: #"{"a": \#(five), "b": \#(five), "c": ["1","2","3","4","5","6","7"]}"#, scope: .messageAttributes)
        }
        // The guide's nested example: 4 values 3 levels deep, 3 values 2 levels deep: 3x4x2x3 = 72.
        _ = try FilterPolicy(
            json: #"{"key_a": {"key_b": {"key_c": ["1","2","3","4"]}}, "key_d": {"key_e": ["1","2","3"]}}"#, scope: .messageBody)
    }
}
