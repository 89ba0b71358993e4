"""sqslite run as an unprivileged user (uid/gid 65534 through setpriv when the suite runs as root).

Root may do things normal users may not (set SO_DEBUG on a socket, write read-only files), so a
suite that only ever runs the server as root passed while every connection of a non-root server
was reset. These tests run the server, and through it a process function and its Runtime API, as
the user the Docker image and developers use.
"""

from __future__ import annotations

import io
import json
import socket
import time
import zipfile
from pathlib import Path

import pytest
import requests

from conftest import run_aws_cli
from unprivileged import (
    Sandbox,
    UnprivilegedServer,
    function_config,
    lambda_client,
    server_uid,
)


@pytest.fixture
def sandbox():
    box = Sandbox()
    yield box
    box.cleanup()


@pytest.fixture
def unprivileged_server(sandbox, tmp_path):
    made: list[UnprivilegedServer] = []

    def make(config: Path | None = None, **kw) -> UnprivilegedServer:
        srv = UnprivilegedServer(sandbox, sandbox.owned_dir(f"data{len(made)}"), tmp_path / f"logs{len(made)}", config=config, **kw)
        made.append(srv)
        return srv.start()

    yield make
    for srv in made:
        srv.kill()


def process_uid(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Uid:"):
            return int(line.split()[1])
    raise AssertionError("no Uid line")


def raw_keepalive_requests(port: int, count: int = 3) -> list[bytes]:
    """`count` GET /health on one kept-alive connection; returns each status line."""
    lines = []
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        f = s.makefile("rb")
        for _ in range(count):
            s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            status = f.readline()
            lines.append(status)
            length = 0
            while True:
                header = f.readline()
                if header in (b"\r\n", b""):
                    break
                name, _, value = header.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            f.read(length)
    return lines


def test_server_runs_and_serves_sqs_as_an_unprivileged_user(unprivileged_server):
    srv = unprivileged_server()
    assert process_uid(srv.proc.pid) == server_uid()

    health = requests.get(f"{srv.endpoint}/health", timeout=5)
    assert health.status_code == 200, health.text
    assert all(line.startswith(b"HTTP/1.1 200") for line in raw_keepalive_requests(srv.port)), \
        "keep-alive requests on one connection failed"

    sqs = srv.client()
    url = sqs.create_queue(QueueName="unprivileged")["QueueUrl"]
    sent = sqs.send_message(QueueUrl=url, MessageBody="hello from nobody")["MessageId"]
    batch = sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": f"b{i}"} for i in range(3)])
    assert len(batch["Successful"]) == 3 and not batch.get("Failed")
    got = []
    deadline = time.monotonic() + 10
    while len(got) < 4 and time.monotonic() < deadline:
        got += sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
    assert sent in {m["MessageId"] for m in got}
    assert sorted(m["Body"] for m in got) == ["b0", "b1", "b2", "hello from nobody"]
    for m in got:
        sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    assert sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0).get("Messages", []) == []

    # The data is the unprivileged user's and survives a restart.
    assert srv.terminate() == 0
    assert (srv.data_dir / "sqslite.db").stat().st_uid == server_uid()
    srv.start()
    assert srv.client().get_queue_url(QueueName="unprivileged")["QueueUrl"].endswith("/unprivileged")


def test_process_function_runtime_api_works_as_an_unprivileged_user(unprivileged_server, sandbox, cli_env, tmp_path):
    config = function_config(sandbox, "Echo")
    srv = unprivileged_server(config=config)

    client = lambda_client(srv.endpoint)
    response = client.invoke(FunctionName="Echo", Payload=json.dumps({"hello": "nobody"}).encode())
    assert response["StatusCode"] == 200, response
    assert "FunctionError" not in response, response["Payload"].read()
    payload = json.loads(response["Payload"].read())
    assert payload == {"echo": {"hello": "nobody"}, "uid": server_uid(), "function": "Echo"}

    # The AWS CLI too, and a second invocation reuses the warm process.
    out, event = tmp_path / "out.json", tmp_path / "event.json"
    event.write_text('{"n": 2}')
    result = run_aws_cli(  # fileb:// reads the payload as bytes in both CLI v1 and v2
        srv.endpoint, cli_env, "lambda", "invoke", "--function-name", "Echo", "--payload", f"fileb://{event}", str(out),
    )
    assert result["StatusCode"] == 200 and "FunctionError" not in result, result
    assert json.loads(out.read_text())["echo"] == {"n": 2}


def test_sqs_triggered_function_as_an_unprivileged_user(unprivileged_server, sandbox):
    mapping = """eventSourceMappings:
  - queue: EchoQueue
    function: Echo
    batchSize: 10
    maximumBatchingWindowInSeconds: 0
"""
    srv = unprivileged_server(config=function_config(sandbox, "Echo", extra_yaml=mapping))
    sqs = srv.client()
    url = sqs.get_queue_url(QueueName="EchoQueue")["QueueUrl"]
    for i in range(3):
        sqs.send_message(QueueUrl=url, MessageBody=f"m{i}")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        attrs = sqs.get_queue_attributes(
            QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
        )["Attributes"]
        if attrs == {"ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "0"}:
            return
        time.sleep(0.2)
    pytest.fail(f"the function did not consume the messages: {attrs}; stderr:\n{srv.stderr_text()[-2000:]}")


def test_function_deployed_from_a_zip_as_an_unprivileged_user(unprivileged_server, sandbox):
    # sqslite's own Python runtime loop with the system interpreter; the code is unpacked under the
    # unprivileged user's data folder.
    from unprivileged import system_python

    srv = unprivileged_server(extra_args=("--python", system_python()))
    client = lambda_client(srv.endpoint)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "import os\ndef handler(event, context):\n    return {'uid': os.getuid(), 'n': event['n']}\n")
    created = client.create_function(FunctionName="Zipped", Runtime="python3.12", Handler="app.handler",
                                     Role="arn:aws:iam::000000000000:role/r", Code={"ZipFile": buffer.getvalue()})
    assert created["State"] == "Pending"
    client.get_waiter("function_active_v2").wait(FunctionName="Zipped", WaiterConfig={"Delay": 1})
    response = client.invoke(FunctionName="Zipped", Payload=b'{"n": 7}')
    assert json.loads(response["Payload"].read()) == {"uid": server_uid(), "n": 7}
    code = srv.data_dir / "functions" / "Zipped"
    assert code.stat().st_uid == server_uid()
    assert srv.terminate() == 0
    srv.start()
    client = lambda_client(srv.endpoint)
    client.get_waiter("function_active_v2").wait(FunctionName="Zipped", WaiterConfig={"Delay": 1})
    assert json.loads(client.invoke(FunctionName="Zipped", Payload=b'{"n": 8}')["Payload"].read())["n"] == 8
