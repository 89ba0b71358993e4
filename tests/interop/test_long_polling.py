"""Long polling: wake-up latency, empty-poll duration, queue default wait, delayed
messages waking a poll, concurrent pollers."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from conftest import counts


def _poll_in_thread(client, url, **kwargs):
    """Start a receive in a worker; returns (future, started_event)."""
    pool = ThreadPoolExecutor(max_workers=1)
    started = threading.Event()

    def run():
        started.set()
        resp = client.receive_message(QueueUrl=url, **kwargs)
        return resp, time.monotonic()

    fut = pool.submit(run)
    pool.shutdown(wait=False)
    started.wait(5)
    return fut


def test_long_poll_returns_promptly_after_send(server, sqs, queue_url):
    poller = server.client()  # separate connection from the sender
    fut = _poll_in_thread(poller, queue_url, WaitTimeSeconds=5)
    time.sleep(0.7)  # let the poll reach the server and park
    assert not fut.done(), "long poll returned before any message was sent"
    sent_at = time.monotonic()
    sqs.send_message(QueueUrl=queue_url, MessageBody="wake")
    resp, returned_at = fut.result(timeout=10)
    assert [m["Body"] for m in resp["Messages"]] == ["wake"]
    latency = returned_at - sent_at
    assert latency < 1.5, f"long poll took {latency:.2f}s after the send"


def test_empty_long_poll_waits_full_time(sqs, queue_url):
    t0 = time.monotonic()
    resp = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=2)
    elapsed = time.monotonic() - t0
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert "Messages" not in resp
    assert 1.8 <= elapsed <= 3.5, f"empty long poll took {elapsed:.2f}s"


def test_short_poll_returns_immediately(sqs, queue_url):
    t0 = time.monotonic()
    resp = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=0)
    assert "Messages" not in resp
    assert time.monotonic() - t0 < 1.0


def test_queue_receive_wait_time_is_default_wait(sqs, make_queue):
    url = make_queue(attributes={"ReceiveMessageWaitTimeSeconds": "2"})
    t0 = time.monotonic()
    resp = sqs.receive_message(QueueUrl=url)
    elapsed = time.monotonic() - t0
    assert "Messages" not in resp
    assert 1.8 <= elapsed <= 3.5, f"queue default wait: poll took {elapsed:.2f}s"
    # an explicit WaitTimeSeconds=0 overrides the queue default
    t0 = time.monotonic()
    sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0)
    assert time.monotonic() - t0 < 1.0


def test_long_poll_woken_by_delayed_message(sqs, queue_url):
    sqs.send_message(QueueUrl=queue_url, MessageBody="delayed", DelaySeconds=2)
    t0 = time.monotonic()
    resp = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=6)
    elapsed = time.monotonic() - t0
    assert [m["Body"] for m in resp["Messages"]] == ["delayed"]
    assert 1.5 <= elapsed <= 3.5, f"delayed message woke the poll after {elapsed:.2f}s"


def test_long_poll_woken_by_visibility_timeout_expiry(sqs, queue_url):
    sqs.send_message(QueueUrl=queue_url, MessageBody="comes-back")
    sqs.receive_message(QueueUrl=queue_url, VisibilityTimeout=2)
    t0 = time.monotonic()
    resp = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=6)
    elapsed = time.monotonic() - t0
    assert [m["Body"] for m in resp["Messages"]] == ["comes-back"]
    assert 1.5 <= elapsed <= 3.5, f"re-visible message woke the poll after {elapsed:.2f}s"


def test_concurrent_pollers_each_get_a_distinct_message(server, sqs, queue_url):
    pollers = [server.client() for _ in range(3)]
    futs = [_poll_in_thread(p, queue_url, WaitTimeSeconds=5) for p in pollers]
    time.sleep(0.7)
    for i in range(3):
        sqs.send_message(QueueUrl=queue_url, MessageBody=f"c{i}")
    results = [f.result(timeout=10)[0] for f in futs]
    bodies = [m["Body"] for r in results for m in r.get("Messages", [])]
    assert len(bodies) == len(set(bodies)), f"a message was delivered twice: {bodies}"
    # whatever the pollers did not get is still in the queue
    left = counts(sqs, queue_url)[0]
    assert len(bodies) + left == 3


def test_long_poll_on_deleted_queue_does_not_hang(server, sqs, make_queue):
    url = make_queue()
    poller = server.client()
    fut = _poll_in_thread(poller, url, WaitTimeSeconds=4)
    time.sleep(0.5)
    sqs.delete_queue(QueueUrl=url)
    # either an empty response or NonExistentQueue; it must come back by the wait time
    try:
        fut.result(timeout=8)
    except Exception as e:  # botocore ClientError
        assert getattr(e, "response", {}).get("Error", {}).get("Code") == "AWS.SimpleQueueService.NonExistentQueue"
