"""Fuzzing the services that share SQS's port: CloudWatch Logs (JSON 1.1), SNS and SES (Query),
SES v2 (REST JSON) and the test-control API.

The invariants are test_fuzz.py's: every input gets a well-formed answer, 2xx or 4xx, never a
5xx, a reset or a hang, and the process still answers ``/health`` afterwards. A crash stops the
test at the input that caused it. Each target gets ``SQSLITE_FUZZ_EXAMPLES`` / 3 inputs from the
same fixed seed. The generators lean on numbers past every range (1e300, 2**64, -0.0), because
turning one of those into an integer is where a JSON number can stop a Swift process.
"""

from __future__ import annotations

import base64
import http.client
import json
import random
import time
import urllib.parse

from sns_helpers import client
from test_fuzz import EXAMPLES, SEED, TIMEOUT, WEIRD_NUMBERS, WEIRD_STRINGS, Checker, mutate_bytes, mutate_tree, rand_string, rand_value

PER_TARGET = max(1, EXAMPLES // 3)
HUGE_NUMBERS = WEIRD_NUMBERS + [1e300, -1e300, 9e15, -9e15, 0.5, 86_400_000 * 10**6]


def authorization(service: str) -> str:
    return f"AWS4-HMAC-SHA256 Credential=fuzz/20240101/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=00"


def number(r: random.Random, sensible):
    """A sensible value most of the time, else one past every range."""
    return sensible if r.random() < 0.5 else r.choice(HUGE_NUMBERS)


def text(r: random.Random, sensible: str) -> str:
    return sensible if r.random() < 0.7 else r.choice(WEIRD_STRINGS[:9] + [rand_string(r)])


class Sender:
    """One keep-alive connection; a request that gets no answer is a failure, and reconnects."""

    def __init__(self, port: int, check: Checker) -> None:
        self.port, self.check = port, check
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)

    def send(self, method: str, path: str, body: bytes, headers: dict[str, str], where: str) -> tuple[int, bytes] | None:
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            payload = response.read()
        except (http.client.HTTPException, OSError) as e:
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
            self.check.fail(f"no response: {e!r}", where)
            return None
        self.check.check_status(response.status, where, payload[:200].decode(errors="replace"))
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
        return response.status, payload

    def close(self) -> None:
        self.conn.close()


def encode_json(r: random.Random, tree) -> bytes:
    try:
        body = json.dumps(tree, allow_nan=r.random() < 0.1).encode()
    except (ValueError, RecursionError):
        body = b"{}"
    return mutate_bytes(r, body) if r.random() < 0.2 else body


# --------------------------------------------------------------------------
# CloudWatch Logs
# --------------------------------------------------------------------------

LOGS_ACTIONS = [
    "CreateLogGroup", "DeleteLogGroup", "DescribeLogGroups", "CreateLogStream", "DeleteLogStream", "DescribeLogStreams",
    "PutLogEvents", "GetLogEvents", "FilterLogEvents", "PutRetentionPolicy", "DeleteRetentionPolicy", "TagLogGroup",
    "UntagLogGroup", "ListTagsLogGroup", "TagResource", "UntagResource", "ListTagsForResource",
]
FILTER_PATTERNS = ["", "ERROR", '"two words"', "?a ?b", "[ip, user, ...]", "{ $.n > 5 }", "{ $.a[0] = 1e300 }", "[w1, w2 > 1e300]", "%re%"]


def logs_request(r: random.Random, now_ms: int) -> tuple[str, dict]:
    action = r.choice(LOGS_ACTIONS)
    group = text(r, r.choice(["fuzz", "/aws/lambda/fuzz", "missing"]))
    tree: dict = {"logGroupName": group, "logStreamName": text(r, r.choice(["s", "other"]))}
    if action == "PutLogEvents":
        tree["logEvents"] = [{"timestamp": number(r, now_ms + i), "message": text(r, f"m{i} ERROR {{\"n\": {i}}}")} for i in range(r.randint(0, 4))]
    if action in ("GetLogEvents", "FilterLogEvents"):
        tree.update(startTime=number(r, now_ms - 1000), endTime=number(r, now_ms + 1000), limit=number(r, r.randint(1, 20)))
        tree["startFromHead"] = r.choice([True, False])
        if r.random() < 0.4:
            tree["nextToken"] = r.choice(["f/00000000000000000000/0", "b/99999999999999999999/9", "f/1e300/x", rand_string(r)])
        tree["filterPattern"] = r.choice(FILTER_PATTERNS)
        tree["logStreamNames"] = [text(r, "s")]
    if action.startswith("Describe"):
        tree.update(logGroupNamePrefix=text(r, "f"), limit=number(r, 5), descending=r.choice([True, False]))
        if r.random() < 0.3:
            tree["nextToken"] = r.choice(["1", "-1", "99999999999999999999", rand_string(r)])
    if action == "PutRetentionPolicy":
        tree["retentionInDays"] = number(r, r.choice([1, 3, 7, 14, 30, 2]))
    if action.startswith("Tag") or action.startswith("Untag") or action.startswith("ListTags"):
        tree.update(tags={text(r, "k"): text(r, "v")}, tagKeys=[text(r, "k")], resourceArn=text(r, "arn:aws:logs:us-east-1:000000000000:log-group:fuzz"))
    for _ in range(r.choice([0, 0, 1, 2])):
        tree = mutate_tree(r, tree)
    return action, tree


def test_fuzz_cloudwatch_logs(server_factory):
    srv = server_factory()
    r = random.Random(SEED + 1)
    check = Checker(srv, "logs")
    sender = Sender(srv.port, check)
    now_ms = int(time.time() * 1000)
    for action, setup in (("CreateLogGroup", '{"logGroupName":"fuzz"}'), ("CreateLogStream", '{"logGroupName":"fuzz","logStreamName":"s"}')):
        headers = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": f"Logs_20140328.{action}", "Authorization": authorization("logs")}
        assert sender.send("POST", "/", setup.encode(), headers, setup)[0] == 200
    for n in range(PER_TARGET):
        check.count = n
        action, tree = logs_request(r, now_ms)
        body = encode_json(r, tree)
        headers = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": f"Logs_20140328.{action}", "Authorization": authorization("logs")}
        result = sender.send("POST", "/", body, headers, f"{action}: {body[:200]!r}")
        if result and result[0] >= 400:
            try:
                doc = json.loads(result[1])
            except ValueError:
                check.fail(f"{result[0]} with an unparseable JSON body {result[1][:200]!r}", body)
                continue
            if not (isinstance(doc, dict) and "__type" in doc):
                check.fail(f"{result[0]} JSON error without __type: {result[1][:200]!r}", body)
    sender.close()
    check.finish()


# --------------------------------------------------------------------------
# SNS and SES, Query protocol
# --------------------------------------------------------------------------

SNS_ACTIONS = [
    "CreateTopic", "DeleteTopic", "ListTopics", "GetTopicAttributes", "SetTopicAttributes", "Subscribe", "ConfirmSubscription",
    "Unsubscribe", "ListSubscriptions", "ListSubscriptionsByTopic", "GetSubscriptionAttributes", "SetSubscriptionAttributes",
    "Publish", "PublishBatch", "TagResource", "UntagResource", "ListTagsForResource",
]


def weird_policy(r: random.Random, kind: int | None = None) -> str:
    """DeliveryPolicy (0), FilterPolicy (1) or RedrivePolicy (2) JSON, with numbers past every range."""
    kind = r.randrange(3) if kind is None else kind
    if kind == 0:
        retry = {key: number(r, r.randint(0, 5)) for key in r.sample(
            ["minDelayTarget", "maxDelayTarget", "numRetries", "numNoDelayRetries", "numMinDelayRetries", "numMaxDelayRetries"], r.randint(1, 4))}
        return json.dumps({"healthyRetryPolicy": retry, "throttlePolicy": {"maxReceivesPerSecond": number(r, 5)}})
    if kind == 1:
        condition = r.choice([
            {"numeric": [">", number(r, 1)]}, {"numeric": [">=", number(r, 0), "<", number(r, 10)]}, {"prefix": text(r, "a")},
            {"anything-but": [number(r, 1), text(r, "x")]}, {"exists": r.choice([True, False, 1])}, number(r, 3),
        ])
        return json.dumps({text(r, "n"): [condition]})
    return json.dumps({"deadLetterTargetArn": text(r, "arn:aws:sqs:us-east-1:000000000000:fuzz-dlq")})


def sns_params(r: random.Random, topics: list[str], queue_arn: str) -> dict[str, str]:
    action = r.choice(SNS_ACTIONS)
    topic = text(r, r.choice(topics))
    params = {"Action": action, "Version": "2010-03-31", "TopicArn": topic}
    if action == "CreateTopic":
        params["Name"] = text(r, r.choice(["fuzz-new", "fuzz-new.fifo"]))
        params.update({"Attributes.entry.1.key": r.choice(["FifoTopic", "DeliveryPolicy", "ContentBasedDeduplication"]),
                       "Attributes.entry.1.value": r.choice(["true", weird_policy(r), str(r.choice(HUGE_NUMBERS))])})
    if action in ("SetTopicAttributes", "SetSubscriptionAttributes"):
        params["AttributeName"] = r.choice(["DeliveryPolicy", "FilterPolicy", "FilterPolicyScope", "RedrivePolicy", "RawMessageDelivery", "Policy", "DisplayName"])
        params["AttributeValue"] = r.choice([weird_policy(r), "true", "MessageBody", str(r.choice(HUGE_NUMBERS)), rand_string(r)])
    if action == "Subscribe":
        endpoints = {"sqs": queue_arn, "http": "http://127.0.0.1:1/hook", "email": "a@example.com", "sms": "+15555550100",
                     "lambda": "arn:aws:lambda:us-east-1:000000000000:function:fuzz"}
        protocol = r.choice(list(endpoints) + [rand_string(r)])
        params.update(Protocol=protocol, Endpoint=endpoints.get(protocol, rand_string(r)) if r.random() < 0.8 else rand_string(r))
        # An HTTP subscription's DeliveryPolicy is parsed at once: give it one most of the time.
        key = "DeliveryPolicy" if params["Protocol"] == "http" and r.random() < 0.7 else r.choice(["FilterPolicy", "DeliveryPolicy", "RawMessageDelivery"])
        params.update({"Attributes.entry.1.key": key, "Attributes.entry.1.value": weird_policy(r, 0 if key == "DeliveryPolicy" else None)})
    if action in ("Publish", "PublishBatch"):
        params.update(Message=text(r, "hello"), Subject=text(r, "s"))
        if r.random() < 0.5:
            params.update({"MessageAttributes.entry.1.Name": text(r, "n"),
                           "MessageAttributes.entry.1.Value.DataType": r.choice(["Number", "String", "String.Array", "Binary"]),
                           "MessageAttributes.entry.1.Value.StringValue": str(r.choice(HUGE_NUMBERS + ["[1e300, \"a\"]"]))})
        if topic.endswith(".fifo") or r.random() < 0.2:
            params.update(MessageGroupId=text(r, "g"), MessageDeduplicationId=text(r, "d"))
        if action == "PublishBatch":
            for i in range(1, r.randint(1, 12)):
                params[f"PublishBatchRequestEntries.member.{i}.Id"] = text(r, f"e{i}")
                params[f"PublishBatchRequestEntries.member.{i}.Message"] = text(r, "m")
    if action in ("GetSubscriptionAttributes", "SetSubscriptionAttributes", "Unsubscribe"):
        params["SubscriptionArn"] = text(r, topic + ":00000000-0000-0000-0000-000000000000")
    if action == "ConfirmSubscription":
        params["Token"] = text(r, rand_string(r))
    if action.startswith("List"):
        params["NextToken"] = r.choice(["", "1", "-1", "99999999999999999999", rand_string(r)])
    if "Tag" in action:
        params.update({"ResourceArn": topic, "Tags.member.1.Key": text(r, "k"), "Tags.member.1.Value": text(r, "v"), "TagKeys.member.1": text(r, "k")})
    for key in list(params):
        if key != "Action" and r.random() < 0.05:
            del params[key]
    return params


SES_ACTIONS = ["SendEmail", "SendRawEmail", "SendTemplatedEmail", "VerifyEmailIdentity", "VerifyDomainIdentity", "ListIdentities", "DeleteIdentity", "GetSendQuota"]


def ses_params(r: random.Random) -> dict[str, str]:
    action = r.choice(SES_ACTIONS)
    params = {"Action": action, "Version": "2010-12-01", "Source": text(r, "sender@example.com")}
    params.update({"Destination.ToAddresses.member.1": text(r, "to@example.com"), "Destination.CcAddresses.member.1": text(r, "cc@example.com")})
    params.update({"Message.Subject.Data": text(r, "subject"), "Message.Body.Text.Data": text(r, "body"), "Message.Body.Html.Data": text(r, "<p>x</p>")})
    if action == "SendRawEmail":
        raw = r.choice([b"From: a@example.com\r\nTo: b@example.com\r\nSubject: s\r\n\r\nbody", bytes(r.randrange(256) for _ in range(r.randint(0, 200)))])
        params["RawMessage.Data"] = base64.b64encode(raw).decode() if r.random() < 0.8 else rand_string(r)
    if action == "SendTemplatedEmail":
        params.update(Template=text(r, "fuzz"), TemplateData=r.choice(['{"n": 1e300}', "{", json.dumps(rand_value(r)), "{}"]))
    if action.startswith("Verify") or action == "DeleteIdentity":
        params.update(EmailAddress=text(r, "who@example.com"), Domain=text(r, "example.com"), Identity=text(r, "who@example.com"))
    if action == "ListIdentities":
        params.update(MaxItems=str(number(r, 5)), NextToken=r.choice(["", "5", "-1", rand_string(r)]), IdentityType=r.choice(["EmailAddress", "Domain", "x"]))
    return params


def test_fuzz_sns_and_ses_query(server_factory):
    srv = server_factory()
    sqs = srv.client()
    queue_url = sqs.create_queue(QueueName="fuzz-sns")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns = client("sns", srv.endpoint)
    topics = [sns.create_topic(Name="fuzz")["TopicArn"], sns.create_topic(Name="fuzz.fifo", Attributes={"FifoTopic": "true"})["TopicArn"]]
    sns.subscribe(TopicArn=topics[0], Protocol="sqs", Endpoint=queue_arn)
    r = random.Random(SEED + 2)
    check = Checker(srv, "sns-ses")
    sender = Sender(srv.port, check)
    for n in range(PER_TARGET):
        check.count = n
        service = "sns" if r.random() < 0.65 else "email"
        params = sns_params(r, topics, queue_arn) if service == "sns" else ses_params(r)
        body = urllib.parse.urlencode(params).encode()
        if r.random() < 0.1:
            body = mutate_bytes(r, body)
        headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Authorization": authorization(service)}
        result = sender.send("POST", "/", body, headers, f"{service}: {body[:300]!r}")
        if result and result[0] >= 400 and b"<Error>" not in result[1] and b"__type" not in result[1]:
            check.fail(f"{result[0]} without an error document: {result[1][:200]!r}", body)
    sender.close()
    check.finish()


# --------------------------------------------------------------------------
# SES v2 (REST JSON) and the test controls
# --------------------------------------------------------------------------


def sesv2_request(r: random.Random) -> tuple[str, str, bytes]:
    pick = r.randrange(6)
    if pick == 0:
        content = {"Simple": {"Subject": {"Data": text(r, "s")}, "Body": {"Text": {"Data": text(r, "b")}}}}
        if r.random() < 0.3:
            content = {"Template": {"TemplateName": text(r, "fuzz"), "TemplateData": r.choice(['{"n": 1e300}', "{", "{}"])}}
        tree = {"FromEmailAddress": text(r, "a@example.com"), "Destination": {"ToAddresses": [text(r, "b@example.com")]}, "Content": content}
        return "POST", "/v2/email/outbound-emails", encode_json(r, mutate_tree(r, tree) if r.random() < 0.5 else tree)
    if pick == 1:
        tree = {"TemplateName": text(r, "fuzz"), "TemplateContent": {"Subject": text(r, "{{n}}"), "Text": text(r, "{{#each x}}{{/each}}")}}
        return "POST", "/v2/email/templates", encode_json(r, mutate_tree(r, tree))
    if pick == 2:
        return "GET", f"/v2/email/identities?PageSize={urllib.parse.quote(str(number(r, 5)))}&NextToken={urllib.parse.quote(rand_string(r))}", b""
    if pick == 3:
        return "POST", "/v2/email/identities", encode_json(r, {"EmailIdentity": text(r, "x@example.com")})
    if pick == 4:
        return r.choice(["GET", "DELETE", "PUT"]), "/v2/email/templates/" + urllib.parse.quote(text(r, "fuzz"), safe=""), encode_json(r, rand_value(r))
    return "GET", "/v2/email/account", b""


def control_request(r: random.Random) -> tuple[str, str, bytes]:
    pick = r.randrange(4)
    if pick == 0:
        move = r.choice(["advance", "advance", "freeze", "resume", rand_string(r)[:10]])
        tree = r.choice([{"seconds": number(r, 1)}, {"to": number(r, int(time.time() * 1000) + 10_000)}, {"seconds": rand_value(r)}, rand_value(r)])
        return "POST", f"/_sqslite/clock/{urllib.parse.quote(move, safe='')}", encode_json(r, tree)
    if pick == 1:
        rule = {"service": r.choice(["sqs", "lambda", "sns", rand_string(r)]), "action": text(r, "GetQueueUrl"), "queue": text(r, "nothing-matches-*"),
                "probability": number(r, 0.0), "error": r.choice(["ThrottlingException", "InvalidAddress", rand_string(r)]),
                "latencyMs": [number(r, 0), number(r, 0)], "count": number(r, 1), "retryAfterSeconds": number(r, 1)}
        return "POST", "/_sqslite/faults", encode_json(r, mutate_tree(r, rule) if r.random() < 0.5 else rule)
    if pick == 2:
        query = urllib.parse.urlencode({"action": text(r, "SendMessage"), "limit": str(number(r, 5)), "since": str(number(r, 0))})
        return "GET", f"/_sqslite/calls?{query}", b""
    return r.choice(["GET", "DELETE"]), "/_sqslite/faults", b""


def test_fuzz_sesv2_rest_and_test_controls(server_factory):
    srv = server_factory(extra_args=("--controllable-clock",))
    r = random.Random(SEED + 3)
    check = Checker(srv, "sesv2-controls")
    sender = Sender(srv.port, check)
    for n in range(PER_TARGET):
        check.count = n
        method, path, body = sesv2_request(r) if r.random() < 0.5 else control_request(r)
        headers = {"Content-Type": "application/json", "Authorization": authorization("ses")}
        sender.send(method, path, body, headers, f"{method} {path}: {body[:200]!r}")
    sender.close()
    check.finish()
