"""Least privilege for functions under --auth: examples/least-privilege/ runs the seed projects with
execution roles, each function process signs with its role's temporary credentials (as Lambda
hands them out), and event-source mappings poll only when their function's role may.
"""

from __future__ import annotations

import json
import os
import sys
import textwrap
import time
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import REGION, REPO

EXAMPLE = REPO / "examples" / "least-privilege" / "sqslite.yaml"
DEVELOPER = ("AKIADEVELOPER0000001", "developer-secret")


def client(server, service, key=DEVELOPER):
    return boto3.client(
        service,
        endpoint_url=server.endpoint,
        region_name=REGION,
        aws_access_key_id=key[0],
        aws_secret_access_key=key[1],
        config=Config(retries={"total_max_attempts": 1}, read_timeout=60),
    )


def wait_for(what, condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out after {timeout}s waiting for {what}")


def invoke(server, name):
    answer = client(server, "lambda").invoke(FunctionName=name, Payload=json.dumps({"text": "hello"}).encode())
    payload = json.loads(answer["Payload"].read())
    assert "FunctionError" not in answer, payload
    return payload


@pytest.fixture
def example_server(server_factory, monkeypatch):
    """examples/least-privilege/sqslite.yaml; `python3` for the functions is this interpreter."""
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    return server_factory(config=EXAMPLE)


def test_the_send_receive_delete_function_does_its_job_and_nothing_more(example_server):
    # The seed's function, unchanged, with a role allowed exactly Send, Receive and Delete.
    result = invoke(example_server, "SendReceiveDelete")
    assert result["statusCode"] == 200
    body = json.loads(result["body"])
    assert body["received"] == [body["sent"]]

    # The same role cannot purge its queue nor send elsewhere; denials name the function's session.
    session = "arn:aws:sts::000000000000:assumed-role/send-receive-delete/Overreach"
    result = invoke(example_server, "Overreach")
    assert result["identity"] == session
    assert result["purge"]["code"] == "AccessDenied"
    assert result["purge"]["message"] == (
        f"User: {session} is not authorized to perform: sqs:purgequeue on resource: "
        "arn:aws:sqs:us-east-1:000000000000:RoundTrip because no identity-based policy allows the sqs:purgequeue action"
    )
    assert result["sendElsewhere"]["code"] == "AccessDenied"
    assert "sqs:sendmessage on resource: arn:aws:sqs:us-east-1:000000000000:ChatAPP" in result["sendElsewhere"]["message"]

    # The function's role is what GetFunction reports.
    function = client(example_server, "lambda").get_function(FunctionName="SendReceiveDelete")
    assert function["Configuration"]["Role"] == "arn:aws:iam::000000000000:role/send-receive-delete"


def test_the_mapping_polls_with_its_functions_role(example_server):
    sqs = client(example_server, "sqs")
    url = sqs.get_queue_url(QueueName="ChatAPP")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"from": "ana", "text": "hi"}))

    def drained():
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])
        return attributes["Attributes"] == {"ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "0"}

    wait_for("MessageProcessor to take the message", drained)
    mapping = client(example_server, "lambda").list_event_source_mappings(FunctionName="MessageProcessor")["EventSourceMappings"][0]
    assert mapping["LastProcessingResult"] == "OK"


CONFIG_WITHOUT_PERMISSION = textwrap.dedent(
    """\
    auth:
      enabled: true
      principals:
        - name: developer
          type: user
          accessKeyId: AKIADEVELOPER0000001
          secretAccessKey: developer-secret
          policies:
            - {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "*", Resource: "*"}]}
        - name: no-sqs
          type: role
    queues:
      - name: Jobs
      - name: MoreJobs
    functions:
      - name: Worker
        url: http://127.0.0.1:9/
        role: no-sqs
    eventSourceMappings:
      - queue: Jobs
        function: Worker
    """
)


def test_a_role_without_the_sqs_permissions_does_not_poll(server_factory, tmp_path):
    config = tmp_path / "sqslite.yaml"
    config.write_text(CONFIG_WITHOUT_PERMISSION)
    server = server_factory(config=config)
    sqs, lam = client(server, "sqs"), client(server, "lambda")
    url = sqs.get_queue_url(QueueName="Jobs")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="job")
    problem = "PROBLEM: The provided execution role does not have permissions to call ReceiveMessage on SQS"
    mapping = wait_for(
        "the mapping to report its role's problem",
        lambda: next((m for m in lam.list_event_source_mappings()["EventSourceMappings"] if m["LastProcessingResult"] == problem), None),
    )
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert (attributes["ApproximateNumberOfMessages"], attributes["ApproximateNumberOfMessagesNotVisible"]) == ("1", "0")

    # As on AWS, CreateEventSourceMapping refuses a role that cannot read the queue.
    with pytest.raises(ClientError) as info:
        lam.create_event_source_mapping(
            EventSourceArn="arn:aws:sqs:us-east-1:000000000000:MoreJobs", FunctionName="Worker", BatchSize=1)
    assert info.value.response["Error"]["Code"] == "InvalidParameterValueException"
    assert info.value.response["Error"]["Message"] == "The provided execution role does not have permissions to call ReceiveMessage on SQS"

    # Granting the role the poller's actions in the queue's policy lets the mapping poll: the
    # message goes to the (unreachable) function, so it is received and the call fails.
    policy = {
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::000000000000:role/no-sqs"},
            "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], "Resource": "*",
        }],
    }
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(policy)})
    wait_for(
        "the mapping to poll",
        lambda: lam.get_event_source_mapping(UUID=mapping["UUID"])["LastProcessingResult"] == "PROBLEM: Function call failed",
    )
