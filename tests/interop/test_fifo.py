"""FIFO queues via boto3 (and the AWS CLI once): creation rules, MessageGroupId / deduplication
requirements, strict per-group ordering and group blocking, deduplication (explicit id,
content-based, messageGroup scope), SequenceNumber, ReceiveRequestAttemptId, expired receipt
handles, FIFO attributes, MessageGroupId on standard queues, and durability across a restart."""

from __future__ import annotations

import hashlib
import time

import pytest

from conftest import counts, expect_error, md5_hex, queue_attrs, receive_all

NO_DEDUP_MSG = (
    "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly"
)


@pytest.fixture
def fifo_name(unique_name):
    """A unique FIFO queue name (<= 80 chars including the .fifo suffix)."""

    def make(tag: str = "") -> str:
        return unique_name(tag)[-75:] + ".fifo"

    return make


@pytest.fixture
def make_fifo(sqs, fifo_name):
    def make(tag: str = "", attributes: dict[str, str] | None = None, client=None) -> str:
        attrs = {"FifoQueue": "true", **(attributes or {})}
        return (client or sqs).create_queue(QueueName=fifo_name(tag), Attributes=attrs)["QueueUrl"]

    return make


def bodies(msgs: list[dict]) -> list[str]:
    return [m["Body"] for m in msgs]


# ---------------------------------------------------------------- creation


def test_create_fifo_queue_and_default_attributes(sqs, server, fifo_name):
    name = fifo_name()
    url = sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true"})["QueueUrl"]
    assert url == server.queue_url(name)
    a = queue_attrs(sqs, url, "All")
    assert a["FifoQueue"] == "true"
    assert a["ContentBasedDeduplication"] == "false"
    assert a["DeduplicationScope"] == "queue"
    assert a["FifoThroughputLimit"] == "perQueue"
    assert a["QueueArn"].endswith(":" + name)
    # idempotent re-create with the same attributes
    assert sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true"})["QueueUrl"] == url


def test_create_fifo_queue_with_options(sqs, make_fifo):
    url = make_fifo(
        attributes={
            "ContentBasedDeduplication": "true",
            "DeduplicationScope": "messageGroup",
            "FifoThroughputLimit": "perMessageGroupId",
        }
    )
    a = queue_attrs(sqs, url, "All")
    assert (a["FifoQueue"], a["ContentBasedDeduplication"], a["DeduplicationScope"], a["FifoThroughputLimit"]) == (
        "true",
        "true",
        "messageGroup",
        "perMessageGroupId",
    )


def test_create_fifo_attribute_without_fifo_suffix(sqs, unique_name):
    with expect_error("InvalidParameterValue", 400):
        sqs.create_queue(QueueName=unique_name(), Attributes={"FifoQueue": "true"})


def test_create_fifo_suffix_without_fifo_attribute(sqs, fifo_name):
    with expect_error("InvalidParameterValue", 400):
        sqs.create_queue(QueueName=fifo_name())


def test_create_standard_queue_with_fifo_queue_false(sqs, unique_name):
    with expect_error("InvalidAttributeName", 400) as ei:
        sqs.create_queue(QueueName=unique_name(), Attributes={"FifoQueue": "false"})
    assert ei.value.response["Error"]["Message"] == "Unknown Attribute FifoQueue."


def test_create_standard_queue_with_content_based_dedup(sqs, unique_name):
    with expect_error("InvalidAttributeName", 400) as ei:
        sqs.create_queue(QueueName=unique_name(), Attributes={"ContentBasedDeduplication": "true"})
    assert ei.value.response["Error"]["Message"] == "Unknown Attribute ContentBasedDeduplication."


def test_set_fifo_queue_false_on_fifo_queue(sqs, make_fifo):
    url = make_fifo()
    with expect_error("InvalidAttributeValue", 400) as ei:
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"FifoQueue": "false"})
    assert ei.value.response["Error"]["Message"] == (
        "Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported."
    )


# ---------------------------------------------------------------- send validation


def test_send_requires_message_group_id(sqs, make_fifo):
    url = make_fifo()
    with expect_error("MissingParameter", 400) as ei:
        sqs.send_message(QueueUrl=url, MessageBody="x", MessageDeduplicationId="d1")
    assert ei.value.response["Error"]["Message"] == "The request must contain the parameter MessageGroupId."
    assert counts(sqs, url) == (0, 0, 0)


def test_send_requires_dedup_id_without_content_based_dedup(sqs, make_fifo):
    url = make_fifo()
    with expect_error("InvalidParameterValue", 400) as ei:
        sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g")
    assert ei.value.response["Error"]["Message"] == NO_DEDUP_MSG
    assert counts(sqs, url) == (0, 0, 0)


def test_per_message_delay_seconds_rejected(sqs, make_fifo):
    url = make_fifo()
    with expect_error("InvalidParameterValue", 400) as ei:
        sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g", MessageDeduplicationId="d", DelaySeconds=5)
    assert ei.value.response["Error"]["Message"] == (
        "Value 5 for parameter DelaySeconds is invalid. "
        "Reason: The request include parameter that is not valid for this queue type."
    )
    assert counts(sqs, url) == (0, 0, 0)
    # zero is fine
    sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g", MessageDeduplicationId="d", DelaySeconds=0)
    assert counts(sqs, url) == (1, 0, 0)


def test_send_batch_fifo_validation_is_request_level(sqs, make_fifo):
    url = make_fifo()
    # AWS-recorded: a FIFO batch entry without MessageGroupId fails the whole request
    # (InvalidParameterValue, unlike SendMessage's MissingParameter)
    with expect_error("InvalidParameterValue", 400) as ei:
        sqs.send_message_batch(
            QueueUrl=url,
            Entries=[
                {"Id": "a", "MessageBody": "a", "MessageGroupId": "g", "MessageDeduplicationId": "a"},
                {"Id": "b", "MessageBody": "b", "MessageDeduplicationId": "b"},
            ],
        )
    assert ei.value.response["Error"]["Message"] == "The request must contain the parameter MessageGroupId."
    assert counts(sqs, url) == (0, 0, 0)


# ---------------------------------------------------------------- ordering and groups


def test_strict_order_within_group_and_sequence_numbers(sqs, make_fifo):
    url = make_fifo()
    sent = []
    for i in range(6):
        r = sqs.send_message(QueueUrl=url, MessageBody=f"m{i}", MessageGroupId="g", MessageDeduplicationId=f"d{i}")
        assert r["MD5OfMessageBody"] == md5_hex(f"m{i}")
        assert r["SequenceNumber"].isdigit(), r
        sent.append(r)
    seqs = [int(r["SequenceNumber"]) for r in sent]
    assert seqs == sorted(seqs) and len(set(seqs)) == 6, seqs

    got = []
    deadline = time.monotonic() + 5
    while len(got) < 6 and time.monotonic() < deadline:
        resp = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=2, MessageSystemAttributeNames=["All"])
        for m in resp.get("Messages", []):
            got.append(m)
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    assert bodies(got) == [f"m{i}" for i in range(6)]
    for m, r in zip(got, sent):
        assert m["MessageId"] == r["MessageId"]
        assert m["Attributes"]["SequenceNumber"] == r["SequenceNumber"]
        assert m["Attributes"]["MessageGroupId"] == "g"
        assert m["Attributes"]["MessageDeduplicationId"] == f"d{m['Body'][1:]}"


def test_batch_send_returns_increasing_sequence_numbers(sqs, make_fifo):
    url = make_fifo()
    entries = [
        {"Id": f"e{i}", "MessageBody": f"b{i}", "MessageGroupId": "g", "MessageDeduplicationId": f"d{i}"}
        for i in range(5)
    ]
    resp = sqs.send_message_batch(QueueUrl=url, Entries=entries)
    assert "Failed" not in resp
    ok = {e["Id"]: e for e in resp["Successful"]}
    seqs = [int(ok[f"e{i}"]["SequenceNumber"]) for i in range(5)]
    assert seqs == sorted(seqs) and len(set(seqs)) == 5
    msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert bodies(msgs) == [f"b{i}" for i in range(5)]


def test_group_in_flight_blocks_only_that_group(sqs, make_fifo):
    url = make_fifo()
    for body, group in [("a1", "A"), ("a2", "A"), ("b1", "B"), ("b2", "B")]:
        sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId=group, MessageDeduplicationId=body)

    first = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1)["Messages"]
    assert bodies(first) == ["a1"]
    # group A is blocked while a1 is in flight; group B still delivers, in order
    second = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1)["Messages"]
    assert bodies(second) == ["b1"]
    assert "Messages" not in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)

    # deleting a1 unblocks group A: a2 next (never a1 again)
    sqs.delete_message(QueueUrl=url, ReceiptHandle=first[0]["ReceiptHandle"])
    third = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert bodies(third) == ["a2"]

    # b1's visibility expiring (made visible again) unblocks group B, starting at b1 again
    sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=second[0]["ReceiptHandle"], VisibilityTimeout=0)
    again = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageSystemAttributeNames=["All"])["Messages"]
    assert bodies(again) == ["b1", "b2"]
    assert again[0]["Attributes"]["ApproximateReceiveCount"] == "2"
    assert again[1]["Attributes"]["ApproximateReceiveCount"] == "1"


def test_group_unblocks_when_visibility_timeout_expires(sqs, make_fifo):
    url = make_fifo()
    for body in ("x1", "x2"):
        sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId="X", MessageDeduplicationId=body)
    m = sqs.receive_message(QueueUrl=url, VisibilityTimeout=1)["Messages"]
    assert bodies(m) == ["x1"]
    assert "Messages" not in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)
    time.sleep(1.2)
    again = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert bodies(again) == ["x1", "x2"], "after the timeout the group restarts at its head, in order"


def test_receive_ten_returns_group_messages_together_in_order(sqs, make_fifo):
    url = make_fifo()
    order = [("a1", "A"), ("b1", "B"), ("a2", "A"), ("c1", "C"), ("b2", "B"), ("a3", "A"), ("c2", "C")]
    for body, group in order:
        sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId=group, MessageDeduplicationId=body)

    got = []
    deadline = time.monotonic() + 5
    first_batch = None
    while len(got) < len(order) and time.monotonic() < deadline:
        msgs = sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=60, MessageSystemAttributeNames=["MessageGroupId"]
        ).get("Messages", [])
        if msgs and first_batch is None:
            first_batch = msgs
        got += msgs
    assert first_batch is not None
    # the oldest group comes first, and all of its available messages are returned together, in order
    assert bodies(first_batch)[:3] == ["a1", "a2", "a3"], bodies(first_batch)
    # within any batch, messages of one group form one contiguous block
    groups_in_first = [m["Attributes"]["MessageGroupId"] for m in first_batch]
    seen = []
    for g in groups_in_first:
        if not seen or seen[-1] != g:
            assert g not in seen, f"group {g} split within one receive: {bodies(first_batch)}"
            seen.append(g)
    # overall: every message once, each group in send order
    assert sorted(bodies(got)) == sorted(b for b, _ in order)
    for g in "ABC":
        assert [b for b in bodies(got) if b[0] == g.lower()] == [b for b, grp in order if grp == g]


# ---------------------------------------------------------------- deduplication


def test_dedup_id_returns_original_and_does_not_enqueue(sqs, make_fifo):
    url = make_fifo()
    r1 = sqs.send_message(QueueUrl=url, MessageBody="first", MessageGroupId="g", MessageDeduplicationId="same")
    r2 = sqs.send_message(QueueUrl=url, MessageBody="second", MessageGroupId="g", MessageDeduplicationId="same")
    assert r2["MessageId"] == r1["MessageId"]
    assert r2["SequenceNumber"] == r1["SequenceNumber"]
    assert counts(sqs, url) == (1, 0, 0)

    m = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert bodies(m) == ["first"]
    sqs.delete_message(QueueUrl=url, ReceiptHandle=m[0]["ReceiptHandle"])
    # the id stays tracked after the message is deleted
    r3 = sqs.send_message(QueueUrl=url, MessageBody="third", MessageGroupId="g", MessageDeduplicationId="same")
    assert r3["MessageId"] == r1["MessageId"]
    assert counts(sqs, url) == (0, 0, 0)
    # a different id is a new message with a higher sequence number
    r4 = sqs.send_message(QueueUrl=url, MessageBody="fourth", MessageGroupId="g", MessageDeduplicationId="other")
    assert r4["MessageId"] != r1["MessageId"]
    assert int(r4["SequenceNumber"]) > int(r1["SequenceNumber"])
    assert counts(sqs, url) == (1, 0, 0)


def test_dedup_applies_across_groups_with_queue_scope(sqs, make_fifo):
    url = make_fifo()
    r1 = sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g1", MessageDeduplicationId="d")
    r2 = sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g2", MessageDeduplicationId="d")
    assert r2["MessageId"] == r1["MessageId"]
    assert counts(sqs, url) == (1, 0, 0)


def test_dedup_scope_message_group(sqs, make_fifo):
    url = make_fifo(attributes={"DeduplicationScope": "messageGroup"})
    r1 = sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g1", MessageDeduplicationId="d")
    r2 = sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g2", MessageDeduplicationId="d")
    r3 = sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g1", MessageDeduplicationId="d")
    assert r1["MessageId"] != r2["MessageId"]
    assert r3["MessageId"] == r1["MessageId"]
    assert counts(sqs, url) == (2, 0, 0)
    msgs = receive_all(sqs, url, 2, MessageSystemAttributeNames=["MessageGroupId"])
    assert sorted(m["Attributes"]["MessageGroupId"] for m in msgs) == ["g1", "g2"]


def test_content_based_deduplication(sqs, make_fifo):
    url = make_fifo(attributes={"ContentBasedDeduplication": "true"})
    r1 = sqs.send_message(QueueUrl=url, MessageBody="same body", MessageGroupId="g")
    r2 = sqs.send_message(QueueUrl=url, MessageBody="same body", MessageGroupId="g")
    r3 = sqs.send_message(QueueUrl=url, MessageBody="other body", MessageGroupId="g")
    assert r2["MessageId"] == r1["MessageId"] and r2["SequenceNumber"] == r1["SequenceNumber"]
    assert r3["MessageId"] != r1["MessageId"]
    assert counts(sqs, url) == (2, 0, 0)
    msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageSystemAttributeNames=["All"])["Messages"]
    assert bodies(msgs) == ["same body", "other body"]
    # the generated deduplication id is exposed (SHA-256 of the body, as AWS documents)
    assert msgs[0]["Attributes"]["MessageDeduplicationId"] == hashlib.sha256(b"same body").hexdigest()
    # an explicit id overrides content-based dedup
    r4 = sqs.send_message(QueueUrl=url, MessageBody="same body", MessageGroupId="g", MessageDeduplicationId="explicit")
    assert r4["MessageId"] != r1["MessageId"]


# ---------------------------------------------------------------- receive attempts & receipt handles


def test_receive_request_attempt_id_retry_returns_same_messages(sqs, make_fifo):
    url = make_fifo()
    for i in range(3):
        sqs.send_message(QueueUrl=url, MessageBody=f"m{i}", MessageGroupId="g", MessageDeduplicationId=f"d{i}")
    first = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=2, ReceiveRequestAttemptId="attempt-1")["Messages"]
    assert bodies(first) == ["m0", "m1"]
    retry = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=2, ReceiveRequestAttemptId="attempt-1")["Messages"]
    assert [(m["MessageId"], m["ReceiptHandle"]) for m in retry] == [(m["MessageId"], m["ReceiptHandle"]) for m in first]
    # a new attempt sees the group blocked by the in-flight messages
    assert "Messages" not in sqs.receive_message(
        QueueUrl=url, MaxNumberOfMessages=10, ReceiveRequestAttemptId="attempt-2"
    )
    for m in retry:
        sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    rest = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert bodies(rest) == ["m2"]


def test_delete_with_expired_receipt_handle_fails(sqs, make_fifo):
    url = make_fifo()
    sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g", MessageDeduplicationId="d")
    m = sqs.receive_message(QueueUrl=url, VisibilityTimeout=1)["Messages"][0]
    time.sleep(1.2)
    with expect_error("InvalidParameterValue", 400) as ei:
        sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    msg = ei.value.response["Error"]["Message"]
    assert "The receipt handle has expired" in msg, msg
    assert msg == f"Value {m['ReceiptHandle']} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired."
    # the message was not deleted
    again = sqs.receive_message(QueueUrl=url)["Messages"]
    assert again[0]["MessageId"] == m["MessageId"]
    sqs.delete_message(QueueUrl=url, ReceiptHandle=again[0]["ReceiptHandle"])
    assert counts(sqs, url) == (0, 0, 0)


def test_delete_after_extended_visibility_succeeds(sqs, make_fifo):
    url = make_fifo()
    sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g", MessageDeduplicationId="d")
    m = sqs.receive_message(QueueUrl=url, VisibilityTimeout=1)["Messages"][0]
    sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"], VisibilityTimeout=30)
    time.sleep(1.2)
    sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    assert counts(sqs, url) == (0, 0, 0)


# ---------------------------------------------------------------- standard queue with MessageGroupId


def test_message_group_id_on_standard_queue(sqs, make_queue):
    url = make_queue()
    r = sqs.send_message(QueueUrl=url, MessageBody="fair", MessageGroupId="tenant-1")
    assert "SequenceNumber" not in r
    m = sqs.receive_message(QueueUrl=url, MessageSystemAttributeNames=["All"], WaitTimeSeconds=1)["Messages"][0]
    assert m["Attributes"]["MessageGroupId"] == "tenant-1"
    assert "SequenceNumber" not in m["Attributes"]


# ---------------------------------------------------------------- AWS CLI


def test_cli_fifo_send_and_receive(aws, sqs, make_fifo):
    url = make_fifo(attributes={"ContentBasedDeduplication": "true"})
    s1 = aws("send-message", "--queue-url", url, "--message-body", "one", "--message-group-id", "g")
    s2 = aws("send-message", "--queue-url", url, "--message-body", "two", "--message-group-id", "g")
    dup = aws("send-message", "--queue-url", url, "--message-body", "one", "--message-group-id", "g")
    assert dup["MessageId"] == s1["MessageId"]
    assert int(s2["SequenceNumber"]) > int(s1["SequenceNumber"])
    got = aws(
        "receive-message", "--queue-url", url, "--max-number-of-messages", "10", "--attribute-names", "All"
    )["Messages"]
    assert [m["Body"] for m in got] == ["one", "two"]
    assert got[0]["Attributes"]["SequenceNumber"] == s1["SequenceNumber"]


# ---------------------------------------------------------------- restart


@pytest.mark.restart
def test_dedup_state_and_order_survive_restart(server_factory):
    srv = server_factory()
    c = srv.client()
    url = c.create_queue(QueueName="orders.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    sent = [
        c.send_message(QueueUrl=url, MessageBody=f"m{i}", MessageGroupId="g", MessageDeduplicationId=f"d{i}")
        for i in range(4)
    ]
    # consume and delete m0 so its dedup id is only remembered, not backed by a message
    m0 = c.receive_message(QueueUrl=url)["Messages"][0]
    assert m0["Body"] == "m0"
    c.delete_message(QueueUrl=url, ReceiptHandle=m0["ReceiptHandle"])

    srv.kill()
    srv.start()
    c = srv.client()
    url = srv.queue_url("orders.fifo")

    # both a deleted and a pending message's dedup ids are still remembered
    for i in (0, 2):
        again = c.send_message(QueueUrl=url, MessageBody="dup", MessageGroupId="g", MessageDeduplicationId=f"d{i}")
        assert again["MessageId"] == sent[i]["MessageId"]
        assert again["SequenceNumber"] == sent[i]["SequenceNumber"]
    new = c.send_message(QueueUrl=url, MessageBody="m4", MessageGroupId="g", MessageDeduplicationId="d4")
    assert int(new["SequenceNumber"]) > int(sent[-1]["SequenceNumber"])
    assert counts(c, url) == (4, 0, 0)

    got = []
    deadline = time.monotonic() + 5
    while len(got) < 4 and time.monotonic() < deadline:
        for m in c.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
            got.append(m["Body"])
            c.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    assert got == ["m1", "m2", "m3", "m4"]
    srv.terminate()


@pytest.mark.restart
def test_sequence_numbers_grow_across_a_kill_even_after_every_message_is_deleted(server_factory):
    """The store saves its sequence mark a block ahead, not at every commit: a server killed
    mid-block, whose newest messages were all deleted, must still never hand out a SequenceNumber
    at or below one it gave before."""
    srv = server_factory()
    c = srv.client()
    url = c.create_queue(QueueName="seq.fifo", Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"})["QueueUrl"]
    last = 0
    for round_ in range(3):
        for i in range(5):
            sent = c.send_message(QueueUrl=url, MessageBody=f"r{round_}-m{i}", MessageGroupId="g")
            assert int(sent["SequenceNumber"]) > last
            last = int(sent["SequenceNumber"])
        while True:
            messages = c.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
            if not messages:
                break
            for m in messages:
                c.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        assert counts(c, url) == (0, 0, 0)
        srv.kill()
        srv.start()
        c = srv.client()
        url = srv.queue_url("seq.fifo")
    srv.terminate()
