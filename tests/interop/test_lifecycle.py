"""Process lifecycle: crash durability (SIGKILL), graceful shutdown (SIGTERM) with a
waiting long poll, clean restart, --in-memory."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from conftest import counts, expect_error, md5_of_attributes, queue_attrs, receive_all

pytestmark = pytest.mark.restart


def test_sigkill_durability(server_factory):
    srv = server_factory()
    c = srv.client()
    url = c.create_queue(
        QueueName="durable",
        Attributes={"VisibilityTimeout": "77", "MessageRetentionPeriod": "86400"},
        tags={"team": "shop"},
    )["QueueUrl"]
    c.tag_queue(QueueUrl=url, Tags={"extra": "yes"})
    attrs = {
        "kind": {"DataType": "String", "StringValue": "order"},
        "n": {"DataType": "Number", "StringValue": "12.5"},
        "raw": {"DataType": "Binary", "BinaryValue": b"\x00\x01binary"},
    }
    ids = {}
    for body in ("requeued", "inflight"):
        ids[body] = c.send_message(QueueUrl=url, MessageBody=body, MessageAttributes=attrs)["MessageId"]
    c.send_message(QueueUrl=url, MessageBody="deleted")

    # receive everything once, then: delete one, release one, keep one in flight (long VT)
    got = {m["Body"]: m for m in receive_all(c, url, 3, VisibilityTimeout=600)}
    assert set(got) == {"requeued", "inflight", "deleted"}
    c.delete_message(QueueUrl=url, ReceiptHandle=got["deleted"]["ReceiptHandle"])
    c.change_message_visibility(QueueUrl=url, ReceiptHandle=got["requeued"]["ReceiptHandle"], VisibilityTimeout=0)
    # and one that was never received
    ids["fresh"] = c.send_message(QueueUrl=url, MessageBody="fresh", MessageAttributes=attrs)["MessageId"]
    assert counts(c, url) == (2, 1, 0)
    created_ts = queue_attrs(c, url, "CreatedTimestamp")["CreatedTimestamp"]

    srv.kill()  # SIGKILL right after the last acknowledged response
    srv.start()
    c = srv.client()

    assert c.get_queue_url(QueueName="durable")["QueueUrl"] == srv.queue_url("durable")
    url = srv.queue_url("durable")
    a = queue_attrs(c, url, "All")
    assert a["VisibilityTimeout"] == "77"
    assert a["MessageRetentionPeriod"] == "86400"
    assert a["CreatedTimestamp"] == created_ts
    assert c.list_queue_tags(QueueUrl=url)["Tags"] == {"team": "shop", "extra": "yes"}
    assert counts(c, url) == (2, 1, 0)

    msgs = {
        m["Body"]: m
        for m in receive_all(c, url, 2, MessageAttributeNames=["All"], MessageSystemAttributeNames=["All"])
    }
    assert set(msgs) == {"requeued", "fresh"}, "in-flight message must stay invisible after restart"
    for body, m in msgs.items():
        assert m["MessageId"] == ids[body]
        assert m["MessageAttributes"] == attrs
        assert m["MD5OfMessageAttributes"] == md5_of_attributes(attrs)
    assert msgs["requeued"]["Attributes"]["ApproximateReceiveCount"] == "2"
    assert msgs["fresh"]["Attributes"]["ApproximateReceiveCount"] == "1"
    # not receivable now; it's still in flight (VT 600 s from before the crash)
    assert "Messages" not in c.receive_message(QueueUrl=url, MaxNumberOfMessages=10)
    assert counts(c, url) == (0, 3, 0)
    # the old receipt handle of the in-flight message still works after restart
    c.change_message_visibility(QueueUrl=url, ReceiptHandle=got["inflight"]["ReceiptHandle"], VisibilityTimeout=0)
    back = c.receive_message(QueueUrl=url, MessageSystemAttributeNames=["ApproximateReceiveCount"])["Messages"][0]
    assert back["Body"] == "inflight"
    assert back["Attributes"]["ApproximateReceiveCount"] == "2"
    srv.terminate()


def test_sigkill_durability_of_queue_deletion_and_purge(server_factory):
    srv = server_factory()
    c = srv.client()
    gone = c.create_queue(QueueName="gone")["QueueUrl"]
    purged = c.create_queue(QueueName="purged")["QueueUrl"]
    for i in range(3):
        c.send_message(QueueUrl=purged, MessageBody=str(i))
    c.delete_queue(QueueUrl=gone)
    c.purge_queue(QueueUrl=purged)
    srv.kill()
    srv.start()
    c = srv.client()
    with expect_error("AWS.SimpleQueueService.NonExistentQueue", 400):
        c.get_queue_url(QueueName="gone")
    assert counts(c, srv.queue_url("purged")) == (0, 0, 0)


def test_delayed_message_survives_restart(server_factory):
    srv = server_factory()
    c = srv.client()
    url = c.create_queue(QueueName="delays")["QueueUrl"]
    c.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=2)
    srv.kill()
    srv.start()
    c = srv.client()
    url = srv.queue_url("delays")
    vis, _, delayed = counts(c, url)
    if vis == 0:
        assert delayed == 1
    resp = c.receive_message(QueueUrl=url, WaitTimeSeconds=5)
    assert [m["Body"] for m in resp["Messages"]] == ["later"]


def test_sigterm_during_long_poll(server_factory):
    srv = server_factory()
    c = srv.client()
    url = c.create_queue(QueueName="waiting")["QueueUrl"]
    poller = srv.client()
    pool = ThreadPoolExecutor(max_workers=1)
    started = threading.Event()

    def poll():
        started.set()
        return poller.receive_message(QueueUrl=url, WaitTimeSeconds=20)

    fut = pool.submit(poll)
    started.wait(5)
    time.sleep(0.7)  # make sure the poll is parked in the server
    assert not fut.done()
    t0 = time.monotonic()
    code = srv.terminate(timeout=10)
    elapsed = time.monotonic() - t0
    resp = fut.result(timeout=5)  # must not raise: an empty response, not an error
    pool.shutdown()
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert "Messages" not in resp
    assert code == 0, f"exit code {code} after SIGTERM; stderr:\n{srv.stderr_text()[-2000:]}"
    assert elapsed < 5, f"shutdown took {elapsed:.1f}s"


def test_sigterm_idle_exits_zero_and_restart_keeps_data(server_factory):
    srv = server_factory()
    c = srv.client()
    url = c.create_queue(QueueName="kept", Attributes={"DelaySeconds": "3"})["QueueUrl"]
    c.send_message(QueueUrl=url, MessageBody="kept", DelaySeconds=0)
    t0 = time.monotonic()
    assert srv.terminate(timeout=10) == 0
    assert time.monotonic() - t0 < 5
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{srv.endpoint}/health", timeout=2)
    srv.start()
    c = srv.client()
    url = srv.queue_url("kept")
    assert queue_attrs(c, url, "DelaySeconds") == {"DelaySeconds": "3"}
    assert [m["Body"] for m in c.receive_message(QueueUrl=url)["Messages"]] == ["kept"]
    assert srv.terminate() == 0


def test_in_memory_mode_serves_and_forgets(server_factory, tmp_path):
    data = tmp_path / "mem-data"
    srv = server_factory(data_dir=data, extra_args=("--in-memory",))
    c = srv.client()
    url = c.create_queue(QueueName="ephemeral")["QueueUrl"]
    c.send_message(QueueUrl=url, MessageBody="x")
    assert c.receive_message(QueueUrl=url)["Messages"][0]["Body"] == "x"
    assert srv.terminate() == 0
    srv.start()
    with expect_error("AWS.SimpleQueueService.NonExistentQueue", 400):
        srv.client().get_queue_url(QueueName="ephemeral")


def test_sync_full_keeps_acknowledged_changes_and_bad_values_are_refused(server_factory, tmp_path):
    """`--sync full` fsyncs every commit: what was acknowledged survives kill -9 as with `normal`."""
    srv = server_factory(extra_args=("--sync", "full"))
    c = srv.client()
    url = c.create_queue(QueueName="synced")["QueueUrl"]
    sent = {c.send_message(QueueUrl=url, MessageBody=f"m{i}")["MessageId"] for i in range(5)}
    srv.kill()
    srv.start()
    c = srv.client()
    got = {m["MessageId"] for m in receive_all(c, url, 5)}
    assert got == sent

    bad = subprocess.run(
        [os.environ["SQSLITE_BIN"], "serve", "--sync", "sometimes", "--port", "0", "--data-dir", str(tmp_path / "bad")],
        capture_output=True, text=True, timeout=30,
    )
    assert bad.returncode != 0
    assert "--sync must be normal or full" in bad.stderr
