"""AddPermission / RemovePermission through boto3: the queue's Policy attribute as AWS builds it."""

from __future__ import annotations

import json

import pytest

from conftest import expect_error, json_call, queue_attrs

A = "111122223333"
B = "444455556666"
WSDL = "Please refer to the appropriate WSDL for a list of valid actions. "


def policy_text(sqs, url):
    """The Policy attribute, or None when the queue has none (the response then has no Attributes)."""
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"]).get("Attributes", {}).get("Policy")


def test_add_permission_writes_the_policy_as_aws_does(sqs, queue_url):
    arn = queue_attrs(sqs, queue_url, "QueueArn")["QueueArn"]
    resp = sqs.add_permission(QueueUrl=queue_url, Label="send", AWSAccountIds=[A], Actions=["SendMessage"])
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
    # Compact, in AWS's member order, single principal/action as plain strings.
    assert policy_text(sqs, queue_url) == (
        f'{{"Version":"2008-10-17","Id":"{arn}/SQSDefaultPolicy","Statement":[{{"Sid":"send","Effect":"Allow",'
        f'"Principal":{{"AWS":"arn:aws:iam::{A}:root"}},"Action":"SQS:SendMessage","Resource":"{arn}"}}]}}'
    )


def test_second_label_appends_a_statement_with_lists(sqs, queue_url):
    arn = queue_attrs(sqs, queue_url, "QueueArn")["QueueArn"]
    sqs.add_permission(QueueUrl=queue_url, Label="send", AWSAccountIds=[A], Actions=["SendMessage"])
    sqs.add_permission(QueueUrl=queue_url, Label="read", AWSAccountIds=[A, B], Actions=["ReceiveMessage", "DeleteMessage"])
    policy = json.loads(policy_text(sqs, queue_url))
    assert [s["Sid"] for s in policy["Statement"]] == ["send", "read"]
    assert policy["Statement"][1] == {
        "Sid": "read",
        "Effect": "Allow",
        "Principal": {"AWS": [f"arn:aws:iam::{A}:root", f"arn:aws:iam::{B}:root"]},
        "Action": ["SQS:ReceiveMessage", "SQS:DeleteMessage"],
        "Resource": arn,
    }
    sqs.add_permission(QueueUrl=queue_url, Label="everything", AWSAccountIds=[B], Actions=["*"])
    assert json.loads(policy_text(sqs, queue_url))["Statement"][2]["Action"] == "SQS:*"


def test_remove_permission_and_the_last_one_drops_the_policy(sqs, queue_url):
    sqs.add_permission(QueueUrl=queue_url, Label="send", AWSAccountIds=[A], Actions=["SendMessage"])
    sqs.add_permission(QueueUrl=queue_url, Label="read", AWSAccountIds=[A, B], Actions=["ReceiveMessage"])
    resp = sqs.remove_permission(QueueUrl=queue_url, Label="send")
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert [s["Sid"] for s in json.loads(policy_text(sqs, queue_url))["Statement"]] == ["read"]
    sqs.remove_permission(QueueUrl=queue_url, Label="read")
    # The attribute is gone: asked for by name, the response has no Attributes at all.
    assert "Attributes" not in sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["Policy"])
    assert "Policy" not in queue_attrs(sqs, queue_url, "All")


def test_empty_json_output(server, queue_url):
    payload = {"QueueUrl": queue_url, "Label": "l", "AWSAccountIds": [A], "Actions": ["GetQueueUrl"]}
    resp = json_call(server.endpoint, "AddPermission", payload)
    assert resp.status_code == 200 and resp.json() == {}
    resp = json_call(server.endpoint, "RemovePermission", {"QueueUrl": queue_url, "Label": "l"})
    assert resp.status_code == 200 and resp.json() == {}


def test_duplicate_and_unknown_labels(sqs, queue_url):
    sqs.add_permission(QueueUrl=queue_url, Label="dup", AWSAccountIds=[A], Actions=["*"])
    with expect_error("InvalidParameterValue", 400) as err:
        sqs.add_permission(QueueUrl=queue_url, Label="dup", AWSAccountIds=[B], Actions=["SendMessage"])
    assert err.value.response["Error"]["Message"] == "Value dup for parameter Label is invalid. Reason: Already exists."
    with expect_error("InvalidParameterValue", 400) as err:
        sqs.remove_permission(QueueUrl=queue_url, Label="missing")
    assert err.value.response["Error"]["Message"] == "Value missing for parameter Label is invalid. Reason: can't find label."


@pytest.mark.parametrize("label", ["has space", "dot.ted", "a" * 81])
def test_invalid_label(sqs, queue_url, label):
    with expect_error("InvalidParameterValue", 400) as err:
        sqs.add_permission(QueueUrl=queue_url, Label=label, AWSAccountIds=[A], Actions=["SendMessage"])
    assert err.value.response["Error"]["Message"].startswith(f"Value {label} for parameter Label is invalid. Reason: ")


def test_invalid_and_owner_only_actions(sqs, queue_url):
    with expect_error("InvalidParameterValue", 400) as err:
        sqs.add_permission(QueueUrl=queue_url, Label="x", AWSAccountIds=[A], Actions=["SendMessage", "Bogus"])
    assert err.value.response["Error"]["Message"] == f"Value SQS:Bogus for parameter ActionName is invalid. Reason: {WSDL}"
    with expect_error("InvalidParameterValue", 400) as err:
        sqs.add_permission(QueueUrl=queue_url, Label="x", AWSAccountIds=[A], Actions=["DeleteQueue"])
    assert err.value.response["Error"]["Message"] == (
        "Value SQS:DeleteQueue for parameter ActionName is invalid. "
        "Reason: Only the queue owner is allowed to invoke this action."
    )
    assert policy_text(sqs, queue_url) is None


def test_limits_and_missing_parameters(sqs, server, queue_url):
    with expect_error("OverLimit", 403) as err:
        sqs.add_permission(QueueUrl=queue_url, Label="many", AWSAccountIds=[A], Actions=["SendMessage"] * 8)
    assert err.value.response["Error"]["Message"] == "8 Actions were found, maximum allowed is 7."
    with expect_error("MissingParameter", 400) as err:
        sqs.add_permission(QueueUrl=queue_url, Label="x", AWSAccountIds=[A], Actions=[])
    assert err.value.response["Error"]["Message"] == "The request must contain the parameter Actions."
    with expect_error("InvalidParameterValue", 400) as err:
        sqs.add_permission(QueueUrl=queue_url, Label="x", AWSAccountIds=[], Actions=["SendMessage"])
    assert err.value.response["Error"]["Message"] == "Value [] for parameter PrincipalId is invalid. Reason: Unable to verify."
    # boto3 refuses to send a request without the required members; send them raw.
    for member in ("Label", "AWSAccountIds", "Actions"):
        payload = {"QueueUrl": queue_url, "Label": "x", "AWSAccountIds": [A], "Actions": ["SendMessage"]}
        del payload[member]
        resp = json_call(server.endpoint, "AddPermission", payload)
        assert resp.status_code == 400
        assert resp.json()["message"] == f"The request must contain the parameter {member}."


def test_unknown_queue(sqs, server):
    url = server.queue_url("no-such-queue-for-permissions")
    with expect_error("AWS.SimpleQueueService.NonExistentQueue", 400):
        sqs.add_permission(QueueUrl=url, Label="x", AWSAccountIds=[A], Actions=["SendMessage"])
    with expect_error("AWS.SimpleQueueService.NonExistentQueue", 400):
        sqs.remove_permission(QueueUrl=url, Label="x")
