"""Dead-letter queues via boto3 (and the AWS CLI once): RedrivePolicy validation, moving messages
after maxReceiveCount, RedriveAllowPolicy, ListDeadLetterSourceQueues, and DLQ redrive with
StartMessageMoveTask / ListMessageMoveTasks / CancelMessageMoveTask."""

from __future__ import annotations

import json
import time
import uuid

import pytest

from conftest import DEFAULT_ACCOUNT, REGION, counts, expect_error, md5_of_attributes, queue_attrs

ATTRS = {
    "kind": {"DataType": "String", "StringValue": "order"},
    "n": {"DataType": "Number", "StringValue": "12.5"},
    "raw": {"DataType": "Binary", "BinaryValue": b"\x00\x01bin"},
}


def arn_of(client, url: str) -> str:
    return queue_attrs(client, url, "QueueArn")["QueueArn"]


def missing_arn() -> str:
    return f"arn:aws:sqs:{REGION}:{DEFAULT_ACCOUNT}:missing-{uuid.uuid4().hex[:12]}"


def redrive(dlq_arn: str, max_receive_count=1) -> str:
    return json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": max_receive_count})


@pytest.fixture
def fifo_name(unique_name):
    def make(tag: str = "") -> str:
        return unique_name(tag)[-75:] + ".fifo"

    return make


@pytest.fixture
def dlq_pair(sqs, make_queue):
    """(source url, dlq url, dlq arn) with maxReceiveCount (default 1)."""

    def make(max_receive_count=1, source_attrs: dict | None = None):
        dlq = make_queue("dlq")
        dlq_arn = arn_of(sqs, dlq)
        src = make_queue(
            "src", attributes={"RedrivePolicy": redrive(dlq_arn, max_receive_count), **(source_attrs or {})}
        )
        return src, dlq, dlq_arn

    return make


def dead_letter_all(client, src: str, dlq: str, n: int, timeout: float = 5.0) -> None:
    """Receive from `src` with VisibilityTimeout=0 until all n messages reached the DLQ."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        client.receive_message(QueueUrl=src, MaxNumberOfMessages=10, VisibilityTimeout=0)
        if counts(client, dlq)[0] >= n:
            return
    raise AssertionError(f"only {counts(client, dlq)} of {n} messages reached the DLQ; source: {counts(client, src)}")


def drain(client, url: str, expected: int, timeout: float = 5.0) -> list[dict]:
    """Receive (long visibility) and delete until `expected` messages came or the timeout passed."""
    got: list[dict] = []
    deadline = time.monotonic() + timeout
    while len(got) < expected and time.monotonic() < deadline:
        resp = client.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=60, MessageSystemAttributeNames=["All"],
            MessageAttributeNames=["All"],
        )
        for m in resp.get("Messages", []):
            got.append(m)
            client.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    return got


def wait_task(client, source_arn: str, statuses=("COMPLETED",), timeout: float = 10.0) -> dict:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        results = client.list_message_move_tasks(SourceArn=source_arn, MaxResults=10).get("Results", [])
        if results:
            last = results[0]
            if last["Status"] in statuses:
                return last
        time.sleep(0.1)
    raise AssertionError(f"move task did not reach {statuses} within {timeout}s; last: {last}")


# ---------------------------------------------------------------- RedrivePolicy


def test_redrive_policy_round_trip(sqs, dlq_pair):
    src, dlq, dlq_arn = dlq_pair(max_receive_count=3)
    policy = json.loads(queue_attrs(sqs, src, "RedrivePolicy")["RedrivePolicy"])
    assert policy == {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 3}
    assert "RedrivePolicy" in queue_attrs(sqs, src, "All")
    # set via SetQueueAttributes with maxReceiveCount as a string, and clear with ""
    sqs.set_queue_attributes(
        QueueUrl=src, Attributes={"RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "5"})}
    )
    policy = json.loads(queue_attrs(sqs, src, "RedrivePolicy")["RedrivePolicy"])
    assert policy["deadLetterTargetArn"] == dlq_arn and int(policy["maxReceiveCount"]) == 5
    sqs.set_queue_attributes(QueueUrl=src, Attributes={"RedrivePolicy": ""})
    assert "RedrivePolicy" not in queue_attrs(sqs, src, "All")


def test_message_moves_to_dlq_after_max_receive_count(sqs, dlq_pair):
    src, dlq, dlq_arn = dlq_pair(max_receive_count=2)
    src_arn = arn_of(sqs, src)
    sent = sqs.send_message(QueueUrl=src, MessageBody="poison", MessageAttributes=ATTRS)

    for expected_count in ("1", "2"):
        m = sqs.receive_message(QueueUrl=src, VisibilityTimeout=0, MessageSystemAttributeNames=["All"])["Messages"][0]
        assert m["MessageId"] == sent["MessageId"]
        assert m["Attributes"]["ApproximateReceiveCount"] == expected_count
    first_sent_ts = m["Attributes"]["SentTimestamp"]
    # the third receive exceeds maxReceiveCount: the message moves instead of being delivered
    assert "Messages" not in sqs.receive_message(QueueUrl=src, MaxNumberOfMessages=10, VisibilityTimeout=0)
    assert counts(sqs, src) == (0, 0, 0)
    assert counts(sqs, dlq) == (1, 0, 0)

    d = sqs.receive_message(
        QueueUrl=dlq, MessageSystemAttributeNames=["All"], MessageAttributeNames=["All"]
    )["Messages"][0]
    assert d["MessageId"] == sent["MessageId"]
    assert d["Body"] == "poison"
    assert d["MD5OfBody"] == sent["MD5OfMessageBody"]
    assert d["MessageAttributes"] == ATTRS
    assert d["MD5OfMessageAttributes"] == md5_of_attributes(ATTRS)
    assert d["Attributes"]["DeadLetterQueueSourceArn"] == src_arn
    assert d["Attributes"]["SentTimestamp"] == first_sent_ts
    # receive count kept from the source queue (2) and incremented by this receive
    assert d["Attributes"]["ApproximateReceiveCount"] == "3"


def test_dlq_must_exist(sqs, make_queue):
    with expect_error("InvalidParameterValue", 400) as ei:
        make_queue(attributes={"RedrivePolicy": redrive(missing_arn())})
    assert "RedrivePolicy" in ei.value.response["Error"]["Message"]
    url = make_queue()
    with expect_error("InvalidParameterValue", 400):
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"RedrivePolicy": redrive(missing_arn())})
    assert "RedrivePolicy" not in queue_attrs(sqs, url, "All")


def test_invalid_dead_letter_target_arn(sqs, make_queue):
    policy = '{"deadLetterTargetArn": "dummy", "maxReceiveCount": 42}'
    with expect_error("InvalidParameterValue", 400) as ei:
        make_queue(attributes={"RedrivePolicy": policy})
    assert ei.value.response["Error"]["Message"] == (
        f"Value {policy} for parameter RedrivePolicy is invalid. Reason: Invalid value for deadLetterTargetArn."
    )


def test_dlq_must_be_same_type(sqs, make_queue, fifo_name):
    fifo_dlq = sqs.create_queue(QueueName=fifo_name("dlq"), Attributes={"FifoQueue": "true"})["QueueUrl"]
    with expect_error("InvalidParameterValue", 400) as ei:
        make_queue(attributes={"RedrivePolicy": redrive(arn_of(sqs, fifo_dlq))})
    assert "RedrivePolicy" in ei.value.response["Error"]["Message"]
    # and the other way round: FIFO source, standard DLQ
    std_dlq = make_queue("std-dlq")
    with expect_error("InvalidParameterValue", 400):
        sqs.create_queue(
            QueueName=fifo_name("src"),
            Attributes={"FifoQueue": "true", "RedrivePolicy": redrive(arn_of(sqs, std_dlq))},
        )


@pytest.mark.parametrize("count", [0, 1001, -1])
def test_max_receive_count_out_of_range(sqs, make_queue, count):
    dlq_arn = arn_of(sqs, make_queue("dlq"))
    with expect_error("InvalidParameterValue", 400) as ei:
        make_queue("src", attributes={"RedrivePolicy": redrive(dlq_arn, count)})
    assert "maxReceiveCount" in ei.value.response["Error"]["Message"]


@pytest.mark.parametrize("count", [1, 1000])
def test_max_receive_count_bounds_accepted(sqs, make_queue, count):
    dlq_arn = arn_of(sqs, make_queue("dlq"))
    src = make_queue("src", attributes={"RedrivePolicy": redrive(dlq_arn, count)})
    assert int(json.loads(queue_attrs(sqs, src, "RedrivePolicy")["RedrivePolicy"])["maxReceiveCount"]) == count


# ---------------------------------------------------------------- RedriveAllowPolicy


def test_redrive_allow_policy_deny_all(sqs, make_queue):
    dlq = make_queue("dlq", attributes={"RedriveAllowPolicy": json.dumps({"redrivePermission": "denyAll"})})
    dlq_arn = arn_of(sqs, dlq)
    assert json.loads(queue_attrs(sqs, dlq, "RedriveAllowPolicy")["RedriveAllowPolicy"]) == {
        "redrivePermission": "denyAll"
    }
    with expect_error("InvalidParameterValue", 400):
        make_queue("src", attributes={"RedrivePolicy": redrive(dlq_arn)})
    src = make_queue("src2")
    with expect_error("InvalidParameterValue", 400):
        sqs.set_queue_attributes(QueueUrl=src, Attributes={"RedrivePolicy": redrive(dlq_arn)})
    # switching to allowAll lets it through
    sqs.set_queue_attributes(
        QueueUrl=dlq, Attributes={"RedriveAllowPolicy": json.dumps({"redrivePermission": "allowAll"})}
    )
    sqs.set_queue_attributes(QueueUrl=src, Attributes={"RedrivePolicy": redrive(dlq_arn)})


def test_redrive_allow_policy_by_queue(sqs, make_queue):
    allowed = make_queue("allowed")
    other = make_queue("other")
    dlq = make_queue(
        "dlq",
        attributes={
            "RedriveAllowPolicy": json.dumps({"redrivePermission": "byQueue", "sourceQueueArns": [arn_of(sqs, allowed)]})
        },
    )
    dlq_arn = arn_of(sqs, dlq)
    sqs.set_queue_attributes(QueueUrl=allowed, Attributes={"RedrivePolicy": redrive(dlq_arn)})
    with expect_error("InvalidParameterValue", 400):
        sqs.set_queue_attributes(QueueUrl=other, Attributes={"RedrivePolicy": redrive(dlq_arn)})
    assert sqs.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"] == [allowed]


def test_redrive_allow_policy_by_queue_requires_source_arns(sqs, make_queue):
    with expect_error("InvalidParameterValue", 400):
        make_queue("dlq", attributes={"RedriveAllowPolicy": json.dumps({"redrivePermission": "byQueue"})})


# ---------------------------------------------------------------- ListDeadLetterSourceQueues


def test_list_dead_letter_source_queues_with_paging(sqs, make_queue):
    dlq = make_queue("dlq")
    dlq_arn = arn_of(sqs, dlq)
    sources = sorted(make_queue(f"src{i}", attributes={"RedrivePolicy": redrive(dlq_arn, 3)}) for i in range(3))
    make_queue("unrelated")

    resp = sqs.list_dead_letter_source_queues(QueueUrl=dlq)
    assert sorted(resp["queueUrls"]) == sources
    assert "NextToken" not in resp

    page1 = sqs.list_dead_letter_source_queues(QueueUrl=dlq, MaxResults=2)
    assert len(page1["queueUrls"]) == 2
    assert page1.get("NextToken")
    page2 = sqs.list_dead_letter_source_queues(QueueUrl=dlq, MaxResults=2, NextToken=page1["NextToken"])
    assert len(page2["queueUrls"]) == 1
    assert "NextToken" not in page2
    assert sorted(page1["queueUrls"] + page2["queueUrls"]) == sources

    # boto3's paginator follows NextToken too
    pages = sqs.get_paginator("list_dead_letter_source_queues").paginate(
        QueueUrl=dlq, PaginationConfig={"PageSize": 1}
    )
    assert sorted(u for p in pages for u in p["queueUrls"]) == sources


def test_list_dead_letter_source_queues_none(sqs, make_queue):
    dlq = make_queue()
    assert sqs.list_dead_letter_source_queues(QueueUrl=dlq).get("queueUrls", []) == []


def test_list_dead_letter_source_queues_nonexistent(sqs, server):
    with expect_error("AWS.SimpleQueueService.NonExistentQueue", 400):
        sqs.list_dead_letter_source_queues(QueueUrl=server.queue_url("nope-" + uuid.uuid4().hex))


def test_list_dead_letter_source_queues_drops_source_after_policy_removed(sqs, dlq_pair):
    src, dlq, _ = dlq_pair()
    assert sqs.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"] == [src]
    sqs.set_queue_attributes(QueueUrl=src, Attributes={"RedrivePolicy": ""})
    assert sqs.list_dead_letter_source_queues(QueueUrl=dlq).get("queueUrls", []) == []


# ---------------------------------------------------------------- FIFO source + FIFO DLQ


def test_fifo_source_with_fifo_dlq(sqs, fifo_name):
    dlq = sqs.create_queue(QueueName=fifo_name("dlq"), Attributes={"FifoQueue": "true"})["QueueUrl"]
    src = sqs.create_queue(
        QueueName=fifo_name("src"),
        Attributes={"FifoQueue": "true", "RedrivePolicy": redrive(arn_of(sqs, dlq), 1)},
    )["QueueUrl"]
    src_arn = arn_of(sqs, src)
    sent = [
        sqs.send_message(QueueUrl=src, MessageBody=f"f{i}", MessageGroupId="g", MessageDeduplicationId=f"d{i}")
        for i in range(2)
    ]
    m = sqs.receive_message(QueueUrl=src, VisibilityTimeout=0)["Messages"][0]
    assert m["Body"] == "f0"
    # the next receive exceeds maxReceiveCount for f0; f0 goes to the DLQ, f1 stays in order behind it
    deadline = time.monotonic() + 3
    while counts(sqs, dlq)[0] < 1 and time.monotonic() < deadline:
        sqs.receive_message(QueueUrl=src, MaxNumberOfMessages=1, VisibilityTimeout=0)
    d = sqs.receive_message(QueueUrl=dlq, MessageSystemAttributeNames=["All"])["Messages"][0]
    assert d["Body"] == "f0"
    assert d["MessageId"] == sent[0]["MessageId"]
    assert d["Attributes"]["DeadLetterQueueSourceArn"] == src_arn
    assert d["Attributes"]["MessageGroupId"] == "g"
    assert d["Attributes"]["SequenceNumber"].isdigit()
    # AWS: moving to a FIFO DLQ replaces the deduplication id with the original message id
    assert d["Attributes"]["MessageDeduplicationId"] == sent[0]["MessageId"]


# ---------------------------------------------------------------- message move tasks


def test_start_move_task_requires_dlq(sqs, make_queue):
    plain = make_queue()
    with expect_error("InvalidParameterValue", 400) as ei:
        sqs.start_message_move_task(SourceArn=arn_of(sqs, plain))
    assert ei.value.response["Error"]["Message"] == "Source queue must be configured as a Dead Letter Queue."


def test_start_move_task_missing_source(sqs):
    with expect_error("ResourceNotFoundException", 404) as ei:
        sqs.start_message_move_task(SourceArn=missing_arn())
    assert ei.value.response["Error"]["Message"] == (
        "The resource that you specified for the SourceArn parameter doesn't exist."
    )


def test_start_move_task_missing_destination(sqs, dlq_pair):
    _, _, dlq_arn = dlq_pair()
    with expect_error("ResourceNotFoundException", 404) as ei:
        sqs.start_message_move_task(SourceArn=dlq_arn, DestinationArn=missing_arn())
    assert ei.value.response["Error"]["Message"] == (
        "The resource that you specified for the DestinationArn parameter doesn't exist."
    )


def test_move_task_redrives_to_source_queue(sqs, dlq_pair):
    # without DestinationArn the messages go back to the queue they were dead-lettered from
    src, dlq, dlq_arn = dlq_pair()
    for i in range(3):
        sqs.send_message(QueueUrl=src, MessageBody=f"m{i}", MessageAttributes=ATTRS)
    dead_letter_all(sqs, src, dlq, 3)
    assert counts(sqs, src) == (0, 0, 0)

    handle = sqs.start_message_move_task(SourceArn=dlq_arn)["TaskHandle"]
    assert handle
    task = wait_task(sqs, dlq_arn)
    assert task["SourceArn"] == dlq_arn
    assert task["ApproximateNumberOfMessagesMoved"] == 3
    assert isinstance(task["StartedTimestamp"], int)
    assert "TaskHandle" not in task, "TaskHandle is only listed while the task is RUNNING"

    assert counts(sqs, dlq) == (0, 0, 0)
    back = drain(sqs, src, 3)
    assert sorted(m["Body"] for m in back) == ["m0", "m1", "m2"]
    for m in back:
        assert m["MessageAttributes"] == ATTRS
        # AWS: redriven messages are new messages (new id / enqueue time), receive count starts over
        assert m["Attributes"]["ApproximateReceiveCount"] == "1"
        assert "DeadLetterQueueSourceArn" not in m["Attributes"]
    assert counts(sqs, src) == (0, 0, 0)


def test_move_task_explicit_destination(sqs, dlq_pair, make_queue):
    src, dlq, dlq_arn = dlq_pair()
    dest = make_queue("dest")
    dest_arn = arn_of(sqs, dest)
    for i in range(2):
        sqs.send_message(QueueUrl=src, MessageBody=f"x{i}")
    dead_letter_all(sqs, src, dlq, 2)

    sqs.start_message_move_task(SourceArn=dlq_arn, DestinationArn=dest_arn)
    task = wait_task(sqs, dlq_arn)
    assert task["DestinationArn"] == dest_arn
    assert task["ApproximateNumberOfMessagesMoved"] == 2
    assert counts(sqs, dlq) == (0, 0, 0)
    assert counts(sqs, src) == (0, 0, 0)
    assert sorted(m["Body"] for m in drain(sqs, dest, 2)) == ["x0", "x1"]


def test_second_start_while_running_and_cancel(sqs, dlq_pair):
    src, dlq, dlq_arn = dlq_pair()
    n = 6
    for i in range(n):
        sqs.send_message(QueueUrl=src, MessageBody=f"r{i}")
    dead_letter_all(sqs, src, dlq, n)

    handle = sqs.start_message_move_task(SourceArn=dlq_arn, MaxNumberOfMessagesPerSecond=1)["TaskHandle"]
    listed = sqs.list_message_move_tasks(SourceArn=dlq_arn)["Results"]
    assert len(listed) == 1  # default MaxResults is 1
    assert listed[0]["Status"] == "RUNNING"
    assert listed[0]["TaskHandle"] == handle
    assert listed[0]["MaxNumberOfMessagesPerSecond"] == 1
    assert listed[0]["ApproximateNumberOfMessagesToMove"] == n

    with expect_error("InvalidParameterValue", 400) as ei:
        sqs.start_message_move_task(SourceArn=dlq_arn)
    assert ei.value.response["Error"]["Message"] == (
        "There is already a task running. Only one active task is allowed for a source queue arn at a given time."
    )

    cancelled = sqs.cancel_message_move_task(TaskHandle=handle)
    assert isinstance(cancelled["ApproximateNumberOfMessagesMoved"], int)
    task = wait_task(sqs, dlq_arn, statuses=("CANCELLED",), timeout=5)
    assert task["Status"] == "CANCELLED"

    # no message lost or duplicated: everything is in exactly one of the two queues
    time.sleep(0.3)
    in_src, in_dlq = counts(sqs, src), counts(sqs, dlq)
    assert in_src[1:] == (0, 0) and in_dlq[1:] == (0, 0)
    assert in_src[0] + in_dlq[0] == n, (in_src, in_dlq)
    assert in_src[0] < n, "the rate-limited task should not have finished before it was cancelled"
    got = drain(sqs, dlq, in_dlq[0]) + drain(sqs, src, in_src[0])
    assert sorted(m["Body"] for m in got) == sorted(f"r{i}" for i in range(n))

    # after cancellation a new task may start
    sqs.start_message_move_task(SourceArn=dlq_arn)
    assert wait_task(sqs, dlq_arn)["Status"] == "COMPLETED"


def test_cancel_with_garbage_handle(sqs):
    with expect_error("InvalidParameterValue", 400) as ei:
        sqs.cancel_message_move_task(TaskHandle="not-a-task-handle")
    assert ei.value.response["Error"]["Message"] == "Value for parameter TaskHandle is invalid."


def test_list_move_tasks_missing_source(sqs):
    with expect_error("ResourceNotFoundException", 404):
        sqs.list_message_move_tasks(SourceArn=missing_arn())


# ---------------------------------------------------------------- AWS CLI


def test_cli_dead_letter_source_queues_and_move_task(aws, sqs, dlq_pair):
    src, dlq, dlq_arn = dlq_pair()
    assert aws("list-dead-letter-source-queues", "--queue-url", dlq)["queueUrls"] == [src]
    sqs.send_message(QueueUrl=src, MessageBody="cli")
    dead_letter_all(sqs, src, dlq, 1)
    assert aws("start-message-move-task", "--source-arn", dlq_arn)["TaskHandle"]
    task = wait_task(sqs, dlq_arn)
    assert task["ApproximateNumberOfMessagesMoved"] == 1
    listed = aws("list-message-move-tasks", "--source-arn", dlq_arn)["Results"]
    assert listed[0]["Status"] == "COMPLETED"
