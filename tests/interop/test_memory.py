"""Memory is bounded by message metadata, not message size: bodies stay in SQLite."""
from __future__ import annotations

import time
from pathlib import Path

from conftest import receive_all

BODY_SIZE = 100 * 1024
MESSAGES = 1_200  # about 120 MB of bodies


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def test_large_backlog_does_not_live_in_memory(server_factory):
    srv = server_factory()
    c = srv.client()
    url = c.create_queue(QueueName="big-bodies")["QueueUrl"]
    before = rss_mib(srv.proc.pid)
    sent = 0
    while sent < MESSAGES:
        entries = [
            {"Id": str(i), "MessageBody": f"{sent + i:06d}" + "x" * (BODY_SIZE - 6)}
            for i in range(min(9, MESSAGES - sent))
        ]
        assert not c.send_message_batch(QueueUrl=url, Entries=entries).get("Failed")
        sent += len(entries)
    loaded = rss_mib(srv.proc.pid)
    # ~120 MB of bodies were acknowledged; the server holds only their metadata (and SQLite's cache).
    assert loaded - before < 60, f"RSS grew from {before:.0f} MiB to {loaded:.0f} MiB"

    srv.kill()
    started = time.monotonic()
    srv.start()
    restarted = rss_mib(srv.proc.pid)
    assert restarted < before + 40, f"RSS after restart {restarted:.0f} MiB (empty server: {before:.0f} MiB)"
    assert time.monotonic() - started < 20

    # The bodies are all there, read back from the store.
    c = srv.client()
    got = receive_all(c, url, 20, VisibilityTimeout=600)
    assert len(got) == 20
    assert all(len(m["Body"]) == BODY_SIZE for m in got)
