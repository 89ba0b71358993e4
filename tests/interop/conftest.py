"""Interop test harness for sqslite.

Starts the real ``sqslite`` binary and drives it with boto3 / the AWS CLI /
raw HTTP, exactly as users do against real SQS.

Binary: ``$SQSLITE_BIN`` or ``<repo>/.build/debug/sqslite``. A missing binary
is a test *failure* (not a skip) so that CI cannot go green without a server.

Helpers used by several test modules live here too (``from conftest import
...``); pytest's default "prepend" import mode puts this folder on sys.path.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any, Iterator

import boto3
import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DEFAULT_BIN = REPO / ".build" / "debug" / "sqslite"

DEFAULT_ACCOUNT = "000000000000"
REGION = "us-east-1"
READY_TIMEOUT = 30.0
MIB = 1024 * 1024


# --------------------------------------------------------------------------
# binary + process management
# --------------------------------------------------------------------------


def sqslite_bin() -> Path:
    raw = os.environ.get("SQSLITE_BIN")
    path = Path(raw) if raw else DEFAULT_BIN
    if not path.is_file() or not os.access(path, os.X_OK):
        pytest.fail(
            f"sqslite binary not found or not executable at {path}. "
            "Build it first (`swift build` in the repo root) or point SQSLITE_BIN at it.",
            pytrace=False,
        )
    return path


def pytest_sessionstart(session):
    """Fail the whole run up front (exit code 1, not a skip) when there is no server binary."""
    if session.config.option.collectonly:
        return
    raw = os.environ.get("SQSLITE_BIN")
    path = Path(raw) if raw else DEFAULT_BIN
    if not path.is_file() or not os.access(path, os.X_OK):
        pytest.exit(
            f"sqslite binary not found or not executable at {path}. "
            "Build it first (`swift build` in the repo root) or point SQSLITE_BIN at it.",
            returncode=1,
        )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SqsliteServer:
    """One sqslite process. Can be stopped and started again on the same data dir."""

    def __init__(
        self,
        data_dir: Path,
        log_dir: Path,
        config: Path | None = None,
        extra_args: tuple[str, ...] = (),
    ) -> None:
        self.data_dir = Path(data_dir)
        self.log_dir = Path(log_dir)
        self.config = config
        self.extra_args = tuple(extra_args)
        self.proc: subprocess.Popen[bytes] | None = None
        self.port: int = 0
        self._runs = 0
        self.stdout_path: Path | None = None
        self.stderr_path: Path | None = None

    # -- process -----------------------------------------------------------
    def command(self, port: int) -> list[str]:
        cmd = [
            str(sqslite_bin()),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--data-dir",
            str(self.data_dir),
            "--log-level",
            "warning",
        ]
        if self.config is not None:
            cmd += ["--config", str(self.config)]
        cmd += list(self.extra_args)
        return cmd

    def start(self, port: int | None = None) -> "SqsliteServer":
        assert self.proc is None or self.proc.poll() is not None, "already running"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        last_error = ""
        # A free port can be grabbed by someone else between our probe and the
        # server's bind; retry a couple of times with a new port in that case.
        for attempt in range(3):
            self._runs += 1
            self.port = port or free_port()
            self.stdout_path = self.log_dir / f"sqslite-{self._runs}.out"
            self.stderr_path = self.log_dir / f"sqslite-{self._runs}.err"
            with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
                self.proc = subprocess.Popen(
                    self.command(self.port),
                    stdout=out,
                    stderr=err,
                    stdin=subprocess.DEVNULL,
                    start_new_session=True,
                )
            ok, last_error = self._wait_ready()
            if ok:
                return self
            if self.proc.poll() is None:
                self.kill()
            if port is not None or "address" not in last_error.lower():
                break
        pytest.fail(f"sqslite did not become ready: {last_error}", pytrace=False)

    def _wait_ready(self) -> tuple[bool, str]:
        deadline = time.monotonic() + READY_TIMEOUT
        last = ""
        resets_since = None
        while time.monotonic() < deadline:
            rc = self.proc.poll()
            if rc is not None:
                return False, f"process exited with {rc} during startup; stderr:\n{self.stderr_text()[-3000:]}"
            try:
                r = requests.get(f"{self.endpoint}/health", timeout=1)
                if r.status_code == 200:
                    return True, ""
                last = f"/health answered {r.status_code}: {r.text[:200]}"
                resets_since = None
            except requests.RequestException as e:  # not listening yet
                last = repr(e)
                # Listening, but every connection is reset (e.g. a root-only socket option as non-root):
                # say so after 3 s instead of waiting for the full timeout.
                if "reset" in last.lower():
                    resets_since = resets_since or time.monotonic()
                    if time.monotonic() - resets_since > 3:
                        return False, (f"the server{self.user_note()} accepts connections and resets every one: "
                                       f"{last}; stderr:\n{self.stderr_text()[-2000:]}")
            time.sleep(0.05)
        return False, f"no 200 from /health within {READY_TIMEOUT}s (last: {last}); stderr:\n{self.stderr_text()[-3000:]}"

    def user_note(self) -> str:
        """Who the process runs as, for messages (subclasses that drop privileges say so)."""
        return f" (uid {os.geteuid()})"

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def terminate(self, timeout: float = 10.0) -> int:
        """SIGTERM and wait. Returns the exit code (kills and fails on hang)."""
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"sqslite did not exit within {timeout}s of SIGTERM", pytrace=False)

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stderr_text(self) -> str:
        if self.stderr_path and self.stderr_path.exists():
            return self.stderr_path.read_text(errors="replace")
        return ""

    # -- clients -----------------------------------------------------------
    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def endpoint_for(self, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}"

    def queue_url(self, name: str, account: str = DEFAULT_ACCOUNT, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}/{account}/{name}"

    def client(
        self,
        region: str = REGION,
        access_key: str = "test",
        host: str = "127.0.0.1",
        read_timeout: float = 40,
    ):
        return make_client(self.endpoint_for(host), region=region, access_key=access_key, read_timeout=read_timeout)


def make_client(endpoint: str, region: str = REGION, access_key: str = "test", read_timeout: float = 40):
    return boto3.client(
        "sqs",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=access_key,
        aws_secret_access_key="test",
        config=Config(
            retries={"total_max_attempts": 1, "mode": "standard"},
            connect_timeout=5,
            read_timeout=read_timeout,
        ),
    )


# --------------------------------------------------------------------------
# fixtures
# --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[SqsliteServer]:
    """The shared server for everything that does not need a restart."""
    base = tmp_path_factory.mktemp("session-server")
    srv = SqsliteServer(base / "data", base / "logs")
    srv.start()
    yield srv
    if srv.running():
        srv.terminate()


@pytest.fixture(scope="session")
def sqs(server):
    return server.client()


@pytest.fixture
def unique_name(request):
    """Factory for queue names unique to this test: <test-name>-<8 hex>."""

    base = re.sub(r"[^A-Za-z0-9_-]", "-", request.node.name)[:50].strip("-") or "q"

    def make(tag: str = "") -> str:
        suffix = uuid.uuid4().hex[:8]
        return f"{base}{'-' + tag if tag else ''}-{suffix}"[:80]

    return make


@pytest.fixture
def make_queue(sqs, unique_name):
    """Create a queue with a unique name; returns its URL."""

    def make(tag: str = "", attributes: dict[str, str] | None = None, tags: dict[str, str] | None = None, client=None):
        kwargs: dict[str, Any] = {"QueueName": unique_name(tag)}
        if attributes:
            kwargs["Attributes"] = attributes
        if tags:
            kwargs["tags"] = tags
        return (client or sqs).create_queue(**kwargs)["QueueUrl"]

    return make


@pytest.fixture
def queue_url(make_queue):
    return make_queue()


@pytest.fixture
def server_factory(tmp_path) -> Iterator[Any]:
    """Function-scoped servers (restart/durability/config tests). All are killed at teardown."""
    made: list[SqsliteServer] = []

    def make(data_dir: Path | None = None, config: Path | None = None, extra_args=(), start: bool = True):
        n = len(made)
        srv = SqsliteServer(
            data_dir or (tmp_path / f"data{n}"), tmp_path / f"logs{n}", config=config, extra_args=extra_args
        )
        made.append(srv)
        if start:
            srv.start()
        return srv

    yield make
    for srv in made:
        srv.kill()


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------


@contextlib.contextmanager
def expect_error(code: str, status: int = 400):
    """Assert a botocore ClientError with the x-amzn-query-error code and HTTP status.

    botocore puts the first half of ``x-amzn-query-error: <code>;Sender`` into
    Error.Code and the second half into Error.Type.
    """
    with pytest.raises(ClientError) as ei:
        yield ei
    resp = ei.value.response
    got_code = resp.get("Error", {}).get("Code")
    got_status = resp.get("ResponseMetadata", {}).get("HTTPStatusCode")
    assert (got_code, got_status) == (code, status), f"expected {code}/{status}, got {got_code}/{got_status}: {resp.get('Error')}"
    assert resp["Error"].get("Type") == "Sender", f"x-amzn-query-error should end in ';Sender': {resp['Error']}"
    assert resp["Error"].get("Message"), f"error without message: {resp['Error']}"


def _len_prefixed(b: bytes) -> bytes:
    return struct.pack(">I", len(b)) + b


def md5_of_attributes(attrs: dict[str, dict[str, Any]]) -> str:
    """MD5OfMessageAttributes / MD5OfMessageSystemAttributes as SQS computes it."""
    buf = bytearray()
    for name in sorted(attrs):
        value = attrs[name]
        buf += _len_prefixed(name.encode())
        buf += _len_prefixed(value["DataType"].encode())
        if "StringValue" in value:
            buf += b"\x01" + _len_prefixed(value["StringValue"].encode())
        else:
            raw = value["BinaryValue"]
            if isinstance(raw, str):
                raw = base64.b64decode(raw)
            buf += b"\x02" + _len_prefixed(bytes(raw))
    return hashlib.md5(bytes(buf)).hexdigest()


def md5_hex(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def queue_attrs(client, url: str, *names: str) -> dict[str, str]:
    return client.get_queue_attributes(QueueUrl=url, AttributeNames=list(names) or ["All"])["Attributes"]


def counts(client, url: str) -> tuple[int, int, int]:
    """(visible, not visible, delayed)."""
    a = queue_attrs(
        client,
        url,
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
    )
    return (
        int(a["ApproximateNumberOfMessages"]),
        int(a["ApproximateNumberOfMessagesNotVisible"]),
        int(a["ApproximateNumberOfMessagesDelayed"]),
    )


def receive_all(client, url: str, expected: int, timeout: float = 5.0, **kwargs) -> list[dict]:
    """Receive until `expected` messages arrived (short polls may return fewer)."""
    got: list[dict] = []
    deadline = time.monotonic() + timeout
    while len(got) < expected and time.monotonic() < deadline:
        resp = client.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1, **kwargs)
        got += resp.get("Messages", [])
    return got


def signed_request(
    endpoint: str,
    body: bytes,
    target: str | None,
    content_type: str = "application/x-amz-json-1.0",
    region: str = REGION,
    access_key: str = "test",
    extra_headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> requests.Response:
    """A raw POST signed with SigV4 (service sqs), like the SDKs send."""
    headers = {"Content-Type": content_type}
    if target is not None:
        headers["X-Amz-Target"] = target
    if extra_headers:
        headers.update(extra_headers)
    req = AWSRequest(method="POST", url=endpoint + "/", data=body, headers=headers)
    SigV4Auth(Credentials(access_key, "test"), "sqs", region).add_auth(req)
    prepared = req.prepare()
    return requests.post(prepared.url, data=body, headers=dict(prepared.headers), timeout=timeout)


def json_call(endpoint: str, action: str, payload: dict, **kw) -> requests.Response:
    return signed_request(endpoint, json.dumps(payload).encode(), f"AmazonSQS.{action}", **kw)


def aws_cli_path() -> str:
    """The `aws` executable of the interpreter running the tests."""
    candidate = Path(sys.executable).parent / "aws"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("aws")
    if not found:
        pytest.fail("AWS CLI (`aws`) not found next to the Python interpreter or on PATH; pip install awscli", pytrace=False)
    return found


# --------------------------------------------------------------------------
# the AWS CLI
# --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def cli_env(tmp_path_factory):
    """An environment for the AWS CLI with dummy credentials and a private config folder."""
    home = tmp_path_factory.mktemp("aws-cli-home")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_CONFIG_FILE=str(home / "config"),
        AWS_SHARED_CREDENTIALS_FILE=str(home / "credentials"),
        AWS_PAGER="",
    )
    return env


def run_aws_cli(endpoint: str, env: dict, service: str, *args: str, expect_ok: bool = True):
    """Runs `aws <service> <args> --endpoint-url <endpoint>`; returns its JSON output (or the process)."""
    cmd = [aws_cli_path(), service, *args, "--endpoint-url", endpoint, "--output", "json"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60, stdin=subprocess.DEVNULL)
    if expect_ok:
        assert proc.returncode == 0, f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}"
        return json.loads(proc.stdout) if proc.stdout.strip() else {}
    return proc


@pytest.fixture
def aws(server, cli_env):
    """`aws sqs …` against the shared server."""

    def run(*args: str, expect_ok: bool = True):
        return run_aws_cli(server.endpoint, cli_env, "sqs", *args, expect_ok=expect_ok)

    return run
