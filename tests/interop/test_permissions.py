"""AddPermission / RemovePermission through boto3: the queue's Policy as AWS builds it."""

from __future__ import annotations

import json

from conftest import expect_error, queue_attrs


def test_add_and_remove_permission_maintain_the_policy(sqs, queue_url):
    arn = queue_attrs(sqs, queue_url, "QueueArn")["QueueArn"]
    sqs.add_permission(QueueUrl=queue_url, Label="send", AWSAccountIds=["111122223333"], Actions=["SendMessage"])
    policy = json.loads(queue_attrs(sqs, queue_url, "Policy")["Policy"])
    assert policy == {
        "Version": "2012-10-17",
        "Id": f"{arn}/SQSDefaultPolicy",
        "Statement": [
            {
                "Sid": "send",
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                "Action": "SQS:SendMessage",
                "Resource": arn,
            }
        ],
    }
    sqs.add_permission(QueueUrl=queue_url, Label="read", AWSAccountIds=["111122223333", "444455556666"], Actions=["ReceiveMessage", "DeleteMessage"])
    statements = json.loads(queue_attrs(sqs, queue_url, "Policy")["Policy"])["Statement"]
    assert [s["Sid"] for s in statements] == ["send", "read"]
    assert statements[1]["Principal"]["AWS"] == ["arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:root"]
    assert statements[1]["Action"] == ["SQS:ReceiveMessage", "SQS:DeleteMessage"]

    sqs.remove_permission(QueueUrl=queue_url, Label="send")
    assert [s["Sid"] for s in json.loads(queue_attrs(sqs, queue_url, "Policy")["Policy"])["Statement"]] == ["read"]
    sqs.remove_permission(QueueUrl=queue_url, Label="read")
    assert "Policy" not in queue_attrs(sqs, queue_url, "All")


def test_permission_errors(sqs, queue_url):
    sqs.add_permission(QueueUrl=queue_url, Label="dup", AWSAccountIds=["111122223333"], Actions=["*"])
    with expect_error("InvalidParameterValue", 400) as err:
        sqs.add_permission(QueueUrl=queue_url, Label="dup", AWSAccountIds=["111122223333"], Actions=["SendMessage"])
    assert err.value.response["Error"]["Message"] == "Value dup for parameter Label is invalid. Reason: Already exists."
    with expect_error("InvalidParameterValue", 400) as err:
        sqs.remove_permission(QueueUrl=queue_url, Label="missing")
    assert err.value.response["Error"]["Message"] == "Value missing for parameter Label is invalid. Reason: can't find label."
    with expect_error("OverLimit", 403):
        sqs.add_permission(QueueUrl=queue_url, Label="many", AWSAccountIds=["111122223333"], Actions=["SendMessage"] * 8)
