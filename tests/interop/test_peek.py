"""LocalStack's developer endpoint for peeking at messages, against the real binary."""

from __future__ import annotations

import requests

from conftest import make_client, queue_attrs


def test_peek_lists_messages_without_consuming_them(server, sqs, queue_url):
    sqs.send_message(QueueUrl=queue_url, MessageBody="one")
    sqs.send_message(QueueUrl=queue_url, MessageBody="two")
    sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=1, VisibilityTimeout=60)
    before = queue_attrs(sqs, queue_url, "All")

    # LocalStack's JSON: the Query protocol's ReceiveMessageResponse tree.
    r = requests.get(f"{server.endpoint}/_aws/sqs/messages", params={"QueueUrl": queue_url}, headers={"Accept": "application/json"})
    assert r.status_code == 200
    assert [m["Body"] for m in r.json()["ReceiveMessageResponse"]["ReceiveMessageResult"]["Message"]] == ["two"]

    r = requests.get(
        f"{server.endpoint}/_aws/sqs/messages",
        params={"QueueUrl": queue_url, "ShowInvisible": "true"},
        headers={"Accept": "application/json"},
    )
    messages = r.json()["ReceiveMessageResponse"]["ReceiveMessageResult"]["Message"]
    visible = {m["Body"]: {a["Name"]: a["Value"] for a in m["Attribute"]}["IsVisible"] for m in messages}
    assert visible == {"one": "false", "two": "true"}

    # boto3 pointed at the endpoint (JSON protocol) gets ReceiveMessage's answer.
    peek = make_client(f"{server.endpoint}/_aws/sqs/messages")
    got = peek.receive_message(QueueUrl=queue_url)["Messages"]
    assert [m["Body"] for m in got] == ["two"] and got[0]["ReceiptHandle"] == "SQS/BACKDOOR/ACCESS"

    xml = requests.get(f"{server.endpoint}/_aws/sqs/messages", params={"QueueUrl": queue_url})
    assert xml.status_code == 200 and "<Body>two</Body>" in xml.text

    assert queue_attrs(sqs, queue_url, "All") == before
    got = sqs.receive_message(QueueUrl=queue_url, AttributeNames=["ApproximateReceiveCount"])["Messages"][0]
    assert got["Body"] == "two" and got["Attributes"]["ApproximateReceiveCount"] == "1"
