"""The benchmark's smoke form (`scripts/bench.py --smoke`): every row of the table produces a number
and no request fails. Figures and targets are not checked here (they are printed only)."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import REPO, sqslite_bin


def test_bench_smoke_produces_every_row():
    cmd = [sys.executable, str(REPO / "scripts" / "bench.py"), "--smoke", "--quiet", "--binary", str(sqslite_bin())]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL)
    print(proc.stdout)
    assert proc.returncode == 0, f"bench.py --smoke exited {proc.returncode}\n{proc.stdout}\n{proc.stderr[-3000:]}"
    assert "smoke: every row produced a number and no request failed" in proc.stdout
    for row in ("GET /health", "SendMessage", "SendMessageBatch(10)", "Receive(10)+DeleteBatch",
                "GetQueueAttributes(All)", "idle long polls", "wake:", "in-process function", "warm Python function", "SNS Publish -> 10 SQS", "startup:",
                "SendMessage, fresh server, --auth", "SendMessage, alternated with GET /health"):
        assert row in proc.stdout, f"no {row!r} row:\n{proc.stdout}"
    # The in-process row runs sqslite-bench-host, built beside the binary: a number, not "n/a".
    inprocess = next(line for line in proc.stdout.splitlines() if "in-process function" in line and "send -> handler" in line)
    assert "n/a" not in inprocess, inprocess


def test_bench_ratio_only_measures_both_rows_alternated():
    """`--ratio-only`: the SendMessage / GET /health rows alone, alternated, and only their target."""
    cmd = [sys.executable, str(REPO / "scripts" / "bench.py"), "--ratio-only", "--quiet", "--duration", "0.5",
           "--ratio-rounds", "2", "--load-generator", "python", "--binary", str(sqslite_bin())]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL)
    print(proc.stdout)
    assert proc.returncode in (0, 1), f"bench.py --ratio-only exited {proc.returncode}\n{proc.stderr[-3000:]}"
    lines = proc.stdout.splitlines()
    health = next(line for line in lines if line.startswith("GET /health, alternated with SendMessage"))
    send = next(line for line in lines if line.startswith("SendMessage, alternated with GET /health"))
    for line in (health, send):
        assert "the median of 2 alternated pairs (ratios " in line, line
        assert re.search(r"; machine idle \d+\.\d%, load generator \d+\.\d us/req", line), line
    # What the CPU work alone would allow: server plus load generator time per request, both rows.
    assert "machine time per request " in send and "with no idle time, " in send, send
    assert "with no idle time" not in health, health
    targets = [line for line in lines if line.startswith(("  ok", "  MISS"))]
    assert len(targets) == 1 and "SendMessage req/s / GET /health req/s" in targets[0], targets
