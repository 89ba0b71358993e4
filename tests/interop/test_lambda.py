"""Lambda emulation through the real binary: the two seed projects in examples/ run unchanged
with AWS's own Python runtime client (awslambdaric), the Lambda API through boto3 and the AWS CLI.
"""

from __future__ import annotations

import base64
import json
import os
import sys
import time
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import REPO, queue_attrs, run_aws_cli

EXAMPLES = REPO / "examples"


@pytest.fixture
def lambda_server(server_factory, monkeypatch):
    """A server running examples/sqslite.yaml; `python3` for the functions is this interpreter."""
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    return server_factory(config=EXAMPLES / "sqslite.yaml")


def lambda_client(server):
    return boto3.client(
        "lambda",
        endpoint_url=server.endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"total_max_attempts": 1}, read_timeout=60),
    )


def wait_for(what, condition, timeout=30.0, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s waiting for {what}")


def counts(sqs, url):
    attrs = queue_attrs(sqs, url, "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")
    return int(attrs["ApproximateNumberOfMessages"]), int(attrs["ApproximateNumberOfMessagesNotVisible"])


def test_chatapp_messages_reach_message_processor_and_a_poison_message_ends_in_the_dlq(lambda_server):
    sqs = lambda_server.client()
    url = sqs.get_queue_url(QueueName="ChatAPP")["QueueUrl"]
    dlq = sqs.get_queue_url(QueueName="ChatAPP-dlq")["QueueUrl"]
    good = [sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"from": "ann", "text": f"hi {i}"}))["MessageId"] for i in range(3)]
    poison = sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"from": "eve", "poison": True}))["MessageId"]

    # The good messages are processed and deleted; the poison one is reported as a batch item
    # failure, comes back after the 5 s visibility timeout, and after maxReceiveCount 2 is in the DLQ.
    wait_for("the poison message in the DLQ", lambda: counts(sqs, dlq)[0] == 1, timeout=40)
    moved = sqs.receive_message(QueueUrl=dlq, AttributeNames=["All"])["Messages"][0]
    assert moved["MessageId"] == poison
    assert moved["Attributes"]["DeadLetterQueueSourceArn"] == "arn:aws:sqs:us-east-1:000000000000:ChatAPP"
    assert int(moved["Attributes"]["ApproximateReceiveCount"]) >= 2
    assert counts(sqs, url) == (0, 0)
    assert len(good) == 3


def test_message_reaches_the_function_within_a_second(lambda_server):
    sqs = lambda_server.client()
    url = sqs.get_queue_url(QueueName="ChatAPP")["QueueUrl"]
    # Warm the function up (the first invocation starts the Python process).
    sqs.send_message(QueueUrl=url, MessageBody="warm-up")
    wait_for("warm-up processed", lambda: counts(sqs, url) == (0, 0))
    start = time.monotonic()
    sqs.send_message(QueueUrl=url, MessageBody="fast")
    wait_for("the message processed", lambda: counts(sqs, url) == (0, 0), timeout=10, interval=0.01)
    assert time.monotonic() - start < 1.0


def test_send_receive_delete_function_invoked_manually_with_logs(lambda_server):
    client = lambda_client(lambda_server)
    response = client.invoke(
        FunctionName="SendReceiveDelete", Payload=json.dumps({"text": "hello"}).encode(), LogType="Tail"
    )
    assert response["StatusCode"] == 200
    assert "FunctionError" not in response
    payload = json.loads(response["Payload"].read())
    assert payload["statusCode"] == 200
    body = json.loads(payload["body"])
    assert body["received"] == [body["sent"]]
    logs = base64.b64decode(response["LogResult"]).decode()
    assert f"Sent message ID: {body['sent']}" in logs
    assert 'Received message: {"text": "hello"}' in logs
    assert f"Deleted message: {body['sent']}" in logs
    sqs = lambda_server.client()
    assert counts(sqs, sqs.get_queue_url(QueueName="RoundTrip")["QueueUrl"]) == (0, 0)


def test_lambda_api_lists_functions_and_mappings_and_toggles_a_mapping(lambda_server):
    client = lambda_client(lambda_server)
    names = sorted(f["FunctionName"] for f in client.list_functions()["Functions"])
    assert names == ["MessageProcessor", "SendReceiveDelete"]
    function = client.get_function(FunctionName="MessageProcessor")["Configuration"]
    assert function["FunctionArn"] == "arn:aws:lambda:us-east-1:000000000000:function:MessageProcessor"
    assert function["Timeout"] == 30
    with pytest.raises(ClientError) as info:
        client.get_function(FunctionName="Nope")
    assert info.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404

    mappings = client.list_event_source_mappings(FunctionName="MessageProcessor")["EventSourceMappings"]
    assert len(mappings) == 1
    mapping = mappings[0]
    assert mapping["EventSourceArn"] == "arn:aws:sqs:us-east-1:000000000000:ChatAPP"
    assert mapping["BatchSize"] == 10
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert mapping["ScalingConfig"] == {"MaximumConcurrency": 2}
    assert mapping["State"] == "Enabled"

    updated = client.update_event_source_mapping(UUID=mapping["UUID"], Enabled=False)
    # Disabling until the pollers have finished their batches, as Lambda reports it.
    assert updated["State"] in ("Disabling", "Disabled")
    wait_for("the mapping disabled", lambda: client.get_event_source_mapping(UUID=mapping["UUID"])["State"] == "Disabled")
    sqs = lambda_server.client()
    url = sqs.get_queue_url(QueueName="ChatAPP")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="while disabled")
    time.sleep(1.0)
    assert counts(sqs, url) == (1, 0)
    client.update_event_source_mapping(UUID=mapping["UUID"], Enabled=True)
    wait_for("processing after enabling", lambda: counts(sqs, url) == (0, 0))


def test_mappings_created_through_the_cli_persist_across_a_restart(lambda_server, cli_env):
    sqs = lambda_server.client()
    sqs.create_queue(QueueName="Orders")

    def aws(*args):
        return run_aws_cli(lambda_server.endpoint, cli_env, "lambda", *args)

    created = aws(
        "create-event-source-mapping", "--function-name", "MessageProcessor",
        "--event-source-arn", "arn:aws:sqs:us-east-1:000000000000:Orders", "--batch-size", "5",
    )
    assert created["BatchSize"] == 5
    uuid = created["UUID"]
    assert aws("get-event-source-mapping", "--uuid", uuid)["State"] == "Enabled"

    assert lambda_server.terminate() == 0
    lambda_server.start()
    client = lambda_client(lambda_server)
    assert client.get_event_source_mapping(UUID=uuid)["BatchSize"] == 5
    url = lambda_server.client().get_queue_url(QueueName="Orders")["QueueUrl"]
    lambda_server.client().send_message(QueueUrl=url, MessageBody="after restart")
    wait_for("processing after restart", lambda: counts(lambda_server.client(), url) == (0, 0))
    deleted = client.delete_event_source_mapping(UUID=uuid)
    assert deleted["State"] == "Deleting"

    def gone():
        try:
            return client.get_event_source_mapping(UUID=uuid)["State"] == "Deleting" and False
        except ClientError as error:
            return error.response["Error"]["Code"] == "ResourceNotFoundException"

    # Deleting (still listed) until its pollers have stopped, then gone.
    wait_for("the mapping deleted", gone)


def test_invalid_mapping_settings_are_lambda_errors(lambda_server):
    client = lambda_client(lambda_server)
    with pytest.raises(ClientError) as info:
        client.create_event_source_mapping(
            FunctionName="MessageProcessor", EventSourceArn="arn:aws:sqs:us-east-1:000000000000:ChatAPP-dlq", BatchSize=100
        )
    assert info.value.response["Error"]["Code"] == "InvalidParameterValueException"
    with pytest.raises(ClientError) as info:
        client.create_event_source_mapping(FunctionName="MessageProcessor", EventSourceArn="arn:aws:sqs:us-east-1:000000000000:ChatAPP")
    assert info.value.response["Error"]["Code"] == "ResourceConflictException"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
