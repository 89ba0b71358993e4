"""The Query protocol driven by the AWS SDK for Go v1 (Debian's golang-github-aws-aws-sdk-go-dev).

The SDK predates SQS's JSON protocol, so every call is a form-encoded request answered in XML; it
checks the MD5 digests of bodies and attributes itself. The Go program (go-sdk-v1/main.go) runs
all 23 actions; this test builds it against the Debian package (GOPATH mode) and runs it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
GOPATH = Path("/usr/share/gocode")
SDK = GOPATH / "src" / "github.com" / "aws" / "aws-sdk-go" / "service" / "sqs"


@pytest.fixture(scope="module")
def go_client(tmp_path_factory) -> Path:
    go = shutil.which("go")
    if go is None:
        pytest.skip("`go` is not installed (apt-get install golang-go golang-github-aws-aws-sdk-go-dev)")
    if not SDK.is_dir():
        pytest.skip(f"the Go SDK v1 is not installed at {SDK} (apt-get install golang-github-aws-aws-sdk-go-dev)")
    out = tmp_path_factory.mktemp("go-sdk-v1")
    env = dict(os.environ, GOPATH=str(GOPATH), GO111MODULE="off", GOCACHE=str(out / "cache"), GOFLAGS="")
    binary = out / "go-sdk-v1"
    build = subprocess.run(
        [go, "build", "-o", str(binary), "."], cwd=HERE / "go-sdk-v1", env=env, capture_output=True, text=True, timeout=600
    )
    assert build.returncode == 0, f"go build failed:\n{build.stdout}\n{build.stderr}"
    return binary


def test_go_sdk_v1_runs_every_action(go_client, server):
    run = subprocess.run([str(go_client), server.endpoint], capture_output=True, text=True, timeout=120)
    print(run.stdout)
    assert run.returncode == 0, f"{run.stdout}\n{run.stderr}"
    steps = {line.split(" ", 1)[1] for line in run.stdout.splitlines() if line.startswith("ok ")}
    actions = {
        "CreateQueue", "GetQueueUrl", "ListQueues", "DeleteQueue", "GetQueueAttributes", "SetQueueAttributes", "PurgeQueue",
        "SendMessage", "SendMessageBatch", "ReceiveMessage", "DeleteMessage", "DeleteMessageBatch", "ChangeMessageVisibility",
        "ChangeMessageVisibilityBatch", "TagQueue", "UntagQueue", "ListQueueTags", "AddPermission", "RemovePermission",
        "ListDeadLetterSourceQueues", "StartMessageMoveTask", "ListMessageMoveTasks", "CancelMessageMoveTask",
    }
    assert actions <= steps, f"actions not run: {sorted(actions - steps)}"
    assert "all actions passed" in run.stdout
