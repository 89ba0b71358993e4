"""Function processes do not outlive the server.

A process function's runtime leads its own process group, and everything it starts stays in that
group. When sqslite stops (SIGTERM) it stops the group; when it is killed outright (SIGKILL) it gets
no chance to, and the group must still go: each group holds a watcher that kills it once the pipe
whose only write end sqslite holds is closed, which the kernel does when sqslite dies.

The runtime here is deliberately stubborn: it starts a helper (`sleep 300`) and, when the Runtime API
goes away, keeps retrying instead of exiting, as a hand-written `bootstrap` loop might.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

RUNTIME = r'''
import json, os, subprocess, time, urllib.request
api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime"
helper = subprocess.Popen(["sleep", "300"])
while True:
    try:
        with urllib.request.urlopen(api + "/invocation/next") as r:
            rid = r.headers["Lambda-Runtime-Aws-Request-Id"]
            r.read()
        body = {"pid": os.getpid(), "pgid": os.getpgid(0), "helper": helper.pid}
        req = urllib.request.Request(api + "/invocation/" + rid + "/response", data=json.dumps(body).encode(), method="POST")
        urllib.request.urlopen(req).read()
    except Exception:
        time.sleep(0.2)  # the server is gone: keep trying, never exit on our own
'''


def running(pid: int) -> bool:
    """Whether `pid` is a live process (a zombie waiting to be reaped has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def group_members(pgid: int) -> list[int]:
    """The live processes of process group `pgid`."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if fields[0] != "Z" and int(fields[2]) == pgid:
            members.append(int(entry.name))
    return members


def wait_until(what: str, condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out after {timeout}s waiting until {what}")


@pytest.fixture
def function_server(server_factory, tmp_path):
    folder = tmp_path / "fn"
    folder.mkdir()
    (folder / "runtime.py").write_text(RUNTIME)
    config = tmp_path / "sqslite.yaml"
    config.write_text(
        "functions:\n"
        "  - name: Stubborn\n"
        f"    command: [{json.dumps(sys.executable)}, runtime.py]\n"
        f"    workingDirectory: {json.dumps(str(folder))}\n"
        "    timeout: 10\n"
    )
    return server_factory(config=config)


def start_function(server) -> dict:
    client = boto3.client(
        "lambda", endpoint_url=server.endpoint, region_name="us-east-1", aws_access_key_id="test",
        aws_secret_access_key="test", config=Config(retries={"total_max_attempts": 1}, read_timeout=60),
    )
    response = client.invoke(FunctionName="Stubborn", Payload=b"{}")
    assert "FunctionError" not in response, response["Payload"].read()
    started = json.loads(response["Payload"].read())
    assert started["pgid"] == started["pid"], "the runtime leads its own process group"
    assert running(started["pid"]) and running(started["helper"])
    assert started["pid"] in group_members(started["pgid"]) and started["helper"] in group_members(started["pgid"])
    return started


@pytest.mark.parametrize("stop", ["kill", "terminate"])
def test_the_function_process_group_ends_with_the_server(function_server, stop):
    started = start_function(function_server)
    try:
        if stop == "kill":
            function_server.kill()  # SIGKILL: sqslite cannot stop anything itself
        else:
            assert function_server.terminate() == 0
        wait_until("the runtime, its helper and its watcher are gone", lambda: not group_members(started["pgid"]))
        assert not running(started["pid"]) and not running(started["helper"])
    finally:
        if group_members(started["pgid"]):
            os.killpg(started["pgid"], signal.SIGKILL)  # leave nothing behind when the test fails
