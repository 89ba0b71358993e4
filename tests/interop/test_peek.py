"""LocalStack's developer endpoint for peeking at messages, against the real binary."""

from __future__ import annotations

import requests

from conftest import queue_attrs


def test_peek_lists_messages_without_consuming_them(server, sqs, queue_url):
    sqs.send_message(QueueUrl=queue_url, MessageBody="one")
    sqs.send_message(QueueUrl=queue_url, MessageBody="two")
    sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=1, VisibilityTimeout=60)
    before = queue_attrs(sqs, queue_url, "All")

    r = requests.get(f"{server.endpoint}/_aws/sqs/messages", params={"QueueUrl": queue_url}, headers={"Accept": "application/json"})
    assert r.status_code == 200
    assert [m["Body"] for m in r.json()["Messages"]] == ["two"]

    r = requests.get(
        f"{server.endpoint}/_aws/sqs/messages",
        params={"QueueUrl": queue_url, "ShowInvisible": "true"},
        headers={"Accept": "application/json"},
    )
    messages = r.json()["Messages"]
    assert sorted((m["Body"], m["Attributes"]["IsVisible"]) for m in messages) == [("one", "false"), ("two", "true")]

    xml = requests.get(f"{server.endpoint}/_aws/sqs/messages", params={"QueueUrl": queue_url})
    assert xml.status_code == 200 and "<Body>two</Body>" in xml.text

    assert queue_attrs(sqs, queue_url, "All") == before
    got = sqs.receive_message(QueueUrl=queue_url, AttributeNames=["ApproximateReceiveCount"])["Messages"][0]
    assert got["Body"] == "two" and got["Attributes"]["ApproximateReceiveCount"] == "1"
