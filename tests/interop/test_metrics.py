"""/metrics and the JSON lifecycle logs of the real binary after boto3 traffic."""

from __future__ import annotations

import json

import requests


def test_metrics_count_the_traffic(server, sqs, unique_name):
    name = unique_name()
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="a")
    sqs.send_message(QueueUrl=url, MessageBody="b")
    message = sqs.receive_message(QueueUrl=url)["Messages"][0]
    sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    r = requests.get(f"{server.endpoint}/metrics", timeout=5)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/plain")
    labels = f'{{queue="{name}",account="000000000000",region="us-east-1"}}'
    lines = set(r.text.splitlines())
    assert f"sqs_number_of_messages_sent_total{labels} 2" in lines
    assert f"sqs_number_of_messages_received_total{labels} 1" in lines
    assert f"sqs_number_of_messages_deleted_total{labels} 1" in lines
    gauges = {line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1]) for line in lines if line.startswith("sqs_approximate")}
    assert gauges[f"sqs_approximate_number_of_messages_visible{labels}"] == 1.0
    assert gauges[f"sqs_approximate_number_of_messages_not_visible{labels}"] == 0.0
    assert any(line.startswith('sqslite_http_requests_total{action="SendMessage",status="200"}') for line in lines)
    assert "# HELP sqs_number_of_messages_sent_total NumberOfMessagesSent: messages added to the queue by SendMessage and SendMessageBatch." in lines


def test_json_lifecycle_logs_follow_one_message(server_factory):
    srv = server_factory(extra_args=("--log-level", "debug", "--log-format", "json"))
    sqs = srv.client()
    url = sqs.create_queue(QueueName="traced")["QueueUrl"]
    sent = sqs.send_message(QueueUrl=url, MessageBody="follow me")
    received = sqs.receive_message(QueueUrl=url)
    message = received["Messages"][0]
    deleted = sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    srv.terminate()

    objects = [json.loads(line) for line in srv.stderr_text().splitlines() if line.startswith("{")]
    life = [o for o in objects if o.get("messageId") == sent["MessageId"]]
    assert [o["message"] for o in life] == ["message sent", "message received", "message deleted"]
    assert [o["requestId"] for o in life] == [
        sent["ResponseMetadata"]["RequestId"],
        received["ResponseMetadata"]["RequestId"],
        deleted["ResponseMetadata"]["RequestId"],
    ]
    assert all(o["queue"] == "000000000000/us-east-1/traced" and o["level"] == "debug" for o in life)
