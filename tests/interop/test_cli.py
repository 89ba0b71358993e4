"""The AWS CLI (same virtualenv as the tests) against sqslite."""

from __future__ import annotations

import json


from conftest import md5_hex


def test_cli_queue_and_message_lifecycle(aws, server, unique_name):
    name = unique_name()
    url = aws("create-queue", "--queue-name", name, "--attributes", "VisibilityTimeout=40", "--tags", "team=cli")[
        "QueueUrl"
    ]
    assert url == server.queue_url(name)

    assert aws("get-queue-url", "--queue-name", name)["QueueUrl"] == url
    assert aws("list-queues", "--queue-name-prefix", name)["QueueUrls"] == [url]

    attrs = aws("get-queue-attributes", "--queue-url", url, "--attribute-names", "All")["Attributes"]
    assert attrs["VisibilityTimeout"] == "40"
    assert attrs["QueueArn"] == f"arn:aws:sqs:us-east-1:000000000000:{name}"

    sent = aws(
        "send-message",
        "--queue-url",
        url,
        "--message-body",
        "hello from cli",
        "--message-attributes",
        json.dumps({"attribName1": {"DataType": "String", "StringValue": "attribValue 1"}}),
    )
    assert sent["MD5OfMessageBody"] == md5_hex("hello from cli")
    assert sent["MD5OfMessageAttributes"] == "19e27d4e946b072f3f58da80d94fd778"

    got = aws(
        "receive-message",
        "--queue-url",
        url,
        "--attribute-names",
        "All",
        "--message-attribute-names",
        "All",
        "--wait-time-seconds",
        "1",
    )["Messages"]
    assert len(got) == 1
    msg = got[0]
    assert msg["Body"] == "hello from cli"
    assert msg["MessageId"] == sent["MessageId"]
    assert msg["Attributes"]["ApproximateReceiveCount"] == "1"
    assert msg["MessageAttributes"] == {"attribName1": {"DataType": "String", "StringValue": "attribValue 1"}}

    assert aws("delete-message", "--queue-url", url, "--receipt-handle", msg["ReceiptHandle"]) == {}
    attrs = aws(
        "get-queue-attributes",
        "--queue-url",
        url,
        "--attribute-names",
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
    )["Attributes"]
    assert attrs == {"ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "0"}

    assert aws("list-queue-tags", "--queue-url", url)["Tags"] == {"team": "cli"}
    aws("tag-queue", "--queue-url", url, "--tags", "env=test")
    assert aws("list-queue-tags", "--queue-url", url)["Tags"] == {"team": "cli", "env": "test"}
    aws("untag-queue", "--queue-url", url, "--tag-keys", "team")
    assert aws("list-queue-tags", "--queue-url", url)["Tags"] == {"env": "test"}

    aws("delete-queue", "--queue-url", url)
    proc = aws("get-queue-url", "--queue-name", name, expect_ok=False)
    assert proc.returncode != 0
    assert "AWS.SimpleQueueService.NonExistentQueue" in proc.stderr


def test_cli_purge_queue(aws, unique_name):
    url = aws("create-queue", "--queue-name", unique_name())["QueueUrl"]
    for i in range(3):
        aws("send-message", "--queue-url", url, "--message-body", f"m{i}")
    assert aws("purge-queue", "--queue-url", url) == {}
    attrs = aws("get-queue-attributes", "--queue-url", url, "--attribute-names", "ApproximateNumberOfMessages")
    assert attrs["Attributes"] == {"ApproximateNumberOfMessages": "0"}
    assert aws("receive-message", "--queue-url", url) == {}
    proc = aws("purge-queue", "--queue-url", url, expect_ok=False)
    assert proc.returncode != 0
    assert "AWS.SimpleQueueService.PurgeQueueInProgress" in proc.stderr


def test_cli_get_queue_url_missing_queue(aws, unique_name):
    proc = aws("get-queue-url", "--queue-name", unique_name(), expect_ok=False)
    assert proc.returncode != 0
    assert "AWS.SimpleQueueService.NonExistentQueue" in proc.stderr
    assert "GetQueueUrl" in proc.stderr


def test_cli_list_queues_empty(aws):
    assert aws("list-queues", "--queue-name-prefix", "no-such-prefix-xyz") == {}


def test_cli_send_message_batch(aws, unique_name):
    url = aws("create-queue", "--queue-name", unique_name())["QueueUrl"]
    entries = [{"Id": "a", "MessageBody": "one"}, {"Id": "b", "MessageBody": "two"}]
    resp = aws("send-message-batch", "--queue-url", url, "--entries", json.dumps(entries))
    assert sorted(e["Id"] for e in resp["Successful"]) == ["a", "b"]
    assert "Failed" not in resp
