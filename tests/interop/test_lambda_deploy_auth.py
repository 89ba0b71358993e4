"""Functions created through the Lambda API under --auth get the execution role they name, as the
config file's functions do: CreateFunction and UpdateFunctionConfiguration refuse a role that is
not a role in auth.principals (Lambda's "cannot be assumed"), the function's process signs with a
session of its role (new credentials at every start of the server), and its event-source
mappings poll only when the role may.
"""

from __future__ import annotations

import json
import os
import sys
import textwrap
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import REGION, run_aws_cli
from test_lambda_deploy import wait_for, zip_files

ACCOUNT = "000000000000"
DEVELOPER = ("AKIADEVELOPER0000001", "developer-secret")
WORKER_ROLE = f"arn:aws:iam::{ACCOUNT}:role/queue-worker"
NO_SQS_ROLE = f"arn:aws:iam::{ACCOUNT}:role/no-sqs"
CANNOT_ASSUME = "The role defined for the function cannot be assumed by Lambda."

CONFIG = textwrap.dedent(
    f"""\
    auth:
      enabled: true
      principals:
        - name: developer
          type: user
          accessKeyId: {DEVELOPER[0]}
          secretAccessKey: {DEVELOPER[1]}
          policies:
            - {{Version: "2012-10-17", Statement: [{{Effect: Allow, Action: "*", Resource: "*"}}]}}
        - name: queue-worker
          type: role
          policies:
            - Version: "2012-10-17"
              Statement:
                - Effect: Allow
                  Action: [sqs:SendMessage, sqs:ReceiveMessage, sqs:DeleteMessage, sqs:GetQueueAttributes]
                  Resource: arn:aws:sqs:us-east-1:{ACCOUNT}:Jobs
        - name: no-sqs
          type: role
    queues:
      - name: Jobs
      - name: Other
    """
)

# `probe` reports the credentials it runs with and what SQS answers them (sqslite's address comes from
# AWS_ENDPOINT_URL, which follows a restart); `consume` takes a batch.
FUNCTION = {
    "app.py": textwrap.dedent(
        """\
        import os
        import boto3
        from botocore.exceptions import ClientError

        def probe(event, context):
            sqs = boto3.client("sqs")
            result = {"key": os.environ["AWS_ACCESS_KEY_ID"], "token": os.environ.get("AWS_SESSION_TOKEN", "")}
            account = context.invoked_function_arn.split(":")[4]
            for name, queue in (("sendJobs", "Jobs"), ("sendOther", "Other")):
                url = f"{os.environ['AWS_ENDPOINT_URL']}/{account}/{queue}"
                try:
                    sqs.send_message(QueueUrl=url, MessageBody="from the function")
                    result[name] = "ok"
                except ClientError as error:
                    result[name] = {"code": error.response["Error"]["Code"], "message": error.response["Error"]["Message"]}
            return result

        def consume(event, context):
            return None
        """
    )
}


@pytest.fixture
def auth_server(server_factory, tmp_path, monkeypatch):
    """A server with --auth and the principals above; `python3` for the functions is this interpreter."""
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    config = tmp_path / "sqslite.yaml"
    config.write_text(CONFIG)
    return server_factory(config=config)


def client(server, service):
    return boto3.client(
        service, endpoint_url=server.endpoint, region_name=REGION, aws_access_key_id=DEVELOPER[0], aws_secret_access_key=DEVELOPER[1],
        config=Config(retries={"total_max_attempts": 1}, read_timeout=60),
    )


@pytest.fixture
def package(tmp_path):
    return zip_files(tmp_path / "function.zip", FUNCTION).read_bytes()


def create(server, name, role, handler, package):
    lam = client(server, "lambda")
    lam.create_function(
        FunctionName=name, Runtime="python3.12", Handler=handler, Role=role, Code={"ZipFile": package}, Timeout=30)
    lam.get_waiter("function_active_v2").wait(FunctionName=name, WaiterConfig={"Delay": 1})


def probe(server, name):
    answer = client(server, "lambda").invoke(FunctionName=name, Payload=b"{}")
    payload = json.loads(answer["Payload"].read())
    assert "FunctionError" not in answer, payload
    return payload


def refusal(call):
    with pytest.raises(ClientError) as info:
        call()
    error = info.value.response["Error"]
    return info.value.response["ResponseMetadata"]["HTTPStatusCode"], error["Code"], error["Message"]


def test_a_role_that_is_not_a_configured_role_cannot_be_assumed(auth_server, package, cli_env, tmp_path):
    server = auth_server
    zipped = tmp_path / "cli.zip"
    zipped.write_bytes(package)
    env = dict(cli_env, AWS_ACCESS_KEY_ID=DEVELOPER[0], AWS_SECRET_ACCESS_KEY=DEVELOPER[1])
    proc = run_aws_cli(
        server.endpoint, env, "lambda", "create-function", "--function-name", "Nobody", "--runtime", "python3.12", "--handler", "app.probe",
        "--role", f"arn:aws:iam::{ACCOUNT}:role/nobody", "--zip-file", f"fileb://{zipped}", expect_ok=False)
    assert proc.returncode != 0
    assert f"(InvalidParameterValueException) when calling the CreateFunction operation: {CANNOT_ASSUME}" in proc.stderr

    lam = client(server, "lambda")
    # The right name in another account, and a user's name, are not roles Lambda may assume either.
    for role in ("arn:aws:iam::111111111111:role/queue-worker", f"arn:aws:iam::{ACCOUNT}:role/developer"):
        assert refusal(lambda: lam.create_function(
            FunctionName="Nobody", Runtime="python3.12", Handler="app.probe", Role=role, Code={"ZipFile": package},
        )) == (400, "InvalidParameterValueException", CANNOT_ASSUME)
    assert lam.list_functions()["Functions"] == []


def test_the_function_signs_with_a_session_of_its_role(auth_server, package):
    server = auth_server
    create(server, "Worker", WORKER_ROLE, "app.probe", package)
    session = f"arn:aws:sts::{ACCOUNT}:assumed-role/queue-worker/Worker"

    result = probe(server, "Worker")
    assert result["key"].startswith("ASIA") and len(result["token"]) > 100
    assert result["sendJobs"] == "ok"
    assert result["sendOther"]["code"] == "AccessDenied"
    assert result["sendOther"]["message"].startswith(
        f"User: {session} is not authorized to perform: sqs:sendmessage on resource: arn:aws:sqs:us-east-1:{ACCOUNT}:Other")
    assert client(server, "lambda").get_function(FunctionName="Worker")["Configuration"]["Role"] == WORKER_ROLE

    # The function is kept across a restart and gets a new session: the old keys are gone with the server.
    assert server.terminate() == 0
    server.start()
    client(server, "lambda").get_waiter("function_active_v2").wait(FunctionName="Worker", WaiterConfig={"Delay": 1})
    again = probe(server, "Worker")
    assert again["key"].startswith("ASIA") and again["key"] != result["key"]
    assert again["sendJobs"] == "ok" and again["sendOther"]["code"] == "AccessDenied"

    # UpdateFunctionConfiguration: an unknown role is refused and changes nothing; a known one
    # takes the next invocations, with its own session.
    lam = client(server, "lambda")
    assert refusal(lambda: lam.update_function_configuration(FunctionName="Worker", Role=f"arn:aws:iam::{ACCOUNT}:role/nobody")) == (
        400, "InvalidParameterValueException", CANNOT_ASSUME)
    assert lam.get_function_configuration(FunctionName="Worker")["Role"] == WORKER_ROLE
    lam.update_function_configuration(FunctionName="Worker", Role=NO_SQS_ROLE)
    lam.get_waiter("function_updated_v2").wait(FunctionName="Worker", WaiterConfig={"Delay": 1})
    denied = probe(server, "Worker")
    assert denied["key"] != again["key"]
    assert denied["sendJobs"]["code"] == "AccessDenied"
    assert f"User: arn:aws:sts::{ACCOUNT}:assumed-role/no-sqs/Worker is not authorized" in denied["sendJobs"]["message"]


def test_mappings_are_checked_against_the_api_functions_role(auth_server, package):
    server = auth_server
    lam, sqs = client(server, "lambda"), client(server, "sqs")
    create(server, "Idle", NO_SQS_ROLE, "app.consume", package)
    create(server, "Consumer", WORKER_ROLE, "app.consume", package)
    jobs = f"arn:aws:sqs:us-east-1:{ACCOUNT}:Jobs"

    # As for the config file's functions (and on AWS): a role that cannot read the queue is refused.
    assert refusal(lambda: lam.create_event_source_mapping(EventSourceArn=jobs, FunctionName="Idle", BatchSize=1)) == (
        400, "InvalidParameterValueException", "The provided execution role does not have permissions to call ReceiveMessage on SQS")

    mapping = lam.create_event_source_mapping(EventSourceArn=jobs, FunctionName="Consumer", BatchSize=1)
    url = server.queue_url("Jobs")
    sqs.send_message(QueueUrl=url, MessageBody="job")

    def drained():
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])
        return attributes["Attributes"] == {"ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "0"}

    wait_for("the Consumer to take the job", drained)
    assert lam.get_event_source_mapping(UUID=mapping["UUID"])["LastProcessingResult"] == "OK"


def test_a_saved_function_whose_role_left_the_config_fails_until_given_a_valid_role(auth_server, package):
    server = auth_server
    create(server, "Orphan", WORKER_ROLE, "app.consume", package)
    assert server.terminate() == 0
    server.config.write_text(CONFIG.replace("name: queue-worker", "name: renamed-worker"))
    server.start()
    lam = client(server, "lambda")
    configuration = wait_for(
        "the function to fail", lambda: (c := lam.get_function_configuration(FunctionName="Orphan"))["State"] == "Failed" and c)
    assert (configuration["StateReasonCode"], configuration["StateReason"]) == ("InsufficientRolePermissions", CANNOT_ASSUME)
    assert refusal(lambda: lam.invoke(FunctionName="Orphan", Payload=b"{}"))[:2] == (409, "ResourceConflictException")

    lam.update_function_configuration(FunctionName="Orphan", Role=NO_SQS_ROLE)
    lam.get_waiter("function_updated_v2").wait(FunctionName="Orphan", WaiterConfig={"Delay": 1})
    assert lam.get_function_configuration(FunctionName="Orphan")["State"] == "Active"
    answer = lam.invoke(FunctionName="Orphan", Payload=b"{}")
    assert "FunctionError" not in answer and answer["Payload"].read() == b"null"
