"""Helpers for the SNS, SES and mailbox interop tests: clients for the other services, a small
local HTTP subscriber, and SNS signature checking with openssl."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import boto3
import pytest
import requests
from botocore.config import Config


def client(service: str, endpoint: str, region: str = "us-east-1"):
    return boto3.client(
        service, endpoint_url=endpoint, region_name=region, aws_access_key_id="test", aws_secret_access_key="test",
        config=Config(retries={"total_max_attempts": 1}, read_timeout=30),
    )


def wait_for(what, condition, timeout=15.0, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s waiting for {what}")


def queue_arn(sqs, url: str) -> str:
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def receive(sqs, url: str, count: int, timeout: float = 10.0, **kwargs) -> list[dict]:
    got: list[dict] = []
    deadline = time.monotonic() + timeout
    while len(got) < count and time.monotonic() < deadline:
        got += sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1, **kwargs).get("Messages", [])
    return got


def mails(endpoint: str, **params) -> list[dict]:
    return requests.get(f"{endpoint}/_aws/ses", params=params, timeout=10).json()["messages"]


class Subscriber:
    """A local HTTP endpoint that records every request; the next `fail` notifications get a 500."""

    def __init__(self, port: int = 0) -> None:
        self.requests: list[dict] = []
        self.fail = 0
        self.lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
                with owner.lock:
                    owner.requests.append({"headers": {k.lower(): v for k, v in self.headers.items()}, "body": body, "path": self.path})
                    failing = owner.fail > 0 and self.headers.get("x-amz-sns-message-type") == "Notification"
                    if failing:
                        owner.fail -= 1
                self.send_response(500 if failing else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def of_type(self, kind: str) -> list[dict]:
        with self.lock:
            return [r for r in self.requests if r["headers"].get("x-amz-sns-message-type") == kind]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def canonical(message: dict) -> str:
    """The string SNS signs (Amazon SNS developer guide, "Verifying the signatures")."""
    if message["Type"] == "Notification":
        keys = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
    else:
        keys = ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"]
    return "".join(f"{k}\n{message[k]}\n" for k in keys if k in message)


def signature_is_valid(message: dict) -> bool:
    """Checks an SNS message's signature against the certificate at its SigningCertURL, with openssl."""
    openssl = shutil.which("openssl")
    assert openssl, "openssl is needed to check SNS signatures"
    cert = requests.get(message["SigningCertURL"], timeout=10).text
    digest = "-sha256" if message["SignatureVersion"] == "2" else "-sha1"
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "cert.pem").write_text(cert)
        (root / "data").write_text(canonical(message))
        (root / "sig").write_bytes(base64.b64decode(message["Signature"]))
        key = subprocess.run([openssl, "x509", "-pubkey", "-noout", "-in", root / "cert.pem"], capture_output=True, text=True, check=True)
        (root / "key.pem").write_text(key.stdout)
        result = subprocess.run(
            [openssl, "dgst", digest, "-verify", root / "key.pem", "-signature", root / "sig", root / "data"], capture_output=True, text=True)
        return result.returncode == 0


def body_json(message: dict) -> dict:
    return json.loads(message["Body"])
