"""`--config FILE` (YAML): queues created at startup, idempotent restart, bad config errors."""

from __future__ import annotations

import json
import re
import subprocess
import textwrap

import pytest

from conftest import DEFAULT_ACCOUNT, free_port, queue_attrs, sqslite_bin

pytestmark = pytest.mark.restart

GOOD_CONFIG = textwrap.dedent(
    """\
    queues:
      - name: orders-dlq
      - name: orders
        attributes:
          VisibilityTimeout: 45
          RedrivePolicy: {deadLetterTargetArn: "arn:aws:sqs:us-east-1:000000000000:orders-dlq", maxReceiveCount: 5}
        tags: {team: shop}
    """
)


def _write(tmp_path, text: str, name: str = "sqslite.yaml"):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_config_creates_queues_at_startup(server_factory, tmp_path):
    srv = server_factory(config=_write(tmp_path, GOOD_CONFIG))
    c = srv.client()
    assert c.get_queue_url(QueueName="orders-dlq")["QueueUrl"] == srv.queue_url("orders-dlq")
    url = c.get_queue_url(QueueName="orders")["QueueUrl"]
    assert url == f"http://127.0.0.1:{srv.port}/{DEFAULT_ACCOUNT}/orders"
    attrs = queue_attrs(c, url, "All")
    assert attrs["VisibilityTimeout"] == "45"
    assert attrs["DelaySeconds"] == "0"
    assert attrs["QueueArn"] == "arn:aws:sqs:us-east-1:000000000000:orders"
    assert json.loads(attrs["RedrivePolicy"]) == {
        "deadLetterTargetArn": "arn:aws:sqs:us-east-1:000000000000:orders-dlq",
        "maxReceiveCount": 5,
    }
    assert c.list_queue_tags(QueueUrl=url)["Tags"] == {"team": "shop"}
    assert "Tags" not in c.list_queue_tags(QueueUrl=srv.queue_url("orders-dlq"))
    # config queues behave like any other queue
    c.send_message(QueueUrl=url, MessageBody="from-config")
    assert c.receive_message(QueueUrl=url)["Messages"][0]["Body"] == "from-config"


def test_config_restart_is_idempotent_and_keeps_messages(server_factory, tmp_path):
    cfg = _write(tmp_path, GOOD_CONFIG)
    srv = server_factory(config=cfg)
    c = srv.client()
    url = srv.queue_url("orders")
    c.send_message(QueueUrl=url, MessageBody="survives")
    created = queue_attrs(c, url, "CreatedTimestamp")["CreatedTimestamp"]
    assert srv.terminate() == 0
    srv.start()  # same config + same data dir: must start cleanly
    c = srv.client()
    url = srv.queue_url("orders")
    attrs = queue_attrs(c, url, "All")
    assert attrs["CreatedTimestamp"] == created, "restart must not recreate the queue"
    assert attrs["VisibilityTimeout"] == "45"
    assert attrs["ApproximateNumberOfMessages"] == "1"
    assert c.list_queue_tags(QueueUrl=url)["Tags"] == {"team": "shop"}
    assert "orders-dlq" in " ".join(c.list_queues(QueueNamePrefix="orders")["QueueUrls"])
    assert len(c.list_queues(QueueNamePrefix="orders")["QueueUrls"]) == 2
    # and a crash-restart too
    srv.kill()
    srv.start()
    assert queue_attrs(srv.client(), srv.queue_url("orders"), "ApproximateNumberOfMessages") == {
        "ApproximateNumberOfMessages": "1"
    }


def _run_expecting_failure(tmp_path, config_text: str) -> subprocess.CompletedProcess:
    cfg = _write(tmp_path, config_text, "bad.yaml")
    cmd = [
        str(sqslite_bin()),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(free_port()),
        "--data-dir",
        str(tmp_path / "bad-data"),
        "--log-level",
        "warning",
        "--config",
        str(cfg),
    ]
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail("sqslite kept running with an invalid config (expected a non-zero exit)")


def _mentions_line(stderr: str, line: int) -> bool:
    patterns = [
        rf"line[^0-9\n]{{0,3}}{line}\b",  # "line 5", "line: 5", "line=5"
        rf":{line}(:\d+)?\b",  # "bad.yaml:5:17"
        rf"\bL{line}\b",
    ]
    return any(re.search(p, stderr, re.IGNORECASE) for p in patterns)


def test_bad_attribute_value_exits_nonzero_naming_key_and_line(tmp_path):
    text = textwrap.dedent(
        """\
        queues:
          - name: fine
          - name: broken
            attributes:
              DelaySeconds: 0
              VisibilityTimeout: abc
        """
    )  # VisibilityTimeout is on line 6
    proc = _run_expecting_failure(tmp_path, text)
    assert proc.returncode != 0
    assert "VisibilityTimeout" in proc.stderr, proc.stderr
    assert _mentions_line(proc.stderr, 6), f"line 6 not named in stderr:\n{proc.stderr}"


def test_unknown_key_exits_nonzero_naming_key_and_line(tmp_path):
    text = textwrap.dedent(
        """\
        queues:
          - name: fine
            attributes:
              VisibilityTimeout: 10
          - name: typo
            atributes:
              DelaySeconds: 1
        """
    )  # "atributes" is on line 6
    proc = _run_expecting_failure(tmp_path, text)
    assert proc.returncode != 0
    assert "atributes" in proc.stderr, proc.stderr
    assert _mentions_line(proc.stderr, 6), f"line 6 not named in stderr:\n{proc.stderr}"


def test_unknown_queue_attribute_exits_nonzero(tmp_path):
    text = textwrap.dedent(
        """\
        queues:
          - name: q
            attributes:
              VisibilityTimeoutSeconds: 10
        """
    )
    proc = _run_expecting_failure(tmp_path, text)
    assert proc.returncode != 0
    assert "VisibilityTimeoutSeconds" in proc.stderr, proc.stderr
    assert _mentions_line(proc.stderr, 4), f"line 4 not named in stderr:\n{proc.stderr}"


def test_out_of_range_attribute_exits_nonzero(tmp_path):
    text = "queues:\n  - name: q\n    attributes:\n      DelaySeconds: 901\n"
    proc = _run_expecting_failure(tmp_path, text)
    assert proc.returncode != 0
    assert "DelaySeconds" in proc.stderr, proc.stderr


def test_unparseable_yaml_exits_nonzero(tmp_path):
    proc = _run_expecting_failure(tmp_path, "queues:\n  - name: [unclosed\n")
    assert proc.returncode != 0
    assert proc.stderr.strip()


def test_missing_config_file_exits_nonzero(tmp_path):
    cmd = [
        str(sqslite_bin()),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(free_port()),
        "--data-dir",
        str(tmp_path / "d"),
        "--config",
        str(tmp_path / "does-not-exist.yaml"),
    ]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail("sqslite kept running with a missing config file")
    assert proc.returncode != 0
    assert "does-not-exist.yaml" in proc.stderr, proc.stderr
