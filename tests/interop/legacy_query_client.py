"""Core SQS cases run by a boto3/botocore release from before SQS's JSON switch.

Run with the legacy virtualenv's python (see scripts/test.sh, ``.venv-legacy``), not the
suite's: ``python legacy_query_client.py <endpoint>``. botocore 1.31 speaks the Query protocol
to SQS (form-encoded requests, XML responses), so this checks that the same server answers it
with the same semantics. Prints ``ok <case>`` per case and exits non-zero on the first failure.
"""

from __future__ import annotations

import hashlib
import struct
import sys
import time
import uuid

import boto3
import botocore
from botocore.config import Config
from botocore.exceptions import ClientError


def md5_of_attributes(attrs: dict) -> str:
    digest = hashlib.md5()
    for name in sorted(attrs):
        value = attrs[name]
        data_type = value["DataType"]
        for part in (name.encode(), data_type.encode()):
            digest.update(struct.pack(">I", len(part)) + part)
        if data_type.startswith("Binary"):
            raw = value["BinaryValue"]
            digest.update(b"\x02" + struct.pack(">I", len(raw)) + raw)
        else:
            raw = value["StringValue"].encode()
            digest.update(b"\x01" + struct.pack(">I", len(raw)) + raw)
    return digest.hexdigest()


def main(endpoint: str) -> None:
    client = boto3.client(
        "sqs", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test",
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
    )
    protocol = client.meta.service_model.protocol
    assert protocol == "query", f"botocore {botocore.__version__} speaks {protocol}, not query"
    print(f"ok botocore {botocore.__version__} uses the {protocol} protocol")
    suffix = uuid.uuid4().hex[:8]

    url = client.create_queue(QueueName=f"legacy-{suffix}", Attributes={"VisibilityTimeout": "40"}, tags={"team": "py"})["QueueUrl"]
    assert url.endswith(f"/000000000000/legacy-{suffix}"), url
    assert client.get_queue_url(QueueName=f"legacy-{suffix}")["QueueUrl"] == url
    assert url in client.list_queues(QueueNamePrefix="legacy-")["QueueUrls"]
    attrs = client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attrs["VisibilityTimeout"] == "40", attrs
    client.set_queue_attributes(QueueUrl=url, Attributes={"DelaySeconds": "0", "MaximumMessageSize": "2048"})
    assert client.get_queue_attributes(QueueUrl=url, AttributeNames=["MaximumMessageSize"])["Attributes"] == {"MaximumMessageSize": "2048"}
    print("ok queues and attributes")

    client.tag_queue(QueueUrl=url, Tags={"env": "dev", "x": "<&>"})
    client.untag_queue(QueueUrl=url, TagKeys=["env"])
    assert client.list_queue_tags(QueueUrl=url)["Tags"] == {"team": "py", "x": "<&>"}
    print("ok tags")

    body = "legacy <&> ]]> \"q\"\r\nline ✓ 𝄞"
    attributes = {
        "s": {"DataType": "String", "StringValue": "a\rb"},
        "n": {"DataType": "Number", "StringValue": "12.5"},
        "b": {"DataType": "Binary", "BinaryValue": b"\x00\xffbin"},
    }
    sent = client.send_message(QueueUrl=url, MessageBody=body, MessageAttributes=attributes)
    assert sent["MD5OfMessageBody"] == hashlib.md5(body.encode()).hexdigest(), sent
    assert sent["MD5OfMessageAttributes"] == md5_of_attributes(attributes), sent
    batch = client.send_message_batch(QueueUrl=url, Entries=[
        {"Id": "a", "MessageBody": "batch a"},
        {"Id": "b", "MessageBody": "batch b", "MessageAttributes": {"k": {"DataType": "String", "StringValue": "v"}}},
    ])
    assert sorted(e["Id"] for e in batch["Successful"]) == ["a", "b"] and not batch.get("Failed"), batch
    print("ok send")

    messages = []
    deadline = time.time() + 10
    while len(messages) < 3 and time.time() < deadline:
        messages += client.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1, AttributeNames=["All"], MessageAttributeNames=["All"],
        ).get("Messages", [])
    assert len(messages) == 3, messages
    first = next(m for m in messages if m["MessageId"] == sent["MessageId"])
    assert first["Body"] == body, repr(first["Body"])
    assert first["MD5OfBody"] == sent["MD5OfMessageBody"]
    assert first["MD5OfMessageAttributes"] == sent["MD5OfMessageAttributes"]
    assert first["MessageAttributes"]["b"]["BinaryValue"] == b"\x00\xffbin", first["MessageAttributes"]
    assert first["MessageAttributes"]["s"]["StringValue"] == "a\rb", first["MessageAttributes"]
    assert first["Attributes"]["ApproximateReceiveCount"] == "1", first["Attributes"]
    print("ok receive")

    client.change_message_visibility(QueueUrl=url, ReceiptHandle=messages[0]["ReceiptHandle"], VisibilityTimeout=60)
    changed = client.change_message_visibility_batch(QueueUrl=url, Entries=[
        {"Id": "ok", "ReceiptHandle": messages[1]["ReceiptHandle"], "VisibilityTimeout": 60},
        {"Id": "bad", "ReceiptHandle": "garbage", "VisibilityTimeout": 60},
    ])
    assert [e["Id"] for e in changed["Successful"]] == ["ok"], changed
    assert changed["Failed"][0]["Id"] == "bad" and changed["Failed"][0]["SenderFault"] is True, changed
    client.delete_message(QueueUrl=url, ReceiptHandle=messages[0]["ReceiptHandle"])
    deleted = client.delete_message_batch(QueueUrl=url, Entries=[
        {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages[1:])
    ])
    assert len(deleted["Successful"]) == 2, deleted
    counts = client.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])
    assert counts["Attributes"] == {"ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "0"}, counts
    print("ok visibility and delete")

    fifo = client.create_queue(QueueName=f"legacy-{suffix}.fifo", Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"})["QueueUrl"]
    one = client.send_message(QueueUrl=fifo, MessageBody="one", MessageGroupId="g")
    again = client.send_message(QueueUrl=fifo, MessageBody="one", MessageGroupId="g")
    assert one["MessageId"] == again["MessageId"] and one["SequenceNumber"], (one, again)
    got = client.receive_message(QueueUrl=fifo, AttributeNames=["MessageGroupId", "SequenceNumber"])["Messages"]
    assert got[0]["Attributes"] == {"MessageGroupId": "g", "SequenceNumber": one["SequenceNumber"]}, got
    print("ok fifo")

    dlq = client.create_queue(QueueName=f"legacy-dlq-{suffix}")["QueueUrl"]
    dlq_arn = client.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    client.set_queue_attributes(QueueUrl=url, Attributes={"RedrivePolicy": f'{{"deadLetterTargetArn":"{dlq_arn}","maxReceiveCount":"1"}}'})
    assert client.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"] == [url]
    client.send_message(QueueUrl=url, MessageBody="doomed")
    client.receive_message(QueueUrl=url, VisibilityTimeout=0, WaitTimeSeconds=1)
    client.receive_message(QueueUrl=url, WaitTimeSeconds=1)
    moved = client.receive_message(QueueUrl=dlq, WaitTimeSeconds=2, AttributeNames=["All"])["Messages"]
    assert moved[0]["Body"] == "doomed" and moved[0]["Attributes"].get("DeadLetterQueueSourceArn", "").endswith(f"legacy-{suffix}"), moved
    client.change_message_visibility(QueueUrl=dlq, ReceiptHandle=moved[0]["ReceiptHandle"], VisibilityTimeout=0)
    for i in range(5):
        client.send_message(QueueUrl=dlq, MessageBody=f"more {i}")
    task = client.start_message_move_task(SourceArn=dlq_arn, DestinationArn=attrs["QueueArn"], MaxNumberOfMessagesPerSecond=1)["TaskHandle"]
    tasks = client.list_message_move_tasks(SourceArn=dlq_arn)["Results"]
    assert tasks[0]["Status"] == "RUNNING" and tasks[0]["TaskHandle"] == task and tasks[0]["SourceArn"] == dlq_arn, tasks
    assert isinstance(tasks[0]["ApproximateNumberOfMessagesMoved"], int), tasks
    assert "ApproximateNumberOfMessagesMoved" in client.cancel_message_move_task(TaskHandle=task)
    print("ok dead letters and move tasks")

    client.add_permission(QueueUrl=url, Label="p", AWSAccountIds=["111122223333"], Actions=["SendMessage"])
    client.remove_permission(QueueUrl=url, Label="p")
    client.purge_queue(QueueUrl=url)
    print("ok permissions and purge")

    try:
        client.get_queue_url(QueueName=f"legacy-missing-{suffix}")
        raise AssertionError("GetQueueUrl of a missing queue succeeded")
    except ClientError as error:
        e = error.response["Error"]
        assert e["Code"] == "AWS.SimpleQueueService.NonExistentQueue", error.response
        assert e["Type"] == "Sender" and e["Message"] == "The specified queue does not exist for this wsdl version.", error.response
        assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    try:
        client.purge_queue(QueueUrl=url)
        raise AssertionError("a second purge within 60 s succeeded")
    except ClientError as error:
        assert error.response["Error"]["Code"] == "AWS.SimpleQueueService.PurgeQueueInProgress", error.response
        assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    print("ok errors")

    for queue in (url, fifo, dlq):
        client.delete_queue(QueueUrl=queue)
    print("ok delete queues")
    print("all cases passed")


if __name__ == "__main__":
    main(sys.argv[1])
