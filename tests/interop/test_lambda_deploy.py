"""Functions deployed the AWS way: zipped in the test, `aws lambda create-function --zip-file
fileb://…`, `aws lambda wait function-active`, configured and wired to queues with the AWS CLI and
boto3, and run as real function processes (AWS's runtime client, or sqslite's own Python loop).
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import REPO, queue_attrs, run_aws_cli

EXAMPLES = REPO / "examples"
ROLE = "arn:aws:iam::000000000000:role/lambda-role"
ACCOUNT = "000000000000"


@pytest.fixture
def venv_path(monkeypatch):
    """Function processes find this interpreter (and its awslambdaric, boto3, Powertools) as `python3`."""
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")


def lambda_client(server):
    return boto3.client(
        "lambda", endpoint_url=server.endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test",
        config=Config(retries={"total_max_attempts": 1}, read_timeout=60),
    )


def logs_client(server):
    return boto3.client(
        "logs", endpoint_url=server.endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test",
        config=Config(retries={"total_max_attempts": 1}),
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


def zip_folder(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                archive.write(path, path.relative_to(folder).as_posix())
    return target


def zip_files(target: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return target


def log_messages(server, function: str) -> list[str]:
    try:
        events = logs_client(server).filter_log_events(logGroupName=f"/aws/lambda/{function}")["events"]
    except ClientError:
        return []
    return [event["message"] for event in events]


def test_seed_deployed_with_the_cli_filtered_with_dlq_and_kept_across_a_restart(server_factory, venv_path, cli_env, tmp_path):
    server = server_factory()
    sqs = server.client()
    dlq = sqs.create_queue(QueueName="ChatAPP-dlq")["QueueUrl"]
    url = sqs.create_queue(
        QueueName="ChatAPP",
        Attributes={
            "VisibilityTimeout": "2",
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": f"arn:aws:sqs:us-east-1:{ACCOUNT}:ChatAPP-dlq", "maxReceiveCount": 2}),
        },
    )["QueueUrl"]
    package = zip_folder(EXAMPLES / "message-processor", tmp_path / "function.zip")

    def aws(*args):
        return run_aws_cli(server.endpoint, cli_env, "lambda", *args)

    created = aws(
        "create-function", "--function-name", "MessageProcessor", "--runtime", "python3.12", "--handler", "app.handler",
        "--role", ROLE, "--zip-file", f"fileb://{package}", "--timeout", "10",
    )
    assert created["State"] == "Pending" and created["StateReasonCode"] == "Creating"
    assert created["CodeSize"] == package.stat().st_size
    digest = base64.b64encode(__import__("hashlib").sha256(package.read_bytes()).digest()).decode()
    assert created["CodeSha256"] == digest
    aws("wait", "function-active", "--function-name", "MessageProcessor")
    updated = aws("update-function-configuration", "--function-name", "MessageProcessor", "--environment", "Variables={CHAT_ROOM=lobby}")
    assert updated["LastUpdateStatus"] == "InProgress"
    aws("wait", "function-updated", "--function-name", "MessageProcessor")
    configuration = aws("get-function-configuration", "--function-name", "MessageProcessor")
    assert configuration["Environment"] == {"Variables": {"CHAT_ROOM": "lobby"}}
    assert (configuration["State"], configuration["LastUpdateStatus"]) == ("Active", "Successful")

    pattern = json.dumps({"body": {"kind": ["chat"]}})
    mapping = aws(
        "create-event-source-mapping", "--function-name", "MessageProcessor", "--event-source-arn",
        f"arn:aws:sqs:us-east-1:{ACCOUNT}:ChatAPP", "--batch-size", "10", "--function-response-types", "ReportBatchItemFailures",
        "--filter-criteria", json.dumps({"Filters": [{"Pattern": pattern}]}), "--metrics-config", "Metrics=EventCount",
    )
    assert mapping["FilterCriteria"] == {"Filters": [{"Pattern": pattern}]}
    assert mapping["State"] in ("Creating", "Enabled")
    wait_for("the mapping enabled", lambda: aws("get-event-source-mapping", "--uuid", mapping["UUID"])["State"] == "Enabled")

    good = [sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"kind": "chat", "from": "ann", "text": f"hi {i}"}))["MessageId"] for i in range(3)]
    poison = sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"kind": "chat", "poison": True}))["MessageId"]
    skipped = [
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"kind": "spam", "from": "bot"}))["MessageId"],
        sqs.send_message(QueueUrl=url, MessageBody="plain text, not JSON")["MessageId"],
    ]
    wait_for("the poison message in the DLQ", lambda: counts(sqs, dlq)[0] == 1, timeout=40)
    assert counts(sqs, url) == (0, 0)
    moved = sqs.receive_message(QueueUrl=dlq)["Messages"][0]
    assert moved["MessageId"] == poison
    logs = "\n".join(log_messages(server, "MessageProcessor"))
    for message_id in good:
        assert f"Processed chat message {message_id} from ann" in logs
    for message_id in skipped:
        # Filtered out: deleted without ever reaching the function.
        assert message_id not in logs
    assert aws("get-event-source-mapping", "--uuid", mapping["UUID"])["LastProcessingResult"] in ("OK", "PROBLEM: Function call failed")
    # MetricsConfig EventCount: the mapping's counts in /metrics.
    metrics = __import__("requests").get(f"{server.endpoint}/metrics", timeout=10).text
    labels = f'{{event_source_mapping="{mapping["UUID"]}",function="MessageProcessor"}}'

    def metric(name):
        found = re.search(rf"^{name}{re.escape(labels)} (\d+)", metrics, re.M)
        return int(found.group(1)) if found else 0

    assert metric("lambda_filtered_out_event_count_total") == 2
    assert metric("lambda_polled_event_count_total") >= 6 and metric("lambda_invoked_event_count_total") >= 4
    assert metric("lambda_failed_invoke_event_count_total") >= 1 and metric("lambda_deleted_event_count_total") == 3

    # The function, its code, its configuration and the mapping survive a restart.
    assert server.terminate() == 0
    server.start()
    aws("wait", "function-active", "--function-name", "MessageProcessor")
    again = aws("get-function", "--function-name", "MessageProcessor")["Configuration"]
    assert again["CodeSha256"] == digest and again["Environment"] == {"Variables": {"CHAT_ROOM": "lobby"}}
    assert [f["FunctionName"] for f in aws("list-functions")["Functions"]] == ["MessageProcessor"]
    sqs = server.client()
    after = sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"kind": "chat", "from": "bob", "text": "back"}))["MessageId"]
    wait_for("the message after the restart", lambda: f"Processed chat message {after} from bob" in "\n".join(log_messages(server, "MessageProcessor")))

    assert aws("delete-function", "--function-name", "MessageProcessor") in ({}, {"StatusCode": 204})
    proc = run_aws_cli(server.endpoint, cli_env, "lambda", "get-function", "--function-name", "MessageProcessor", expect_ok=False)
    assert proc.returncode != 0 and "ResourceNotFoundException" in proc.stderr
    assert f"Function not found: arn:aws:lambda:us-east-1:{ACCOUNT}:function:MessageProcessor" in proc.stderr
    assert not (server.data_dir / "functions" / "MessageProcessor").exists() or wait_for(
        "the code folder removed", lambda: not (server.data_dir / "functions" / "MessageProcessor").exists()
    )


def test_roundtrip_seed_deployed_with_boto3_and_invoked(server_factory, venv_path, tmp_path):
    server = server_factory()
    sqs = server.client()
    queue = sqs.create_queue(QueueName="RoundTrip")["QueueUrl"]
    client = lambda_client(server)
    package = zip_folder(EXAMPLES / "sqs-roundtrip", tmp_path / "roundtrip.zip")
    client.create_function(
        FunctionName="SendReceiveDelete", Runtime="python3.12", Handler="app.handler", Role=ROLE, Code={"ZipFile": package.read_bytes()},
        Timeout=30, Environment={"Variables": {"SQS_QUEUE_URL": queue}}, Tags={"team": "chat"},
    )
    client.get_waiter("function_active_v2").wait(FunctionName="SendReceiveDelete", WaiterConfig={"Delay": 1})
    response = client.invoke(FunctionName="SendReceiveDelete", Payload=json.dumps({"text": "hello"}).encode(), LogType="Tail")
    assert response["StatusCode"] == 200 and "FunctionError" not in response
    body = json.loads(json.loads(response["Payload"].read())["body"])
    assert body["received"] == [body["sent"]]
    assert f"Deleted message: {body['sent']}" in base64.b64decode(response["LogResult"]).decode()
    assert counts(sqs, queue) == (0, 0)
    function = client.get_function(FunctionName="SendReceiveDelete")
    assert function["Tags"] == {"team": "chat"}
    arn = function["Configuration"]["FunctionArn"]
    client.tag_resource(Resource=arn, Tags={"stage": "dev"})
    client.untag_resource(Resource=arn, TagKeys=["team"])
    assert client.list_tags(Resource=arn)["Tags"] == {"stage": "dev"}

    # AWS's errors.
    with pytest.raises(ClientError) as error:
        client.create_function(FunctionName="SendReceiveDelete", Runtime="python3.12", Handler="app.handler", Role=ROLE,
                               Code={"ZipFile": package.read_bytes()})
    assert error.value.response["Error"] == {"Code": "ResourceConflictException", "Message": "Function already exist: SendReceiveDelete"}
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    with pytest.raises(ClientError) as error:
        client.get_function_configuration(FunctionName="Nope")
    assert error.value.response["Error"]["Message"] == f"Function not found: arn:aws:lambda:us-east-1:{ACCOUNT}:function:Nope"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    with pytest.raises(ClientError) as error:
        client.create_function(FunctionName="FromS3", Runtime="python3.12", Handler="app.handler", Role=ROLE,
                               Code={"S3Bucket": "my-bucket", "S3Key": "code.zip"})
    assert error.value.response["Error"]["Code"] == "InvalidParameterValueException"
    assert "S3" in error.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as error:
        client.create_function(FunctionName="NoHandler", Runtime="python3.12", Role=ROLE, Code={"ZipFile": package.read_bytes()})
    assert error.value.response["Error"]["Message"] == "Runtime and Handler are mandatory parameters for functions created with deployment packages."
    with pytest.raises(ClientError) as error:
        client.update_function_configuration(FunctionName="SendReceiveDelete", Timeout=901)
    assert error.value.response["Error"]["Code"] == "ValidationException"
    with pytest.raises(ClientError) as error:
        client.update_function_configuration(FunctionName="SendReceiveDelete", Environment={"Variables": {"AWS_REGION": "eu-west-1"}})
    assert "reserved keys" in error.value.response["Error"]["Message"]

    # Paging over the API's functions.
    for name in ("A1", "B2"):
        client.create_function(FunctionName=name, Runtime="python3.12", Handler="app.handler", Role=ROLE, Code={"ZipFile": package.read_bytes()})
    first = client.list_functions(MaxItems=2)
    assert [f["FunctionName"] for f in first["Functions"]] == ["A1", "B2"]
    rest = client.list_functions(Marker=first["NextMarker"])
    assert [f["FunctionName"] for f in rest["Functions"]] == ["SendReceiveDelete"] and "NextMarker" not in rest


def test_sqslite_python_runtime_without_awslambdaric(server_factory, tmp_path):
    # An interpreter that cannot import awslambdaric: a fresh virtualenv without packages.
    bare = tmp_path / "bare-venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True, timeout=60)
    python = bare / "bin" / "python"
    assert subprocess.run([python, "-c", "import awslambdaric"], capture_output=True).returncode != 0
    server = server_factory(extra_args=("--python", str(python)))
    client = lambda_client(server)
    package = zip_files(tmp_path / "plain.zip", {
        "pkg/__init__.py": "",
        "pkg/handlers.py": (
            "import logging, os\n"
            "logger = logging.getLogger()\nlogger.setLevel(logging.INFO)\n"
            "def handle(event, context):\n"
            "    logger.info('got %s', event.get('n'))\n"
            "    if event.get('fail'):\n"
            "        raise KeyError('missing thing')\n"
            "    return {'n': event['n'] * 2, 'request': context.aws_request_id, 'name': context.function_name,\n"
            "            'memory': context.memory_limit_in_mb, 'arn': context.invoked_function_arn,\n"
            "            'group': context.log_group_name, 'left': context.get_remaining_time_in_millis() > 0,\n"
            "            'root': os.environ['LAMBDA_TASK_ROOT'] == os.getcwd()}\n"
        ),
    })
    client.create_function(FunctionName="Plain", Runtime="python3.11", Handler="pkg/handlers.handle", Role=ROLE,
                           Code={"ZipFile": package.read_bytes()}, MemorySize=256)
    client.get_waiter("function_active_v2").wait(FunctionName="Plain", WaiterConfig={"Delay": 1})
    response = client.invoke(FunctionName="Plain", Payload=b'{"n": 21}', LogType="Tail")
    result = json.loads(response["Payload"].read())
    assert result["n"] == 42 and result["name"] == "Plain" and result["memory"] == "256" and result["left"] and result["root"]
    assert result["arn"] == f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:Plain" and result["group"] == "/aws/lambda/Plain"
    log = base64.b64decode(response["LogResult"]).decode()
    assert f"[INFO]\t" in log and f"\t{result['request']}\tgot 21" in log

    failed = client.invoke(FunctionName="Plain", Payload=b'{"n": 1, "fail": true}', LogType="Tail")
    assert failed["FunctionError"] == "Unhandled"
    error = json.loads(failed["Payload"].read())
    assert error["errorType"] == "KeyError" and error["errorMessage"] == "'missing thing'"
    assert any("handlers.py" in line for line in error["stackTrace"])
    assert "[ERROR] KeyError: 'missing thing'\rTraceback (most recent call last):" in base64.b64decode(failed["LogResult"]).decode()

    client.update_function_configuration(FunctionName="Plain", Handler="pkg/handlers.nope")
    client.get_waiter("function_updated_v2").wait(FunctionName="Plain", WaiterConfig={"Delay": 1})
    broken = client.invoke(FunctionName="Plain", Payload=b"{}")
    assert json.loads(broken["Payload"].read())["errorType"] == "Runtime.HandlerNotFound"


def test_maximum_concurrency_and_reserved_concurrency_cap_running_invocations(server_factory, venv_path, tmp_path):
    server = server_factory()
    sqs = server.client()
    url = sqs.create_queue(QueueName="Slow", Attributes={"VisibilityTimeout": "30"})["QueueUrl"]
    times = tmp_path / "times.log"
    package = zip_files(tmp_path / "slow.zip", {"slow.py": (
        "import os, time\n"
        "def handler(event, context):\n"
        "    start = time.time()\n"
        "    time.sleep(0.4)\n"
        "    with open(os.environ['TIMES'], 'a') as f:\n"
        "        f.write(f'{start} {time.time()}\\n')\n"
    )})
    client = lambda_client(server)
    client.create_function(FunctionName="Slow", Runtime="python3.12", Handler="slow.handler", Role=ROLE, Timeout=10,
                           Code={"ZipFile": package.read_bytes()}, Environment={"Variables": {"TIMES": str(times)}})
    client.get_waiter("function_active_v2").wait(FunctionName="Slow", WaiterConfig={"Delay": 1})
    mapping = client.create_event_source_mapping(
        FunctionName="Slow", EventSourceArn=f"arn:aws:sqs:us-east-1:{ACCOUNT}:Slow", BatchSize=1, ScalingConfig={"MaximumConcurrency": 2})
    assert mapping["ScalingConfig"] == {"MaximumConcurrency": 2}

    def most_at_once() -> int:
        spans = [tuple(map(float, line.split())) for line in times.read_text().splitlines()]
        edges = sorted([(start, 1) for start, _ in spans] + [(end, -1) for _, end in spans], key=lambda e: (e[0], e[1]))
        running = peak = 0
        for _, step in edges:
            running += step
            peak = max(peak, running)
        return peak

    def run_batch(n):
        times.write_text("")
        for i in range(n):
            sqs.send_message(QueueUrl=url, MessageBody=f"m{i}")
        wait_for(f"{n} invocations", lambda: len(times.read_text().splitlines()) == n, timeout=60)
        wait_for("the queue empty", lambda: counts(sqs, url) == (0, 0))

    run_batch(8)
    assert most_at_once() == 2  # never more than MaximumConcurrency, and the cap was reached

    # Reserved concurrency 1 caps the mapping below its MaximumConcurrency.
    assert client.put_function_concurrency(FunctionName="Slow", ReservedConcurrentExecutions=1)["ReservedConcurrentExecutions"] == 1
    assert client.get_function_concurrency(FunctionName="Slow")["ReservedConcurrentExecutions"] == 1
    run_batch(4)
    assert most_at_once() == 1
    # Reserved concurrency 0 throttles synchronous invocations.
    client.put_function_concurrency(FunctionName="Slow", ReservedConcurrentExecutions=0)
    with pytest.raises(ClientError) as error:
        client.invoke(FunctionName="Slow", Payload=b"{}")
    assert error.value.response["Error"]["Code"] == "TooManyRequestsException"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    client.delete_function_concurrency(FunctionName="Slow")
    assert "ReservedConcurrentExecutions" not in client.get_function_concurrency(FunctionName="Slow")
    assert client.invoke(FunctionName="Slow", Payload=b"{}")["StatusCode"] == 200
    with pytest.raises(ClientError) as error:
        client.put_function_concurrency(FunctionName="Slow", ReservedConcurrentExecutions=901)
    assert error.value.response["Error"]["Code"] == "InvalidParameterValueException"


def hostile_zip(entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            archive.writestr(info, data)
    return buffer.getvalue()


def symlink_entry(name: str, target: str) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target.encode()


def test_hostile_zips_are_refused(server_factory, venv_path, tmp_path):
    server = server_factory()
    client = lambda_client(server)
    outside = tmp_path / "escaped"
    traversal = zipfile.ZipInfo("../../../../../../../../" + str(outside / "evil.py").lstrip("/"))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("zeros.bin", "w", force_zip64=True) as entry:
            chunk = b"\0" * (8 * 1024 * 1024)
            for _ in range(32):  # 256 MiB, over Lambda's 250 MB unzipped
                entry.write(chunk)
    cases = {
        "traversal": hostile_zip([("app.py", b"def handler(e, c): return 1\n"), (traversal, b"print('pwned')\n")]),
        "absolute": hostile_zip([("app.py", b""), (zipfile.ZipInfo(str(outside / "abs.py")), b"x")]),
        "symlink": hostile_zip([("app.py", b""), symlink_entry("link", "../../../../../../etc")]),
        "bomb": bomb.getvalue(),
        "garbage": b"this is not a zip file at all",
    }
    assert len(cases["bomb"]) < 1024 * 1024
    for name, data in cases.items():
        with pytest.raises(ClientError) as error:
            client.create_function(FunctionName=f"Hostile-{name}", Runtime="python3.12", Handler="app.handler", Role=ROLE,
                                   Code={"ZipFile": data})
        assert error.value.response["Error"]["Code"] == "InvalidParameterValueException", name
        message = error.value.response["Error"]["Message"]
        if name == "bomb":
            assert message == "Unzipped size must be smaller than 262144000 bytes"
        else:
            assert message.startswith("Could not unzip uploaded file. Please check your file, then try to upload again."), message
    assert not outside.exists()
    assert client.list_functions()["Functions"] == []
    leftovers = [p for p in (server.data_dir / "functions").rglob("*") if ".runtimes" not in p.parts]
    assert leftovers == [] or all(p.is_dir() for p in leftovers)
    # The server is fine afterwards.
    good = hostile_zip([("app.py", b"def handler(event, context):\n    return {'ok': True}\n")])
    client.create_function(FunctionName="Fine", Runtime="python3.12", Handler="app.handler", Role=ROLE, Code={"ZipFile": good})
    client.get_waiter("function_active_v2").wait(FunctionName="Fine", WaiterConfig={"Delay": 1})
    assert json.loads(client.invoke(FunctionName="Fine")["Payload"].read()) == {"ok": True}


POWERTOOLS_APP = '''
import json

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.parser import BaseModel, envelopes, parse
from aws_lambda_powertools.utilities.parser.models import SqsModel

processor = BatchProcessor(event_type=EventType.SQS)


class Order(BaseModel):
    id: int
    item: str


def record_handler(record):
    order = json.loads(record.body)
    if order.get("item") == "broken":
        raise ValueError(f"cannot ship order {order['id']}")
    print(f"shipped order {order['id']} ({record.message_id}) from {record.attributes.sender_id}")


def handler(event, context):
    model = parse(event=event, model=SqsModel)
    orders = parse(event=event, model=Order, envelope=envelopes.SqsEnvelope)
    for record in model.Records:
        print(f"parsed record {record.messageId} queue {record.eventSourceARN} receive {record.attributes.ApproximateReceiveCount} "
              f"priority {record.messageAttributes['priority'].stringValue if 'priority' in record.messageAttributes else '-'}")
    print("orders " + ",".join(str(order.id) for order in orders))
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
'''


def test_powertools_batch_processor_and_parser_run_unchanged(server_factory, venv_path, tmp_path):
    server = server_factory()
    sqs = server.client()
    dlq = sqs.create_queue(QueueName="Orders-dlq")["QueueUrl"]
    url = sqs.create_queue(QueueName="Orders", Attributes={
        "VisibilityTimeout": "2",
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": f"arn:aws:sqs:us-east-1:{ACCOUNT}:Orders-dlq", "maxReceiveCount": 2}),
    })["QueueUrl"]
    client = lambda_client(server)
    package = zip_files(tmp_path / "orders.zip", {"orders.py": POWERTOOLS_APP})
    client.create_function(FunctionName="Orders", Runtime="python3.12", Handler="orders.handler", Role=ROLE, Timeout=30,
                           Code={"ZipFile": package.read_bytes()})
    client.get_waiter("function_active_v2").wait(FunctionName="Orders", WaiterConfig={"Delay": 1})
    client.create_event_source_mapping(FunctionName="Orders", EventSourceArn=f"arn:aws:sqs:us-east-1:{ACCOUNT}:Orders",
                                       FunctionResponseTypes=["ReportBatchItemFailures"], BatchSize=10, MaximumBatchingWindowInSeconds=1)
    ids = [
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"id": i, "item": "broken" if i == 2 else "book"}),
                         MessageAttributes={"priority": {"DataType": "String", "StringValue": "high"}})["MessageId"]
        for i in range(1, 4)
    ]
    wait_for("the broken order in the DLQ", lambda: counts(sqs, dlq)[0] == 1, timeout=40)
    assert sqs.receive_message(QueueUrl=dlq)["Messages"][0]["MessageId"] == ids[1]
    assert counts(sqs, url) == (0, 0)
    logs = "\n".join(log_messages(server, "Orders"))
    assert f"shipped order 1 ({ids[0]})" in logs and f"shipped order 3 ({ids[2]})" in logs
    assert "orders 1,2,3" in logs or "orders 2" in logs
    assert re.search(rf"parsed record {ids[0]} queue arn:aws:sqs:us-east-1:{ACCOUNT}:Orders receive \d+ priority high", logs)
    assert "ValidationError" not in logs and "cannot ship order 2" in logs


def test_filter_and_scaling_settings_are_validated(server_factory, venv_path, tmp_path):
    server = server_factory()
    server.client().create_queue(QueueName="Q")
    client = lambda_client(server)
    package = zip_files(tmp_path / "f.zip", {"app.py": "def handler(e, c):\n    return None\n"})
    client.create_function(FunctionName="F", Runtime="python3.12", Handler="app.handler", Role=ROLE, Code={"ZipFile": package.read_bytes()})
    arn = f"arn:aws:sqs:us-east-1:{ACCOUNT}:Q"
    bad = [
        {"FilterCriteria": {"Filters": [{"Pattern": "{\"body\": \"not a list\"}"}]}},
        {"FilterCriteria": {"Filters": [{"Pattern": "not json"}]}},
        {"FilterCriteria": {"Filters": [{"Pattern": json.dumps({"body": {"n": [{"numeric": [">", 5, ">", 1]}]}})}]}},
        {"FilterCriteria": {"Filters": [{"Pattern": json.dumps({"body": {"a": [str(i)]}})} for i in range(6)]}},
        {"ProvisionedPollerConfig": {"MinimumPollers": 10, "MaximumPollers": 5}},
        {"MetricsConfig": {"Metrics": ["KafkaMetrics"]}},
    ]
    for extra in bad:
        with pytest.raises(ClientError) as error:
            client.create_event_source_mapping(FunctionName="F", EventSourceArn=arn, **extra)
        assert error.value.response["Error"]["Code"] == "InvalidParameterValueException", extra
    filters = {"Filters": [{"Pattern": json.dumps({"body": {"$or": [{"a": [{"prefix": "x"}]}, {"b": [{"anything-but": ["y"]}]}]}})}]}
    mapping = client.create_event_source_mapping(
        FunctionName="F", EventSourceArn=arn, FilterCriteria=filters, MetricsConfig={"Metrics": ["EventCount"]},
        ProvisionedPollerConfig={"MinimumPollers": 2, "MaximumPollers": 4}, Enabled=False)
    assert mapping["FilterCriteria"] == filters and mapping["MetricsConfig"] == {"Metrics": ["EventCount"]}
    assert mapping["ProvisionedPollerConfig"] == {"MinimumPollers": 2, "MaximumPollers": 4} and mapping["State"] == "Disabled"
    cleared = client.update_event_source_mapping(UUID=mapping["UUID"], FilterCriteria={})
    assert "FilterCriteria" not in cleared


def test_config_runtime_shorthand_and_api_functions_listed_together(server_factory, venv_path, tmp_path):
    config = tmp_path / "sqslite.yaml"
    config.write_text(
        "functions:\n"
        "  - name: ConfigProcessor\n"
        "    runtime: python3.12\n"
        "    handler: app.handler\n"
        f"    workingDirectory: {EXAMPLES / 'message-processor'}\n"
        "    timeout: 10\n"
    )
    server = server_factory(config=config)
    client = lambda_client(server)
    package = zip_files(tmp_path / "api.zip", {"app.py": "def handler(event, context):\n    return {'from': 'api'}\n"})
    client.create_function(FunctionName="ApiFunction", Runtime="python3.12", Handler="app.handler", Role=ROLE, Code={"ZipFile": package.read_bytes()})
    client.get_waiter("function_active_v2").wait(FunctionName="ApiFunction", WaiterConfig={"Delay": 1})
    listed = {f["FunctionName"]: f for f in client.list_functions()["Functions"]}
    assert sorted(listed) == ["ApiFunction", "ConfigProcessor"]
    assert listed["ConfigProcessor"]["Runtime"] == "python3.12" and listed["ConfigProcessor"]["Handler"] == "app.handler"
    result = client.invoke(FunctionName="ConfigProcessor", Payload=json.dumps({"Records": []}).encode())
    assert json.loads(result["Payload"].read()) == {"batchItemFailures": []}
    admin = __import__("requests").get(f"{server.endpoint}/admin/api/functions", timeout=10).json()
    assert sorted(f["name"] for f in admin["functions"]) == ["ApiFunction", "ConfigProcessor"]
    # The config file's functions are changed in the config file, not through the API.
    with pytest.raises(ClientError) as error:
        client.delete_function(FunctionName="ConfigProcessor")
    assert error.value.response["Error"]["Code"] == "InvalidParameterValueException"
    assert "config file" in error.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as error:
        client.create_function(FunctionName="ConfigProcessor", Runtime="python3.12", Handler="app.handler", Role=ROLE,
                               Code={"ZipFile": package.read_bytes()})
    assert error.value.response["Error"]["Code"] == "ResourceConflictException"


BOOTSTRAP = '''#!/usr/bin/env python3
"""A custom runtime: reads _HANDLER, answers each event with it, through the Runtime API."""
import json, os, urllib.request

api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime/invocation/"
while True:
    with urllib.request.urlopen(api + "next") as response:
        request_id = response.headers["Lambda-Runtime-Aws-Request-Id"]
        event = json.loads(response.read())
    body = json.dumps({"handler": os.environ["_HANDLER"], "echo": event, "root": os.environ["LAMBDA_TASK_ROOT"] == os.getcwd()}).encode()
    urllib.request.urlopen(urllib.request.Request(api + request_id + "/response", data=body, method="POST")).read()
'''


def test_provided_runtime_runs_the_zips_bootstrap_and_missing_toolchains_are_clear(server_factory, tmp_path):
    server = server_factory()
    client = lambda_client(server)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("bootstrap")
        info.create_system = 3
        info.external_attr = (stat.S_IFREG | 0o755) << 16
        archive.writestr(info, BOOTSTRAP)
    client.create_function(FunctionName="Custom", Runtime="provided.al2023", Handler="my.handler", Role=ROLE,
                           Code={"ZipFile": buffer.getvalue()})
    client.get_waiter("function_active_v2").wait(FunctionName="Custom", WaiterConfig={"Delay": 1})
    result = json.loads(client.invoke(FunctionName="Custom", Payload=b'{"a": 1}')["Payload"].read())
    assert result == {"handler": "my.handler", "echo": {"a": 1}, "root": True}

    # Node.js needs node and AWS's runtime interface client (aws-lambda-ric): without them, a clear error.
    with pytest.raises(ClientError) as error:
        client.create_function(FunctionName="Node", Runtime="nodejs20.x", Handler="index.handler", Role=ROLE,
                               Code={"ZipFile": hostile_zip([("index.js", b"exports.handler = async () => 1;")])})
    assert error.value.response["Error"]["Code"] == "InvalidParameterValueException"
    assert "aws-lambda-ric" in error.value.response["Error"]["Message"] or "node" in error.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as error:
        client.create_function(FunctionName="Old", Runtime="python2.7", Handler="app.handler", Role=ROLE,
                               Code={"ZipFile": hostile_zip([("app.py", b"")])})
    assert "no longer supported" in error.value.response["Error"]["Message"]
    names = [f["FunctionName"] for f in client.list_functions()["Functions"]]
    assert names == ["Custom"]


def test_large_zips_up_to_lambdas_limit_are_accepted_past_the_request_size_limit(server_factory, venv_path, tmp_path):
    # The default --max-request-size is 16 MiB; code uploads have Lambda's own limits.
    server = server_factory()
    client = lambda_client(server)
    big = io.BytesIO()
    with zipfile.ZipFile(big, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("app.py", "def handler(event, context):\n    return {'size': __import__('os').path.getsize('blob.bin')}\n")
        archive.writestr("blob.bin", os.urandom(20 * 1024 * 1024))
    assert len(big.getvalue()) * 4 / 3 > 16 * 1024 * 1024
    created = client.create_function(FunctionName="Big", Runtime="python3.12", Handler="app.handler", Role=ROLE,
                                      Code={"ZipFile": big.getvalue()})
    assert created["CodeSize"] == len(big.getvalue())
    client.get_waiter("function_active_v2").wait(FunctionName="Big", WaiterConfig={"Delay": 1})
    assert json.loads(client.invoke(FunctionName="Big")["Payload"].read()) == {"size": 20 * 1024 * 1024}

    too_big = io.BytesIO()
    with zipfile.ZipFile(too_big, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("blob.bin", os.urandom(50 * 1024 * 1024 + 1024))
    with pytest.raises(ClientError) as error:
        client.update_function_code(FunctionName="Big", ZipFile=too_big.getvalue())
    assert error.value.response["Error"]["Code"] == "RequestEntityTooLargeException"
    # 50 MB in base64 is the request limit (69,905,067 bytes): the request is refused before it is read.
    assert error.value.response["Error"]["Message"] == "Request must be smaller than 69905067 bytes for the UpdateFunctionCode operation"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 413
    # The function kept its code.
    assert client.get_function(FunctionName="Big")["Configuration"]["CodeSha256"] == created["CodeSha256"]
