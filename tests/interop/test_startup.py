"""The first minute of a newcomer: `--version`, the banner, one plain sentence per startup
failure (and nothing created on disk before it; a data folder another server has open), both
loopback addresses, `GET /` in a browser,
and a config file whose dead-letter queue comes after the queue that names it."""

from __future__ import annotations

import json
import socket
import subprocess
from pathlib import Path

import boto3
import pytest
import requests

from conftest import free_port, make_client, sqslite_bin
from unprivileged import Sandbox, privilege_prefix

TIMEOUT = 30


def run_sqslite(*args: str, prefix: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*(prefix or []), str(sqslite_bin()), *args], capture_output=True, text=True, timeout=TIMEOUT)


def one_sentence(result: subprocess.CompletedProcess[str]) -> str:
    """The error a failed start printed: exactly one line on stderr, no stack or Cocoa dump."""
    assert result.returncode != 0, result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip() and " info " not in line and " notice " not in line]
    assert len(lines) == 1, result.stderr
    assert "NSCocoaErrorDomain" not in lines[0] and "errno" not in lines[0], lines[0]
    return lines[0]


def test_version_is_printed():
    result = run_sqslite("--version")
    assert result.returncode == 0
    assert result.stdout.strip().count(".") == 2, result.stdout


def test_banner_names_endpoint_admin_metrics_health_and_data(server_factory):
    srv = server_factory()
    out = srv.stdout_path.read_text()
    base = f"http://127.0.0.1:{srv.port}"
    for what in (f"listening on {base}", f"SQS endpoint: {base}", f"admin page:   {base}/admin",
                 f"metrics:      {base}/metrics", f"health:       {base}/health", f"data:         {srv.data_dir}"):
        assert what in out, out


def test_port_in_use_is_one_sentence_and_nothing_is_created(tmp_path):
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    port = holder.getsockname()[1]
    try:
        data = tmp_path / "never"
        line = one_sentence(run_sqslite("--host", "127.0.0.1", "--port", str(port), "--data-dir", str(data)))
        assert f"port {port} is in use" in line and "--port 0" in line, line
        assert not data.exists()
    finally:
        holder.close()


def test_an_uncreatable_data_folder_is_one_sentence(tmp_path):
    """As an unprivileged user (the server is dropped to uid 65534 when the suite runs as root)."""
    box = Sandbox()
    try:
        locked_parent = box.root / "locked"
        locked_parent.mkdir(mode=0o555)
        locked = locked_parent / "data"
        result = subprocess.run([*privilege_prefix(), *box.env_prefix(), str(box.bin), "--port", "0", "--data-dir", str(locked)],
                                capture_output=True, text=True, timeout=TIMEOUT)
        line = one_sentence(result)
        assert f"cannot create the data folder {locked}: permission denied" in line, line
        assert "--in-memory" in line
        assert not locked.exists()
    finally:
        box.cleanup()


def test_a_second_server_on_the_same_data_folder_is_one_sentence_and_the_first_keeps_its_data(server_factory):
    """Two engines over one database would each believe their own state (and reuse each other's
    sequence numbers): the database is the running server's alone, so the second refuses to start."""
    first = server_factory()
    sqs = first.client()
    url = sqs.create_queue(QueueName="owned")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="kept")
    line = one_sentence(run_sqslite("--host", "127.0.0.1", "--port", "0", "--data-dir", str(first.data_dir)))
    assert f"the database {first.data_dir / 'sqslite.db'} is in use by another process" in line, line
    assert f"--data-dir {first.data_dir}" in line, line
    assert [m["Body"] for m in sqs.receive_message(QueueUrl=url).get("Messages", [])] == ["kept"]


def test_a_function_whose_command_or_folder_is_missing_is_named_with_its_line(tmp_path):
    config = tmp_path / "sqslite.yaml"
    config.write_text(
        "queues:\n"
        "  - name: orders\n"
        "functions:\n"
        "  - name: Good\n"
        "    command: [python3, -c, 'pass']\n"
        "  - name: NoSuchCommand\n"
        "    command: [definitely-not-a-command-xyz, app.py]\n"
    )
    data = tmp_path / "data"
    line = one_sentence(run_sqslite("--port", "0", "--data-dir", str(data), "--config", str(config)))
    assert f"{config}:6" in line and "functions[NoSuchCommand].command" in line and "not on PATH" in line, line
    assert not data.exists()

    config.write_text(
        "functions:\n"
        "  - name: NoFolder\n"
        "    command: [python3, app.py]\n"
        "    workingDirectory: ./missing-folder\n"
    )
    line = one_sentence(run_sqslite("--port", "0", "--data-dir", str(data), "--config", str(config)))
    assert f"{config}:2" in line and "functions[NoFolder].workingDirectory" in line and "does not exist" in line, line


def test_a_dead_letter_queue_may_come_after_its_source_in_the_config(server_factory, tmp_path):
    config = tmp_path / "sqslite.yaml"
    config.write_text(
        "queues:\n"
        "  - name: orders\n"
        "    attributes:\n"
        "      RedrivePolicy: '{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:orders-dlq\",\"maxReceiveCount\":\"3\"}'\n"
        "  - name: orders-dlq\n"
    )
    srv = server_factory(config=config)
    sqs = srv.client()
    url = sqs.get_queue_url(QueueName="orders")["QueueUrl"]
    policy = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["RedrivePolicy"])["Attributes"]["RedrivePolicy"]
    assert "orders-dlq" in policy


def ipv6_loopback_available() -> bool:
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False


@pytest.mark.skipif(not ipv6_loopback_available(), reason="this machine has no IPv6 loopback")
def test_localhost_listens_on_both_loopback_addresses(server_factory):
    srv = server_factory(extra_args=("--host", "localhost"), start=False)
    srv.start()
    for base in (f"http://127.0.0.1:{srv.port}", f"http://[::1]:{srv.port}"):
        assert requests.get(f"{base}/health", timeout=5).json()["status"] == "ok"
        sqs = make_client(base)
        assert "QueueUrls" not in sqs.list_queues() or isinstance(sqs.list_queues()["QueueUrls"], list)


def test_a_browser_opening_the_root_is_sent_to_the_admin_page(server):
    base = server.endpoint
    browser = requests.get(f"{base}/", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
                           allow_redirects=False, timeout=5)
    assert browser.status_code == 302 and browser.headers["Location"] == "/admin"
    # Anything but a browser's plain GET keeps its old answer.
    assert requests.get(f"{base}/", allow_redirects=False, timeout=5).status_code == 404
    assert make_client(base).list_queues()["ResponseMetadata"]["HTTPStatusCode"] == 200


def _function_config(tmp_path: Path) -> Path:
    function = tmp_path / "fn"
    function.mkdir()
    (function / "app.py").write_text("def handler(event, context):\n    print('handling', event['n'])\n    return {'ok': True}\n")
    config = tmp_path / "sqslite.yaml"
    config.write_text(
        "functions:\n"
        "  - name: Echoer\n"
        "    command: [python3, -m, awslambdaric, app.handler]\n"
        f"    workingDirectory: {function}\n"
        "    handler: app.handler\n"
    )
    return config


@pytest.mark.parametrize("mode", ["console", "none"])
def test_function_output_is_echoed_on_the_console_with_its_name(server_factory, tmp_path, mode):
    srv = server_factory(config=_function_config(tmp_path), extra_args=("--log-level", "info", "--function-output", mode))
    lam = boto3.client("lambda", endpoint_url=srv.endpoint, region_name="us-east-1",
                       aws_access_key_id="test", aws_secret_access_key="test")
    answer = lam.invoke(FunctionName="Echoer", Payload=json.dumps({"n": 7}))
    assert json.loads(answer["Payload"].read()) == {"ok": True}
    logged = srv.stdout_path.read_text() + srv.stderr_text()
    if mode == "console":
        assert "[Echoer] handling 7" in logged, logged[-3000:]
        assert "[Echoer] START RequestId:" in logged and "[Echoer] REPORT RequestId:" in logged
    else:
        assert "[Echoer]" not in logged
