"""Message actions via boto3: SendMessage(+Batch), ReceiveMessage, DeleteMessage(+Batch),
ChangeMessageVisibility(+Batch); MD5 digests, size/content validation, visibility and delays."""

from __future__ import annotations

import re
import time
import uuid

import pytest

from conftest import MIB, counts, expect_error, md5_hex, md5_of_attributes, receive_all

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

# Test vectors from the shared SQS reference (section 4.6).
ATTR_STRING = {"attribName1": {"DataType": "String", "StringValue": "attribValue 1"}}
ATTR_NUMBER = {"customNumberTypeAttrib": {"DataType": "Number.float", "StringValue": "4563442423554324324264524243.32543234"}}
ATTR_BINARY = {"binaryAttribute": {"DataType": "Binary", "BinaryValue": b"Hello binary world!"}}
ATTR_ALL = {**ATTR_STRING, **ATTR_NUMBER, **ATTR_BINARY}
VECTORS = [
    (ATTR_STRING, "19e27d4e946b072f3f58da80d94fd778"),
    (ATTR_NUMBER, "9fe1b90bbd9965bdf77bac517c7d2495"),
    (ATTR_BINARY, "31a92b15d92f8db860eda32aceb656c3"),
    (ATTR_ALL, "c932db14a896c663f83c260297d594ff"),
]
TRACE = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"


def test_md5_helper_matches_reference_vectors():
    # guards the helper the other tests rely on
    for attrs, expected in VECTORS:
        assert md5_of_attributes(attrs) == expected
    assert md5_hex("test") == "098f6bcd4621d373cade4e832627b4f6"


# ---------------------------------------------------------------- SendMessage


def test_send_message_basic_response(sqs, queue_url):
    resp = sqs.send_message(QueueUrl=queue_url, MessageBody="test")
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert resp["MD5OfMessageBody"] == "098f6bcd4621d373cade4e832627b4f6"
    assert UUID_RE.match(resp["MessageId"]), resp["MessageId"]
    # omitted when there are no (system) attributes -- MD5("") here broke PHP SDK clients
    for absent in ("MD5OfMessageAttributes", "MD5OfMessageSystemAttributes", "SequenceNumber"):
        assert absent not in resp


def test_send_message_unicode_body_md5(sqs, queue_url):
    body = "héllo wörld ✓ 😀 \t\n\r end"
    resp = sqs.send_message(QueueUrl=queue_url, MessageBody=body)
    assert resp["MD5OfMessageBody"] == md5_hex(body)
    msg = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=1)["Messages"][0]
    assert msg["Body"] == body
    assert msg["MD5OfBody"] == md5_hex(body)
    assert msg["MessageId"] == resp["MessageId"]


@pytest.mark.parametrize("attrs,expected", VECTORS, ids=["string", "number-custom", "binary", "all"])
def test_send_message_md5_of_message_attributes(sqs, queue_url, attrs, expected):
    resp = sqs.send_message(QueueUrl=queue_url, MessageBody="test", MessageAttributes=attrs)
    assert resp["MD5OfMessageAttributes"] == expected
    assert resp["MD5OfMessageBody"] == "098f6bcd4621d373cade4e832627b4f6"
    msg = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=1, MessageAttributeNames=["All"])["Messages"][0]
    assert msg["MD5OfMessageAttributes"] == expected
    assert msg["MessageAttributes"] == attrs  # binary comes back as bytes, custom type kept


def test_send_message_system_attribute_aws_trace_header(sqs, queue_url):
    sys_attrs = {"AWSTraceHeader": {"DataType": "String", "StringValue": TRACE}}
    resp = sqs.send_message(QueueUrl=queue_url, MessageBody="traced", MessageSystemAttributes=sys_attrs)
    assert resp["MD5OfMessageSystemAttributes"] == md5_of_attributes(sys_attrs)
    assert "MD5OfMessageAttributes" not in resp
    msg = sqs.receive_message(
        QueueUrl=queue_url, WaitTimeSeconds=1, MessageSystemAttributeNames=["AWSTraceHeader"]
    )["Messages"][0]
    assert msg["Attributes"] == {"AWSTraceHeader": TRACE}
    sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=msg["ReceiptHandle"], VisibilityTimeout=0)
    msg = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=1, MessageSystemAttributeNames=["All"])["Messages"][0]
    assert msg["Attributes"]["AWSTraceHeader"] == TRACE


@pytest.mark.parametrize("body", ["bad\x00nul", "bell\x07", "\x1f", "nonchar\uffff", "x\ufffe"])
def test_send_message_invalid_characters(sqs, queue_url, body):
    with expect_error("InvalidMessageContents", 400):
        sqs.send_message(QueueUrl=queue_url, MessageBody=body)
    assert counts(sqs, queue_url) == (0, 0, 0)


def test_send_message_empty_body(sqs, queue_url):
    with expect_error("MissingParameter", 400):
        sqs.send_message(QueueUrl=queue_url, MessageBody="")


def test_send_message_exactly_1_mib_ok_and_one_byte_more_fails(sqs, queue_url):
    body = "a" * MIB
    resp = sqs.send_message(QueueUrl=queue_url, MessageBody=body)
    assert resp["MD5OfMessageBody"] == md5_hex(body)
    with expect_error("InvalidParameterValue", 400):
        sqs.send_message(QueueUrl=queue_url, MessageBody=body + "a")
    msg = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=1)["Messages"][0]
    assert len(msg["Body"]) == MIB and msg["MD5OfBody"] == md5_hex(body)


def test_send_message_1_mib_of_multibyte_chars(sqs, queue_url):
    # 1 MiB of UTF-8 (2 bytes per char); botocore escapes each char as \u00e9 so the
    # JSON request body is ~3 MiB. The server must not cap requests at ~1 MiB.
    body = "é" * (MIB // 2)
    resp = sqs.send_message(QueueUrl=queue_url, MessageBody=body)
    assert resp["MD5OfMessageBody"] == md5_hex(body)
    with expect_error("InvalidParameterValue", 400):
        sqs.send_message(QueueUrl=queue_url, MessageBody=body + "a")


def test_send_message_size_counts_attributes(sqs, queue_url):
    body = "b" * (MIB - 100)
    small = {"k": {"DataType": "String", "StringValue": "v" * 10}}
    big = {"k": {"DataType": "String", "StringValue": "v" * 200}}
    sqs.send_message(QueueUrl=queue_url, MessageBody=body, MessageAttributes=small)
    with expect_error("InvalidParameterValue", 400):
        sqs.send_message(QueueUrl=queue_url, MessageBody=body, MessageAttributes=big)


def test_send_message_respects_queue_maximum_message_size(sqs, make_queue):
    url = make_queue(attributes={"MaximumMessageSize": "1024"})
    sqs.send_message(QueueUrl=url, MessageBody="x" * 1024)
    with expect_error("InvalidParameterValue", 400):
        sqs.send_message(QueueUrl=url, MessageBody="x" * 1025)


@pytest.mark.parametrize("delay", [-1, 901])
def test_send_message_delay_out_of_range(sqs, queue_url, delay):
    with expect_error("InvalidParameterValue", 400):
        sqs.send_message(QueueUrl=queue_url, MessageBody="x", DelaySeconds=delay)


@pytest.mark.parametrize(
    "attrs",
    [
        {"empty": {"DataType": "String", "StringValue": ""}},
        {"AWS.reserved": {"DataType": "String", "StringValue": "x"}},
        {"bad name!": {"DataType": "String", "StringValue": "x"}},
        {"badtype": {"DataType": "Integer", "StringValue": "1"}},
        {"notanumber": {"DataType": "Number", "StringValue": "abc"}},
        {f"a{i}": {"DataType": "String", "StringValue": "x"} for i in range(11)},
    ],
    ids=["empty-value", "aws-prefix", "bad-name", "bad-type", "nan", "eleven-attributes"],
)
def test_send_message_invalid_message_attributes(sqs, queue_url, attrs):
    with expect_error("InvalidParameterValue", 400):
        sqs.send_message(QueueUrl=queue_url, MessageBody="x", MessageAttributes=attrs)
    assert counts(sqs, queue_url) == (0, 0, 0)


def test_send_message_ten_attributes_allowed(sqs, queue_url):
    attrs = {f"a{i}": {"DataType": "String", "StringValue": str(i)} for i in range(10)}
    resp = sqs.send_message(QueueUrl=queue_url, MessageBody="x", MessageAttributes=attrs)
    assert resp["MD5OfMessageAttributes"] == md5_of_attributes(attrs)


def test_send_message_nonexistent_queue(sqs, server):
    with expect_error("AWS.SimpleQueueService.NonExistentQueue", 400):
        sqs.send_message(QueueUrl=server.queue_url("nope-" + uuid.uuid4().hex), MessageBody="x")


# ---------------------------------------------------------------- delays


def test_per_message_delay_seconds(sqs, queue_url):
    sqs.send_message(QueueUrl=queue_url, MessageBody="later", DelaySeconds=1)
    assert counts(sqs, queue_url) == (0, 0, 1)
    assert "Messages" not in sqs.receive_message(QueueUrl=queue_url)
    time.sleep(1.3)
    assert counts(sqs, queue_url) == (1, 0, 0)
    assert sqs.receive_message(QueueUrl=queue_url)["Messages"][0]["Body"] == "later"


def test_queue_delay_seconds_and_explicit_zero_override(sqs, make_queue):
    url = make_queue(attributes={"DelaySeconds": "1"})
    sqs.send_message(QueueUrl=url, MessageBody="queue-delayed")
    sqs.send_message(QueueUrl=url, MessageBody="now", DelaySeconds=0)
    assert counts(sqs, url) == (1, 0, 1)
    msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert [m["Body"] for m in msgs] == ["now"]
    time.sleep(1.3)
    msgs = receive_all(sqs, url, 1)
    assert [m["Body"] for m in msgs] == ["queue-delayed"]


# ---------------------------------------------------------------- SendMessageBatch


def test_send_message_batch_success(sqs, queue_url):
    entries = [
        {"Id": "a", "MessageBody": "body-a"},
        {"Id": "b-2", "MessageBody": "body-b", "MessageAttributes": ATTR_STRING},
        {"Id": "C_3", "MessageBody": "body-c", "DelaySeconds": 0},
    ]
    resp = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
    assert "Failed" not in resp  # empty lists are omitted in the JSON protocol
    by_id = {e["Id"]: e for e in resp["Successful"]}
    assert set(by_id) == {"a", "b-2", "C_3"}
    for e in entries:
        got = by_id[e["Id"]]
        assert got["MD5OfMessageBody"] == md5_hex(e["MessageBody"])
        assert UUID_RE.match(got["MessageId"])
    assert by_id["b-2"]["MD5OfMessageAttributes"] == "19e27d4e946b072f3f58da80d94fd778"
    assert "MD5OfMessageAttributes" not in by_id["a"]
    assert len({g["MessageId"] for g in by_id.values()}) == 3
    msgs = receive_all(sqs, queue_url, 3)
    assert sorted(m["Body"] for m in msgs) == ["body-a", "body-b", "body-c"]


def test_send_message_batch_partial_failure(sqs, make_queue):
    url = make_queue(attributes={"MaximumMessageSize": "1024"})
    resp = sqs.send_message_batch(
        QueueUrl=url,
        Entries=[
            {"Id": "ok", "MessageBody": "fine"},
            {"Id": "toolarge", "MessageBody": "x" * 2000},
        ],
    )
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert [e["Id"] for e in resp["Successful"]] == ["ok"]
    assert len(resp["Failed"]) == 1
    failed = resp["Failed"][0]
    assert failed["Id"] == "toolarge"
    assert failed["SenderFault"] is True
    assert failed["Code"] == "InvalidParameterValue"
    assert failed.get("Message")
    assert counts(sqs, url) == (1, 0, 0)


def test_send_message_batch_per_entry_invalid_characters(sqs, queue_url):
    resp = sqs.send_message_batch(
        QueueUrl=queue_url,
        Entries=[{"Id": "good", "MessageBody": "ok"}, {"Id": "bad", "MessageBody": "nul\x00"}],
    )
    assert [e["Id"] for e in resp["Successful"]] == ["good"]
    assert [f["Id"] for f in resp["Failed"]] == ["bad"]
    assert resp["Failed"][0]["SenderFault"] is True
    assert resp["Failed"][0]["Code"] in ("InvalidMessageContents", "InvalidParameterValue")


def test_send_message_batch_too_many_entries(sqs, queue_url):
    entries = [{"Id": f"m{i}", "MessageBody": "x"} for i in range(11)]
    with expect_error("AWS.SimpleQueueService.TooManyEntriesInBatchRequest", 400) as ei:
        sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
    assert "11" in ei.value.response["Error"]["Message"]
    assert counts(sqs, queue_url) == (0, 0, 0)


def test_send_message_batch_ten_entries_ok(sqs, queue_url):
    entries = [{"Id": f"m{i}", "MessageBody": f"x{i}"} for i in range(10)]
    resp = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
    assert len(resp["Successful"]) == 10


def test_send_message_batch_ids_not_distinct(sqs, queue_url):
    with expect_error("AWS.SimpleQueueService.BatchEntryIdsNotDistinct", 400):
        sqs.send_message_batch(
            QueueUrl=queue_url, Entries=[{"Id": "same", "MessageBody": "1"}, {"Id": "same", "MessageBody": "2"}]
        )
    assert counts(sqs, queue_url) == (0, 0, 0)


def test_send_message_batch_empty(sqs, queue_url):
    with expect_error("AWS.SimpleQueueService.EmptyBatchRequest", 400):
        sqs.send_message_batch(QueueUrl=queue_url, Entries=[])


@pytest.mark.parametrize("bad_id", ["has space", "invalid:id", "x" * 81, ""])
def test_send_message_batch_invalid_id(sqs, queue_url, bad_id):
    with expect_error("AWS.SimpleQueueService.InvalidBatchEntryId", 400):
        sqs.send_message_batch(QueueUrl=queue_url, Entries=[{"Id": bad_id, "MessageBody": "x"}])


def test_send_message_batch_total_too_long(sqs, queue_url):
    entries = [{"Id": "one", "MessageBody": "a" * (MIB // 2)}, {"Id": "two", "MessageBody": "b" * (MIB // 2 + 1)}]
    with expect_error("AWS.SimpleQueueService.BatchRequestTooLong", 400):
        sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
    assert counts(sqs, queue_url) == (0, 0, 0)
    # exactly 1 MiB in total is fine
    entries[1]["MessageBody"] = "b" * (MIB // 2)
    assert len(sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)["Successful"]) == 2


# ---------------------------------------------------------------- ReceiveMessage


def test_receive_from_empty_queue_has_no_messages_key(sqs, queue_url):
    resp = sqs.receive_message(QueueUrl=queue_url)
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert "Messages" not in resp


def test_receive_message_shape(sqs, queue_url):
    sent = sqs.send_message(QueueUrl=queue_url, MessageBody="shape")
    msg = sqs.receive_message(QueueUrl=queue_url)["Messages"][0]
    assert set(msg) == {"MessageId", "ReceiptHandle", "MD5OfBody", "Body"}
    assert msg["MessageId"] == sent["MessageId"]
    assert msg["MD5OfBody"] == sent["MD5OfMessageBody"]


def test_receive_max_number_of_messages(sqs, queue_url):
    for i in range(5):
        sqs.send_message(QueueUrl=queue_url, MessageBody=f"m{i}")
    first = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=2)["Messages"]
    assert 1 <= len(first) <= 2
    rest = receive_all(sqs, queue_url, 5 - len(first))
    bodies = [m["Body"] for m in first + rest]
    assert sorted(bodies) == [f"m{i}" for i in range(5)]
    # default MaxNumberOfMessages is 1
    for i in range(3):
        sqs.send_message(QueueUrl=queue_url, MessageBody=f"n{i}")
    assert len(sqs.receive_message(QueueUrl=queue_url)["Messages"]) == 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"MaxNumberOfMessages": 0},
        {"MaxNumberOfMessages": 11},
        {"WaitTimeSeconds": 21},
        {"WaitTimeSeconds": -1},
        {"VisibilityTimeout": 43201},
        {"VisibilityTimeout": -1},
    ],
    ids=lambda kw: "-".join(f"{k}={v}" for k, v in kw.items()),
)
def test_receive_message_parameter_ranges(sqs, queue_url, kwargs):
    with expect_error("InvalidParameterValue", 400):
        sqs.receive_message(QueueUrl=queue_url, **kwargs)


def test_receive_system_attributes_all(sqs, queue_url):
    t0 = int(time.time() * 1000)
    sqs.send_message(QueueUrl=queue_url, MessageBody="attrs")
    t1 = int(time.time() * 1000)
    msg = sqs.receive_message(QueueUrl=queue_url, MessageSystemAttributeNames=["All"])["Messages"][0]
    t2 = int(time.time() * 1000)
    a = msg["Attributes"]
    assert set(a) == {"SenderId", "SentTimestamp", "ApproximateReceiveCount", "ApproximateFirstReceiveTimestamp"}
    assert a["ApproximateReceiveCount"] == "1"
    assert a["SenderId"]
    sent = int(a["SentTimestamp"])  # epoch milliseconds
    first = int(a["ApproximateFirstReceiveTimestamp"])
    assert t0 - 1000 <= sent <= t1 + 1000
    assert sent <= first <= t2 + 1000


def test_receive_legacy_attribute_names_all(sqs, queue_url):
    sqs.send_message(QueueUrl=queue_url, MessageBody="attrs")
    msg = sqs.receive_message(QueueUrl=queue_url, AttributeNames=["All"])["Messages"][0]
    assert {"SenderId", "SentTimestamp", "ApproximateReceiveCount", "ApproximateFirstReceiveTimestamp"} <= set(
        msg["Attributes"]
    )


def test_receive_specific_system_attributes(sqs, queue_url):
    sqs.send_message(QueueUrl=queue_url, MessageBody="x")
    msg = sqs.receive_message(
        QueueUrl=queue_url, MessageSystemAttributeNames=["ApproximateReceiveCount", "SentTimestamp"]
    )["Messages"][0]
    assert set(msg["Attributes"]) == {"ApproximateReceiveCount", "SentTimestamp"}
    sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=msg["ReceiptHandle"], VisibilityTimeout=0)
    msg = sqs.receive_message(QueueUrl=queue_url, AttributeNames=["SenderId"])["Messages"][0]
    assert set(msg["Attributes"]) == {"SenderId"}


def test_receive_count_first_receive_timestamp_and_receipt_handles(sqs, queue_url):
    sqs.send_message(QueueUrl=queue_url, MessageBody="again")
    handles = []
    firsts = set()
    for expected in ("1", "2", "3"):
        msg = sqs.receive_message(QueueUrl=queue_url, MessageSystemAttributeNames=["All"], WaitTimeSeconds=1)[
            "Messages"
        ][0]
        assert msg["Attributes"]["ApproximateReceiveCount"] == expected
        firsts.add(msg["Attributes"]["ApproximateFirstReceiveTimestamp"])
        handles.append(msg["ReceiptHandle"])
        sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=msg["ReceiptHandle"], VisibilityTimeout=0)
        time.sleep(0.01)
    assert len(set(handles)) == 3, "each receive must hand out a new receipt handle"
    assert len(firsts) == 1, "ApproximateFirstReceiveTimestamp must not change"
    # the latest handle deletes
    sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=handles[-1])
    assert counts(sqs, queue_url) == (0, 0, 0)


def test_receive_message_attribute_name_filters(sqs, queue_url):
    attrs = {
        "order.id": {"DataType": "String", "StringValue": "42"},
        "order.total": {"DataType": "Number", "StringValue": "9.99"},
        "customer": {"DataType": "String", "StringValue": "ann"},
        "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01\xff"},
    }
    sent = sqs.send_message(QueueUrl=queue_url, MessageBody="m", MessageAttributes=attrs)
    assert sent["MD5OfMessageAttributes"] == md5_of_attributes(attrs)

    def recv(names):
        kwargs = {"MessageAttributeNames": names} if names is not None else {}
        msg = sqs.receive_message(QueueUrl=queue_url, VisibilityTimeout=0, WaitTimeSeconds=1, **kwargs)["Messages"][0]
        return msg

    none = recv(None)
    assert "MessageAttributes" not in none and "MD5OfMessageAttributes" not in none

    for names in (["All"], [".*"], ["*"]):
        msg = recv(names)
        assert msg["MessageAttributes"] == attrs
        assert msg["MD5OfMessageAttributes"] == md5_of_attributes(attrs)

    prefix = recv(["order.*"])
    assert set(prefix["MessageAttributes"]) == {"order.id", "order.total"}
    assert prefix["MD5OfMessageAttributes"] == md5_of_attributes(prefix["MessageAttributes"])

    # The ".*" is the wildcard, not part of the prefix (as real SQS answers).
    cust = recv(["cust.*"])
    assert cust["MessageAttributes"] == {"customer": attrs["customer"]}
    assert cust["MD5OfMessageAttributes"] == md5_of_attributes(cust["MessageAttributes"])

    named = recv(["customer", "does-not-exist"])
    assert named["MessageAttributes"] == {"customer": attrs["customer"]}
    assert named["MD5OfMessageAttributes"] == md5_of_attributes({"customer": attrs["customer"]})

    nothing = recv(["does-not-exist"])
    assert "MessageAttributes" not in nothing and "MD5OfMessageAttributes" not in nothing


# ---------------------------------------------------------------- visibility


def test_receive_visibility_timeout_expiry(sqs, queue_url):
    sqs.send_message(QueueUrl=queue_url, MessageBody="vt")
    first = sqs.receive_message(QueueUrl=queue_url, VisibilityTimeout=1)["Messages"][0]
    assert counts(sqs, queue_url) == (0, 1, 0)
    assert "Messages" not in sqs.receive_message(QueueUrl=queue_url)
    time.sleep(1.3)
    assert counts(sqs, queue_url) == (1, 0, 0)
    again = sqs.receive_message(QueueUrl=queue_url, MessageSystemAttributeNames=["ApproximateReceiveCount"])[
        "Messages"
    ][0]
    assert again["MessageId"] == first["MessageId"]
    assert again["Attributes"]["ApproximateReceiveCount"] == "2"
    assert again["ReceiptHandle"] != first["ReceiptHandle"]


def test_queue_visibility_timeout_attribute_is_default(sqs, make_queue):
    url = make_queue(attributes={"VisibilityTimeout": "1"})
    sqs.send_message(QueueUrl=url, MessageBody="vt")
    sqs.receive_message(QueueUrl=url)
    assert "Messages" not in sqs.receive_message(QueueUrl=url)
    time.sleep(1.3)
    assert sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"] == "vt"


def test_change_message_visibility_zero_makes_visible(sqs, queue_url):
    sqs.send_message(QueueUrl=queue_url, MessageBody="cmv")
    msg = sqs.receive_message(QueueUrl=queue_url, VisibilityTimeout=60)["Messages"][0]
    resp = sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=msg["ReceiptHandle"], VisibilityTimeout=0)
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert counts(sqs, queue_url) == (1, 0, 0)
    assert sqs.receive_message(QueueUrl=queue_url)["Messages"][0]["MessageId"] == msg["MessageId"]


def test_change_message_visibility_extends(sqs, queue_url):
    sqs.send_message(QueueUrl=queue_url, MessageBody="cmv")
    msg = sqs.receive_message(QueueUrl=queue_url, VisibilityTimeout=1)["Messages"][0]
    sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=msg["ReceiptHandle"], VisibilityTimeout=60)
    time.sleep(1.3)
    assert "Messages" not in sqs.receive_message(QueueUrl=queue_url)
    assert counts(sqs, queue_url) == (0, 1, 0)


def test_change_message_visibility_errors(sqs, queue_url):
    sqs.send_message(QueueUrl=queue_url, MessageBody="cmv")
    msg = sqs.receive_message(QueueUrl=queue_url, VisibilityTimeout=60)["Messages"][0]
    with expect_error("InvalidParameterValue", 400):
        sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=msg["ReceiptHandle"], VisibilityTimeout=43201)
    with expect_error("InvalidParameterValue", 400):
        sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=msg["ReceiptHandle"], VisibilityTimeout=-1)
    with expect_error("ReceiptHandleIsInvalid", 400):
        sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle="garbage", VisibilityTimeout=0)
    assert counts(sqs, queue_url) == (0, 1, 0)


def test_change_message_visibility_after_expiry_succeeds_on_standard(sqs, queue_url):
    # AWS-recorded: standard queue, handle whose visibility already expired -> 200
    sqs.send_message(QueueUrl=queue_url, MessageBody="late")
    msg = sqs.receive_message(QueueUrl=queue_url, VisibilityTimeout=1)["Messages"][0]
    time.sleep(1.3)
    sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=msg["ReceiptHandle"], VisibilityTimeout=0)


def test_change_message_visibility_batch(sqs, queue_url):
    for i in range(2):
        sqs.send_message(QueueUrl=queue_url, MessageBody=f"b{i}")
    msgs = receive_all(sqs, queue_url, 2, VisibilityTimeout=60)
    assert len(msgs) == 2
    resp = sqs.change_message_visibility_batch(
        QueueUrl=queue_url,
        Entries=[
            {"Id": "e0", "ReceiptHandle": msgs[0]["ReceiptHandle"], "VisibilityTimeout": 0},
            {"Id": "e1", "ReceiptHandle": msgs[1]["ReceiptHandle"], "VisibilityTimeout": 0},
            {"Id": "bad", "ReceiptHandle": "garbage", "VisibilityTimeout": 0},
        ],
    )
    assert sorted(e["Id"] for e in resp["Successful"]) == ["e0", "e1"]
    assert len(resp["Failed"]) == 1
    f = resp["Failed"][0]
    assert (f["Id"], f["Code"], f["SenderFault"]) == ("bad", "ReceiptHandleIsInvalid", True)
    assert counts(sqs, queue_url) == (2, 0, 0)


def test_change_message_visibility_batch_request_errors(sqs, queue_url):
    with expect_error("AWS.SimpleQueueService.EmptyBatchRequest", 400):
        sqs.change_message_visibility_batch(QueueUrl=queue_url, Entries=[])
    with expect_error("AWS.SimpleQueueService.TooManyEntriesInBatchRequest", 400):
        sqs.change_message_visibility_batch(
            QueueUrl=queue_url,
            Entries=[{"Id": f"i{i}", "ReceiptHandle": f"h{i}", "VisibilityTimeout": 0} for i in range(11)],
        )
    with expect_error("AWS.SimpleQueueService.BatchEntryIdsNotDistinct", 400):
        sqs.change_message_visibility_batch(
            QueueUrl=queue_url,
            Entries=[{"Id": "d", "ReceiptHandle": f"h{i}", "VisibilityTimeout": 0} for i in range(2)],
        )


# ---------------------------------------------------------------- DeleteMessage


def test_delete_message(sqs, queue_url):
    sqs.send_message(QueueUrl=queue_url, MessageBody="del")
    msg = sqs.receive_message(QueueUrl=queue_url, VisibilityTimeout=1)["Messages"][0]
    resp = sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=msg["ReceiptHandle"])
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert counts(sqs, queue_url) == (0, 0, 0)
    time.sleep(1.2)
    assert "Messages" not in sqs.receive_message(QueueUrl=queue_url)


def test_delete_message_garbage_receipt_handle(sqs, queue_url):
    with expect_error("ReceiptHandleIsInvalid", 400) as ei:
        sqs.delete_message(QueueUrl=queue_url, ReceiptHandle="garbage")
    assert type(ei.value).__name__ == "ReceiptHandleIsInvalid"


def test_delete_message_with_expired_handle_still_deletes_on_standard(sqs, queue_url):
    # AWS-recorded (test_delete_after_visibility_timeout)
    sqs.send_message(QueueUrl=queue_url, MessageBody="expired")
    msg = sqs.receive_message(QueueUrl=queue_url, VisibilityTimeout=1)["Messages"][0]
    time.sleep(1.3)
    sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=msg["ReceiptHandle"])
    assert counts(sqs, queue_url) == (0, 0, 0)
    assert "Messages" not in sqs.receive_message(QueueUrl=queue_url)


def test_delete_message_batch(sqs, queue_url):
    for i in range(3):
        sqs.send_message(QueueUrl=queue_url, MessageBody=f"d{i}")
    msgs = receive_all(sqs, queue_url, 3, VisibilityTimeout=60)
    assert len(msgs) == 3
    resp = sqs.delete_message_batch(
        QueueUrl=queue_url,
        Entries=[{"Id": f"e{i}", "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(msgs[:2])]
        + [{"Id": "bad", "ReceiptHandle": "garbage"}],
    )
    assert sorted(e["Id"] for e in resp["Successful"]) == ["e0", "e1"]
    assert len(resp["Failed"]) == 1
    f = resp["Failed"][0]
    assert (f["Id"], f["Code"], f["SenderFault"]) == ("bad", "ReceiptHandleIsInvalid", True)
    assert counts(sqs, queue_url) == (0, 1, 0)
    # all successful: no Failed key
    resp = sqs.delete_message_batch(QueueUrl=queue_url, Entries=[{"Id": "last", "ReceiptHandle": msgs[2]["ReceiptHandle"]}])
    assert [e["Id"] for e in resp["Successful"]] == ["last"]
    assert "Failed" not in resp
    assert counts(sqs, queue_url) == (0, 0, 0)


def test_delete_message_batch_request_errors(sqs, queue_url):
    with expect_error("AWS.SimpleQueueService.EmptyBatchRequest", 400):
        sqs.delete_message_batch(QueueUrl=queue_url, Entries=[])
    with expect_error("AWS.SimpleQueueService.TooManyEntriesInBatchRequest", 400):
        sqs.delete_message_batch(QueueUrl=queue_url, Entries=[{"Id": f"i{i}", "ReceiptHandle": f"h{i}"} for i in range(11)])
    with expect_error("AWS.SimpleQueueService.BatchEntryIdsNotDistinct", 400):
        sqs.delete_message_batch(QueueUrl=queue_url, Entries=[{"Id": "d", "ReceiptHandle": f"h{i}"} for i in range(2)])
    with expect_error("AWS.SimpleQueueService.InvalidBatchEntryId", 400):
        sqs.delete_message_batch(QueueUrl=queue_url, Entries=[{"Id": "invalid:id", "ReceiptHandle": "h"}])
