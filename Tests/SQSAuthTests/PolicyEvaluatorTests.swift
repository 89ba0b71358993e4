import SQSAuth
import Testing

/// IAM's evaluation as ``PolicyEvaluator`` implements it: explicit deny first, then an allow from
/// identity or resource policies, across accounts both, else implicit deny; wildcards, `Not…`
/// elements, principals and conditions.
@Suite("Policy evaluation")
struct PolicyEvaluatorTests {
    static let account = "000000000000"
    static let other = "111111111111"
    static let queue = "arn:aws:sqs:us-east-1:000000000000:ChatAPP"
    static let now = AMZDate.parse("20240101T003000Z")!

    static func policy(_ json: String, _ kind: PolicyDocument.Kind = .identity) -> PolicyDocument {
        do {
            return try PolicyDocument(json: json, kind: kind)
        } catch {
            Issue.record("\(error)")
            return PolicyDocument.lenient(#"{"Statement":[]}"#)!
        }
    }

    static func user(_ statements: String..., account: String = account) -> Caller {
        Caller(
            kind: .user(name: "chat-sender"), account: account, userID: "AIDAEXAMPLE",
            policies: statements.map { policy(#"{"Version":"2012-10-17","Statement":[\#($0)]}"#) })
    }

    static func decide(
        _ caller: Caller, _ action: String, _ resource: String = queue, owner: String? = nil, resourcePolicy: String? = nil,
        context: [String: [String]] = [:]
    ) -> AccessDecision {
        PolicyEvaluator.evaluate(
            AuthorizationRequest(caller: caller, action: action, resource: resource, resourceAccount: owner, context: context),
            resourcePolicy: resourcePolicy.map { policy($0, .resource) }, now: now)
    }

    @Test func anAllowedActionIsAllowedAndOthersImplicitlyDenied() {
        let caller = Self.user(#"{"Effect":"Allow","Action":["sqs:SendMessage","sqs:GetQueueUrl"],"Resource":"\#(Self.queue)"}"#)
        #expect(Self.decide(caller, "sqs:SendMessage") == .allow)
        #expect(Self.decide(caller, "SQS:sendmessage") == .allow)
        #expect(Self.decide(caller, "sqs:ReceiveMessage") == .deny(.noIdentityPolicy))
        #expect(Self.decide(caller, "sqs:SendMessage", "arn:aws:sqs:us-east-1:000000000000:Other") == .deny(.noIdentityPolicy))
    }

    @Test func wildcardsInActionsAndResources() {
        let caller = Self.user(#"{"Effect":"Allow","Action":"sqs:Send*","Resource":"arn:aws:sqs:*:000000000000:Chat*"}"#)
        #expect(Self.decide(caller, "sqs:SendMessage") == .allow)
        #expect(Self.decide(caller, "sqs:SendMessage", "arn:aws:sqs:eu-west-1:000000000000:ChatRoom") == .allow)
        #expect(Self.decide(caller, "sqs:SendMessage", "arn:aws:sqs:us-east-1:111111111111:ChatAPP") == .deny(.noIdentityPolicy))
        #expect(Self.decide(caller, "sqs:PurgeQueue") == .deny(.noIdentityPolicy))
        let single = Self.user(#"{"Effect":"Allow","Action":"sqs:?eceiveMessage","Resource":"*"}"#)
        #expect(Self.decide(single, "sqs:ReceiveMessage") == .allow)
    }

    @Test func notActionAndNotResource() {
        let caller = Self.user(#"{"Effect":"Allow","NotAction":"sqs:PurgeQueue","NotResource":"arn:aws:sqs:*:*:secret-*"}"#)
        #expect(Self.decide(caller, "sqs:DeleteMessage") == .allow)
        #expect(Self.decide(caller, "sqs:PurgeQueue") == .deny(.noIdentityPolicy))
        #expect(Self.decide(caller, "sqs:DeleteMessage", "arn:aws:sqs:us-east-1:000000000000:secret-1") == .deny(.noIdentityPolicy))
    }

    @Test func anExplicitDenyWins() {
        let caller = Self.user(
            #"{"Effect":"Allow","Action":"sqs:*","Resource":"*"}"#, #"{"Effect":"Deny","Action":"sqs:DeleteQueue","Resource":"*"}"#)
        #expect(Self.decide(caller, "sqs:SendMessage") == .allow)
        #expect(Self.decide(caller, "sqs:DeleteQueue") == .deny(.explicitIdentityDeny))
        let queuePolicy = #"{"Statement":[{"Effect":"Deny","Principal":"*","Action":"sqs:SendMessage","Resource":"\#(Self.queue)"}]}"#
        #expect(Self.decide(caller, "sqs:SendMessage", resourcePolicy: queuePolicy) == .deny(.explicitResourceDeny))
    }

    @Test func aQueuePolicyNamingTheCallerAllowsWithinTheAccount() {
        let caller = Self.user()
        let named = #"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/chat-sender"},"Action":"sqs:SendMessage","Resource":"\#(Self.queue)"}]}"#
        #expect(Self.decide(caller, "sqs:SendMessage", resourcePolicy: named) == .allow)
        let anyone = #"{"Statement":{"Effect":"Allow","Principal":"*","Action":"SQS:*"}}"#
        #expect(Self.decide(caller, "sqs:ReceiveMessage", resourcePolicy: anyone) == .allow)
        // Naming the account delegates to its identity policies: not enough on its own.
        let account = #"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"SQS:SendMessage","Resource":"\#(Self.queue)"}]}"#
        #expect(Self.decide(caller, "sqs:SendMessage", resourcePolicy: account) == .deny(.noIdentityPolicy))
    }

    @Test func crossAccountNeedsBothSides() {
        // The policy AddPermission writes, granting account 111111111111 SendMessage.
        let grant = #"{"Version":"2008-10-17","Id":"\#(Self.queue)/SQSDefaultPolicy","Statement":[{"Sid":"grant","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"SQS:SendMessage","Resource":"\#(Self.queue)"}]}"#
        let allowed = Self.user(#"{"Effect":"Allow","Action":"sqs:*","Resource":"*"}"#, account: Self.other)
        let bare = Self.user(account: Self.other)
        #expect(Self.decide(allowed, "sqs:SendMessage", owner: Self.account, resourcePolicy: grant) == .allow)
        #expect(Self.decide(bare, "sqs:SendMessage", owner: Self.account, resourcePolicy: grant) == .deny(.noIdentityPolicy))
        #expect(Self.decide(allowed, "sqs:ReceiveMessage", owner: Self.account, resourcePolicy: grant) == .deny(.noResourcePolicy))
        #expect(Self.decide(allowed, "sqs:SendMessage", owner: Self.account) == .deny(.noResourcePolicy))
    }

    @Test func roleSessionsMatchTheirRole() {
        let session = Caller(kind: .assumedRole(role: "worker", session: "fn"), account: Self.account, userID: "AROAEXAMPLE:fn")
        #expect(session.arn == "arn:aws:sts::000000000000:assumed-role/worker/fn")
        let byRole = #"{"Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::000000000000:role/worker"]},"Action":"sqs:ReceiveMessage","Resource":"*"}]}"#
        #expect(Self.decide(session, "sqs:ReceiveMessage", resourcePolicy: byRole) == .allow)
        let bySession = #"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::000000000000:assumed-role/worker/other"},"Action":"*","Resource":"*"}]}"#
        #expect(Self.decide(session, "sqs:ReceiveMessage", resourcePolicy: bySession) == .deny(.noIdentityPolicy))
    }

    @Test func aServicePrincipalNeedsTheQueuePolicyAndItsConditions() {
        let sns = Caller.service("sns.amazonaws.com")
        let policy = #"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"sqs:SendMessage",
             "Resource":"\#(Self.queue)","Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:000000000000:orders"},
             "StringEquals":{"aws:SourceAccount":"000000000000"}}}]}
            """#
        let fromOrders = ["aws:SourceArn": ["arn:aws:sns:us-east-1:000000000000:orders"], "aws:SourceAccount": ["000000000000"]]
        #expect(Self.decide(sns, "sqs:SendMessage", resourcePolicy: policy, context: fromOrders) == .allow)
        let fromOther = ["aws:SourceArn": ["arn:aws:sns:us-east-1:000000000000:other"], "aws:SourceAccount": ["000000000000"]]
        #expect(Self.decide(sns, "sqs:SendMessage", resourcePolicy: policy, context: fromOther) == .deny(.noResourcePolicy))
        #expect(Self.decide(sns, "sqs:SendMessage", resourcePolicy: policy) == .deny(.noResourcePolicy))
        #expect(Self.decide(sns, "sqs:SendMessage") == .deny(.noResourcePolicy))
    }

    @Test func arnLikeComparesComponentByComponent() {
        let policy = #"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"*","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:000000000000:ord*"}}}]}"#
        let caller = Self.user()
        #expect(Self.decide(caller, "sqs:SendMessage", resourcePolicy: policy, context: ["aws:sourcearn": ["arn:aws:sns:eu-west-1:000000000000:orders"]]) == .allow)
        #expect(
            Self.decide(caller, "sqs:SendMessage", resourcePolicy: policy, context: ["aws:SourceArn": ["arn:aws:sns:eu-west-1:999999999999:orders"]])
                == .deny(.noIdentityPolicy))
    }

    @Test func sourceIpAndSecureTransport() {
        let caller = Self.user(
            #"{"Effect":"Allow","Action":"sqs:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","::1"]}}}"#,
            #"{"Effect":"Deny","Action":"sqs:DeleteQueue","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}"#)
        #expect(Self.decide(caller, "sqs:SendMessage", context: ["aws:SourceIp": ["10.1.2.3"]]) == .allow)
        #expect(Self.decide(caller, "sqs:SendMessage", context: ["aws:SourceIp": ["::ffff:10.1.2.3"]]) == .allow)
        #expect(Self.decide(caller, "sqs:SendMessage", context: ["aws:SourceIp": ["::1"]]) == .allow)
        #expect(Self.decide(caller, "sqs:SendMessage", context: ["aws:SourceIp": ["192.168.1.1"]]) == .deny(.noIdentityPolicy))
        #expect(Self.decide(caller, "sqs:DeleteQueue", context: ["aws:SourceIp": ["10.0.0.1"], "aws:SecureTransport": ["false"]]) == .deny(.explicitIdentityDeny))
        #expect(Self.decide(caller, "sqs:DeleteQueue", context: ["aws:SourceIp": ["10.0.0.1"], "aws:SecureTransport": ["true"]]) == .allow)
    }

    @Test func missingKeysIfExistsNegationsAndSets() {
        let ifExists = Self.user(#"{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEqualsIfExists":{"aws:SourceAccount":"000000000000"}}}"#)
        #expect(Self.decide(ifExists, "sqs:SendMessage") == .allow)
        #expect(Self.decide(ifExists, "sqs:SendMessage", context: ["aws:SourceAccount": ["222222222222"]]) == .deny(.noIdentityPolicy))
        let plain = Self.user(#"{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:SourceAccount":"000000000000"}}}"#)
        #expect(Self.decide(plain, "sqs:SendMessage") == .deny(.noIdentityPolicy))
        let negated = Self.user(#"{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringNotLike":{"aws:SourceArn":"arn:aws:sns:*"}}}"#)
        #expect(Self.decide(negated, "sqs:SendMessage") == .allow)
        #expect(Self.decide(negated, "sqs:SendMessage", context: ["aws:SourceArn": ["arn:aws:sns:x"]]) == .deny(.noIdentityPolicy))
        let anyValue = Self.user(#"{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ForAnyValue:StringLike":{"aws:TagKeys":["team*"]}}}"#)
        #expect(Self.decide(anyValue, "sqs:TagQueue", context: ["aws:TagKeys": ["owner", "team-a"]]) == .allow)
        #expect(Self.decide(anyValue, "sqs:TagQueue", context: ["aws:TagKeys": ["owner"]]) == .deny(.noIdentityPolicy))
        let allValues = Self.user(#"{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}}"#)
        #expect(Self.decide(allValues, "sqs:TagQueue", context: ["aws:TagKeys": ["a", "b"]]) == .allow)
        #expect(Self.decide(allValues, "sqs:TagQueue", context: ["aws:TagKeys": ["a", "c"]]) == .deny(.noIdentityPolicy))
        let null = Self.user(#"{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Null":{"aws:SourceArn":"true"}}}"#)
        #expect(Self.decide(null, "sqs:SendMessage") == .allow)
        #expect(Self.decide(null, "sqs:SendMessage", context: ["aws:SourceArn": ["x"]]) == .deny(.noIdentityPolicy))
    }

    @Test func numericDateAndPolicyVariables() {
        let caller = Self.user(
            #"{"Effect":"Allow","Action":"sqs:*","Resource":"arn:aws:sqs:*:*:${aws:username}-*","Condition":{"DateLessThan":{"aws:CurrentTime":"2024-06-01T00:00:00Z"},"NumericLessThanEquals":{"sqs:MaxItems":10}}}"#)
        #expect(Self.decide(caller, "sqs:SendMessage", "arn:aws:sqs:us-east-1:000000000000:chat-sender-inbox", context: ["sqs:MaxItems": ["5"]]) == .allow)
        #expect(
            Self.decide(caller, "sqs:SendMessage", "arn:aws:sqs:us-east-1:000000000000:someone-inbox", context: ["sqs:MaxItems": ["5"]])
                == .deny(.noIdentityPolicy))
        #expect(
            Self.decide(caller, "sqs:SendMessage", "arn:aws:sqs:us-east-1:000000000000:chat-sender-inbox", context: ["sqs:MaxItems": ["50"]])
                == .deny(.noIdentityPolicy))
    }

    @Test func theRootUserOwnsItsAccount() {
        #expect(Self.decide(.root(account: Self.account), "sqs:DeleteQueue") == .allow)
        #expect(Self.decide(.root(account: Self.other), "sqs:DeleteQueue", owner: Self.account) == .deny(.noResourcePolicy))
    }

    @Test func denialMessagesAreAWSs() {
        let caller = Self.user()
        let message = AuthFailure.accessDenied(callerARN: caller.arn, action: "sqs:receivemessage", resource: Self.queue, reason: .noIdentityPolicy).message
        #expect(
            message
                == "User: arn:aws:iam::000000000000:user/chat-sender is not authorized to perform: sqs:receivemessage on resource: arn:aws:sqs:us-east-1:000000000000:ChatAPP because no identity-based policy allows the sqs:receivemessage action")
        let deny = AuthFailure.accessDenied(callerARN: caller.arn, action: "sqs:purgequeue", resource: Self.queue, reason: .explicitIdentityDeny)
        #expect(deny.message.hasSuffix("on resource: arn:aws:sqs:us-east-1:000000000000:ChatAPP with an explicit deny in an identity-based policy"))
        #expect(deny.queryCode == "AccessDenied")
        #expect(deny.status == 403)
    }

    @Test func malformedPoliciesAreReported() {
        func error(_ json: String, _ kind: PolicyDocument.Kind = .identity) -> String? {
            do {
                _ = try PolicyDocument(json: json, kind: kind)
                return nil
            } catch {
                return error.message
            }
        }
        #expect(error("{") == "the policy is not valid JSON")
        #expect(error(#"{"Statement":[{"Effect":"Maybe","Action":"*","Resource":"*"}]}"#) == "Statement[0]: Effect must be Allow or Deny")
        #expect(error(#"{"Statement":[{"Effect":"Allow","Resource":"*"}]}"#) == "Statement[0]: a statement needs Action or NotAction")
        #expect(error(#"{"Statement":[{"Effect":"Allow","Action":"*"}]}"#) == "Statement[0]: a statement needs Resource or NotResource")
        #expect(error(#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Principal":"*"}]}"#) == "Statement[0]: an identity policy must not name a Principal")
        #expect(
            error(#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringSorta":{"a":"b"}}}]}"#)
                == "Statement[0]: unknown condition operator StringSorta")
        #expect(error(#"{"Version":"2020-01-01","Statement":[]}"#) == #"Version must be "2012-10-17" or "2008-10-17""#)
        // A queue's Policy is read leniently: the unreadable statement is skipped.
        let lenient = PolicyDocument.lenient(#"{"Statement":[{"Effect":"Maybe"},{"Effect":"Allow","Principal":"*","Action":"*"}]}"#)
        #expect(lenient?.statements.count == 1)
    }
}
