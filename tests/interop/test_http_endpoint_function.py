"""HTTP-endpoint functions (`url:` in the config file) through the real binary: the event is POSTed
to an endpoint shaped like AWS's Runtime Interface Emulator, with boto3 and the AWS CLI invoking,
and an SQS mapping delivering to it.
"""

from __future__ import annotations

import json
import textwrap
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import boto3
import pytest
from botocore.config import Config

from conftest import REGION, free_port, run_aws_cli

INVOCATIONS = "/2015-03-31/functions/function/invocations"


class Emulator:
    """Echoes the event (HTTP/1.1, kept alive); "fail" answers a Lambda error document with
    X-Amz-Function-Error, "hang" answers after 4 s. Records each request's headers and client port."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with owner.lock:
                    owner.requests.append({
                        "path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                        "port": self.client_address[1], "body": body,
                    })
                text = body.decode()
                extra = {}
                if "hang" in text:
                    time.sleep(4)
                if "fail" in text:
                    answer = json.dumps({"errorType": "Boom", "errorMessage": "failed"}).encode()
                    extra["X-Amz-Function-Error"] = "Unhandled"
                else:
                    answer = json.dumps({"echo": json.loads(text)}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                for name, value in extra.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{INVOCATIONS}"

    def seen(self) -> list[dict]:
        with self.lock:
            return list(self.requests)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def endpoint_server(server_factory, tmp_path):
    emulator = Emulator()
    config = tmp_path / "sqslite.yaml"
    config.write_text(textwrap.dedent(f"""\
        queues:
          - name: Jobs
        functions:
          - name: Echo
            url: {emulator.url}
            timeout: 2
          - name: Down
            url: http://127.0.0.1:{free_port()}/invoke
            timeout: 10
        eventSourceMappings:
          - queue: Jobs
            function: Echo
            batchSize: 1
        """))
    server = server_factory(config=config)
    yield server, emulator
    emulator.close()


def client(server, service):
    return boto3.client(
        service, endpoint_url=server.endpoint, region_name=REGION, aws_access_key_id="test", aws_secret_access_key="test",
        config=Config(retries={"total_max_attempts": 1}, read_timeout=60),
    )


def invoke(server, name, event):
    answer = client(server, "lambda").invoke(FunctionName=name, Payload=json.dumps(event).encode())
    return answer, json.loads(answer["Payload"].read())


def test_the_event_is_posted_and_the_answer_is_the_result(endpoint_server):
    server, emulator = endpoint_server
    answer, payload = invoke(server, "Echo", {"n": 1})
    assert "FunctionError" not in answer
    assert payload == {"echo": {"n": 1}}
    request = emulator.seen()[-1]
    assert request["path"] == INVOCATIONS
    assert request["headers"]["content-type"] == "application/json"
    assert request["headers"]["lambda-runtime-aws-request-id"]
    assert request["headers"]["lambda-runtime-invoked-function-arn"] == "arn:aws:lambda:us-east-1:000000000000:function:Echo"

    # The next invocations reuse the kept-alive connection.
    invoke(server, "Echo", {"n": 2})
    invoke(server, "Echo", {"n": 3})
    assert len({r["port"] for r in emulator.seen()[-3:]}) == 1


def test_errors_and_timeouts(endpoint_server):
    server, _ = endpoint_server
    answer, payload = invoke(server, "Echo", {"fail": True})
    assert answer["FunctionError"] == "Unhandled"
    assert payload == {"errorType": "Boom", "errorMessage": "failed"}

    answer, payload = invoke(server, "Echo", {"hang": True})
    assert answer["FunctionError"] == "Unhandled"
    assert payload == {"errorMessage": "Task timed out after 2.00 seconds", "errorType": "Sandbox.Timedout"}


def test_a_refused_connection_fails_at_once(endpoint_server, cli_env, tmp_path):
    server, _ = endpoint_server
    out = tmp_path / "out.json"
    start = time.monotonic()
    result = run_aws_cli(server.endpoint, cli_env, "lambda", "invoke", "--function-name", "Down", "--payload", "{}", str(out))
    elapsed = time.monotonic() - start
    assert result["FunctionError"] == "Unhandled"
    assert json.loads(out.read_text())["errorType"] == "Runtime.ConnectionRefused"
    # The function's timeout is 10 s: a refused connect must not wait for it.
    assert elapsed < 5, elapsed


def test_a_mapping_delivers_messages_to_the_endpoint(endpoint_server):
    server, emulator = endpoint_server
    sqs = client(server, "sqs")
    url = sqs.get_queue_url(QueueName="Jobs")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="job-1")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        events = [json.loads(r["body"]) for r in emulator.seen()]
        bodies = [record["body"] for event in events for record in event.get("Records", [])]
        if bodies:
            break
        time.sleep(0.1)
    assert bodies == ["job-1"]
