#!/usr/bin/env python3
"""sqslite benchmark: one command, one table, every figure of issue 10 measured in one run.

    python3 scripts/bench.py                      # builds release, runs everything, checks targets
    python3 scripts/bench.py --binary PATH        # skip the build, use this sqslite binary
    python3 scripts/bench.py --smoke --binary PATH   # tiny sizes (< 60 s); checks the harness, not targets
    python3 scripts/bench.py --endpoint http://127.0.0.1:9325   # SQS rows also against another server

What it measures (sqslite on a fresh temporary data dir, SQLite durable store):

  * GET /health (the HTTP ceiling), SendMessage, SendMessageBatch(10) and ReceiveMessage(10) +
    DeleteMessageBatch at 1, 16 and 64 keep-alive connections: requests/s, messages/s, p50/p99
    latency and server CPU microseconds per HTTP request (utime+stime from /proc/<pid>/stat).
    A Receive+Delete row counts two requests per round trip; its latency is that of the pair.
  * the same SQS rows with a backlog already in the queue (1,000 and 1,000,000 messages, preloaded
    with SendMessageBatch), plus GetQueueAttributes(All) latency and the admin page's message list
    (its first 100, as the page polls it; sqslite only) at each size. Every row starts
    with its queue at its backlog (0, 1,000 or 1,000,000): what the rows before added is deleted
    first, untimed; a receive row starts at backlog + enough for its duration.
  * N idle long polls (WaitTimeSeconds=20 on an empty queue, default 1,000): server CPU while they
    wait, and send-to-receive wake latency (a long poll waits, a send happens, until it returns).
  * send-to-handler latency: a config-file Python function behind an event-source mapping appends
    a CLOCK_MONOTONIC timestamp for every record. The function runs with awslambdaric when this
    interpreter has it, otherwise with a minimal stdlib Runtime API loop (the row says which). The
    in-process row runs sqslite-bench-host (built beside the binary): sqslite embedded as a library
    with a Swift closure (InProcessFunction) mapped to the queue, writing the same lines.
  * SNS fan-out: Publish to a topic with 10 SQS subscriptions (raw delivery) from 4 connections:
    publishes per second, and p50/p99 latency from Publish to each copy being received (long polls
    on the 10 queues; the body carries the wall-clock publish time).
  * startup time (spawn to /health 200) and idle RSS (VmRSS) of the empty server; then, on a data
    dir of its own holding exactly the big backlog: RSS once loaded, database bytes per message
    (data dir size after a clean shutdown), restart time to /health 200, RSS after it, and RSS
    11 s after PurgeQueue empties the queue.
  * what --auth costs: SendMessage at 16 connections on two fresh servers, one without and one
    with --auth (every request SigV4-verified and authorized by an IAM policy; signed once per
    row with the stdlib's hmac, a valid signature for 15 minutes). `--auth-only` runs just these
    two rows.

The load generator is Python stdlib only: raw keep-alive sockets (no real SigV4 except in the
--auth row: sqslite accepts any credentials by default), spread over several processes (multiprocessing) so the GIL does not cap it. When
`wrk` is installed (Debian package wrk) it sends the throughput rows instead (marked "wrk"; whole
seconds; batch messages/s counts 10 per 200 answer). For Receive(10)+DeleteBatch, a Lua script
answers each receive's handles with a DeleteMessageBatch on the same connection and counts the
deleted messages (req/s counts receives and deletes; p50/p99 are per request, not per pair);
preloading and draining stay in Python. A Python receive row burned as much CPU parsing JSON as
the server did, which capped it on two cores. The client
shares the machine with the server, so on few cores it is part of what is measured: compare runs
on the same machine, and use a release binary (figures from a debug build are meaningless).
Server CPU comes from /proc/<pid>/stat in clock ticks (10 ms), so it is coarse for short rows;
CPU and RSS need Linux (/proc). Each SQS row starts once the machine is quiet (at most 5% busy over
200 ms, waiting up to 10 s): work left running by the untimed deletes that bring a queue back to
its backlog (a WAL checkpoint) belongs to no row.

Targets (TARGETS below) are printed with each ratio; the exit status is 1 when one is missed.
--smoke does not enforce them; it exits 1 when a row produced no number or a request failed.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import math
import multiprocessing as mp
import os
import resource
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from array import array
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MIB = 1024 * 1024

# ----------------------------------------------------------------------------------------------
# The targets of issue 10, in one place. kind ">=" / "<=" / "<": measured value against limit.
# ----------------------------------------------------------------------------------------------
TARGETS = [
    # key,               what,                                                   kind,  limit,   unit
    ("send_vs_health",   "SendMessage req/s / GET /health req/s at 16 connections (median of alternated pairs)", ">=", 0.6, "x"),
    ("batch_msgs",       "SendMessageBatch(10) messages/s (best connection count)", ">=", 120_000, "msg/s"),
    ("recv_msgs",        "ReceiveMessage(10)+DeleteMessageBatch messages/s (best)", ">=", 40_000, "msg/s"),
    ("backlog_ratio",    "every SQS msg/s at {big} backlog / at {small} (worst row)", ">=", 0.8, "x"),
    ("rss_full",         "RSS with {big} messages (max of loaded, restarted)", "<=", 200, "MiB"),
    ("restart_ready",    "restart with {big} messages to /health 200", "<", 1500, "ms"),
    ("gqa_latency",      "GetQueueAttributes p50 at any size (worst)", "<", 1.0, "ms"),
    ("idle_rss",         "idle RSS after startup", "<=", 20, "MiB"),
    ("idle_polls_cpu",   "server CPU with the idle long polls waiting", "<", 2.0, "% core"),
    ("wake_p99",         "send-to-receive wake latency p99", "<", 5.0, "ms"),
    ("handler_inproc",   "send-to-handler p50, in-process function", "<", 2.0, "ms"),
    ("handler_python",   "send-to-handler p50, warm Python function", "<", 15.0, "ms"),
    ("auth_send",        "SendMessage req/s with --auth / without, 16 connections", ">=", 0.85, "x"),
]

AUTH = ("AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/sqs/aws4_request, "
        "SignedHeaders=host, Signature=x")
BODY_256 = "x" * 256
CONNECTIONS = (1, 16, 64)
OPS = ("send", "batch", "recv")
OP_LABEL = {"health": "GET /health", "send": "SendMessage", "batch": "SendMessageBatch(10)",
            "recv": "Receive(10)+DeleteBatch", "gqa": "GetQueueAttributes", "peek": "admin message list (100)"}


# ----------------------------------------------------------------------------------------------
# A minimal HTTP/1.1 keep-alive client on a raw socket
# ----------------------------------------------------------------------------------------------
class Conn:
    def __init__(self, host: str, port: int, timeout: float = 60.0):
        self.host, self.port, self.timeout = host, port, timeout
        self.sock: socket.socket | None = None
        self.buf = b""

    def connect(self) -> None:
        self.sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def send(self, raw: bytes) -> None:
        if self.sock is None:
            self.connect()
        self.sock.sendall(raw)

    def _fill(self) -> None:
        chunk = self.sock.recv(262144)
        if not chunk:
            raise ConnectionError("server closed the connection")
        self.buf += chunk

    def read(self) -> tuple[int, bytes]:
        while (end := self.buf.find(b"\r\n\r\n")) < 0:
            self._fill()
        head = self.buf[:end].decode("latin-1").split("\r\n")
        self.buf = self.buf[end + 4:]
        status = int(head[0].split(" ", 2)[1])
        headers = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            n = int(headers["content-length"])
            while len(self.buf) < n:
                self._fill()
            body, self.buf = self.buf[:n], self.buf[n:]
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while True:
                while (nl := self.buf.find(b"\r\n")) < 0:
                    self._fill()
                size = int(self.buf[:nl].split(b";")[0], 16)
                self.buf = self.buf[nl + 2:]
                while len(self.buf) < size + 2:
                    self._fill()
                parts.append(self.buf[:size])
                self.buf = self.buf[size + 2:]
                if size == 0:
                    break
            body = b"".join(parts)
        else:  # body until close
            try:
                while True:
                    self._fill()
            except ConnectionError:
                pass
            body, self.buf = self.buf, b""
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, body

    def request(self, raw: bytes) -> tuple[int, bytes]:
        self.send(raw)
        return self.read()


# The principal of the --auth row: allowed everything, so the row measures verification and policy
# evaluation, not refusals.
AUTH_KEY = ("AKIABENCH00000000001", "bench-secret")
AUTH_CONFIG = (
    "auth:\n  principals:\n    - name: bench\n      type: user\n"
    f"      accessKeyId: {AUTH_KEY[0]}\n      secretAccessKey: {AUTH_KEY[1]}\n"
    '      policies: [{Version: "2012-10-17", Statement: [{Effect: Allow, Action: "sqs:*", Resource: "*"}]}]\n'
)


def sigv4(host: str, headers: dict, body: bytes, key: tuple[str, str], region: str = "us-east-1") -> dict:
    """X-Amz-Date and Authorization for a POST / to SQS signed now (stdlib SigV4, every header signed)."""
    amz = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    signed = {name.lower(): value.strip() for name, value in headers.items()}
    signed.update({"host": host, "x-amz-date": amz})
    names = sorted(signed)
    canonical = "\n".join(["POST", "/", "", "".join(f"{n}:{signed[n]}\n" for n in names), ";".join(names),
                           hashlib.sha256(body).hexdigest()])
    scope = f"{amz[:8]}/{region}/sqs/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    secret = ("AWS4" + key[1]).encode()
    for part in (amz[:8], region, "sqs", "aws4_request"):
        secret = hmac.new(secret, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(secret, to_sign.encode(), hashlib.sha256).hexdigest()
    return {"X-Amz-Date": amz, "Authorization": f"AWS4-HMAC-SHA256 Credential={key[0]}/{scope}, "
                                                 f"SignedHeaders={';'.join(names)}, Signature={signature}"}


def sqs_headers(host: str, action: str, body: bytes, auth: tuple[str, str] | None) -> dict:
    headers = {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": f"AmazonSQS.{action}"}
    if auth:
        return {**headers, **sigv4(host, headers, body, auth)}
    return {**headers, "X-Amz-Date": "20240101T000000Z", "Authorization": AUTH}


def sqs_raw(host: str, action: str, payload: dict, auth: tuple[str, str] | None = None) -> bytes:
    body = json.dumps(payload, separators=(",", ":")).encode()
    fields = "".join(f"{name}: {value}\r\n" for name, value in sqs_headers(host, action, body, auth).items())
    return f"POST / HTTP/1.1\r\nHost: {host}\r\n{fields}Content-Length: {len(body)}\r\n\r\n".encode() + body


def health_raw(host: str) -> bytes:
    return f"GET /health HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()


def admin_messages_raw(host: str, url: str) -> bytes:
    """The admin page's message list of the queue at `url`: its first page of 100, as the page polls it."""
    account, name = urllib.parse.urlsplit(url).path.strip("/").split("/")[-2:]
    return f"GET /admin/api/queues/us-east-1/{account}/{name}/messages?limit=100 HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()


class Target:
    """Where requests go: host, port and the Host header."""

    def __init__(self, url: str):
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme != "http" or not parsed.hostname:
            raise SystemExit(f"--endpoint must be an http:// URL, got {url!r}")
        self.host = parsed.hostname
        self.port = parsed.port or 80
        self.hostport = f"{self.host}:{self.port}"
        self.url = url
        self.auth: tuple[str, str] | None = None  # signs requests for real (a server with --auth)

    def call(self, action: str, payload: dict, conn: Conn | None = None) -> dict:
        own = conn is None
        conn = conn or Conn(self.host, self.port)
        try:
            status, body = conn.request(sqs_raw(self.hostport, action, payload, self.auth))
        finally:
            if own:
                conn.close()
        if status != 200:
            raise RuntimeError(f"{action}: HTTP {status} {body[:300]!r}")
        return json.loads(body) if body else {}


# ----------------------------------------------------------------------------------------------
# The load generator: processes x threads, one keep-alive connection per thread
# ----------------------------------------------------------------------------------------------
def _conn_loop(spec: dict, start_evt, out: list) -> None:
    res = {"requests": 0, "messages": 0, "errors": 0, "error": "", "lat": array("d"),
           "t0": 0.0, "t1": 0.0, "drained": False}
    host, port, hostport = spec["host"], spec["port"], spec["hostport"]
    op, url, auth = spec["op"], spec.get("url"), spec.get("auth")
    conn = Conn(host, port)
    try:
        conn.connect()
    except OSError as e:
        res["errors"] += 1
        res["error"] = f"connect: {e}"
        out.append(res)
        return
    if op == "health":
        raw = health_raw(hostport)
    elif op == "send":
        raw = sqs_raw(hostport, "SendMessage", {"QueueUrl": url, "MessageBody": BODY_256}, auth)
    elif op == "batch":
        raw = sqs_raw(hostport, "SendMessageBatch", {"QueueUrl": url, "Entries": [
            {"Id": str(i), "MessageBody": BODY_256} for i in range(10)]}, auth)
    elif op == "recv":
        raw = sqs_raw(hostport, "ReceiveMessage", {"QueueUrl": url, "MaxNumberOfMessages": 10,
                                                   "WaitTimeSeconds": 0}, auth)
    elif op == "gqa":
        raw = sqs_raw(hostport, "GetQueueAttributes", {"QueueUrl": url, "AttributeNames": ["All"]}, auth)
    elif op == "peek":
        raw = admin_messages_raw(hostport, url)
    else:
        raise ValueError(op)
    count = spec.get("count")  # requests per connection (count mode) or None (duration mode)
    lat = res["lat"]
    perf = time.perf_counter
    start_evt.wait()
    t0 = perf()
    deadline = t0 + spec["duration"] if count is None else math.inf
    done = 0
    while (done < count) if count is not None else (perf() < deadline):
        done += 1
        a = perf()
        try:
            status, body = conn.request(raw)
            if status != 200:
                raise RuntimeError(f"{op}: HTTP {status} {body[:200]!r}")
            if op == "send":
                res["messages"] += 1
            elif op == "batch":
                answer = json.loads(body)
                if answer.get("Failed"):
                    res["errors"] += len(answer["Failed"])
                    res["error"] = res["error"] or f"batch entry failed: {answer['Failed'][0]}"
                res["messages"] += len(answer.get("Successful", ()))
            elif op == "recv":
                messages = json.loads(body).get("Messages") or []
                if not messages:
                    res["requests"] += 1
                    res["drained"] = True
                    break
                entries = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)]
                status, body = conn.request(sqs_raw(hostport, "DeleteMessageBatch",
                                                    {"QueueUrl": url, "Entries": entries}, auth))
                if status != 200:
                    raise RuntimeError(f"DeleteMessageBatch: HTTP {status} {body[:200]!r}")
                answer = json.loads(body)
                if answer.get("Failed"):
                    res["errors"] += len(answer["Failed"])
                    res["error"] = res["error"] or f"delete entry failed: {answer['Failed'][0]}"
                res["messages"] += len(answer.get("Successful", ()))
                res["requests"] += 1
            b = perf()
            res["requests"] += 1
            lat.append(b - a)
        except Exception as e:  # counted, reported, and the connection is replaced
            res["errors"] += 1
            res["error"] = res["error"] or f"{type(e).__name__}: {e}"
            conn.close()
            if res["errors"] > 100:
                break
    res["t0"], res["t1"] = t0, perf()
    conn.close()
    out.append(res)


def _proc_main(spec: dict, nconns: int, start_evt, ready_q, result_q) -> None:
    out: list = []
    threads = [threading.Thread(target=_conn_loop, args=(spec, start_evt, out)) for _ in range(nconns)]
    for t in threads:
        t.start()
    ready_q.put(1)
    for t in threads:
        t.join()
    merged = {"requests": 0, "messages": 0, "errors": 0, "error": "", "lat": array("d"),
              "t0": min(r["t0"] or math.inf for r in out), "t1": max(r["t1"] for r in out),
              "drained": any(r["drained"] for r in out)}
    for r in out:
        for k in ("requests", "messages", "errors"):
            merged[k] += r[k]
        merged["error"] = merged["error"] or r["error"]
        merged["lat"].extend(r["lat"])
    result_q.put(merged)


def cpu_seconds(pid: int | None) -> float | None:
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy() -> tuple[int, int] | None:
    """Busy and total jiffies of every CPU so far (/proc/stat), or None off Linux."""
    try:
        fields = [int(f) for f in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields[:8]) - idle, sum(fields[:8])


class MachineShare:
    """What else the machine did during one measured row: its idle share (/proc/stat) and the CPU
    of the load generator (the children waited for since it started), per request. With both, a
    row says how far the machine, not the server, limited it."""

    def __init__(self):
        self.busy = machine_busy()
        self.children = self.children_cpu()

    @staticmethod
    def children_cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    def finish(self, requests: float) -> dict:
        """{"idle_pct", "gen_us"} since the start, None where unknown."""
        busy = machine_busy()
        idle = None
        if self.busy is not None and busy is not None and busy[1] > self.busy[1]:
            idle = 100 * (1 - (busy[0] - self.busy[0]) / (busy[1] - self.busy[1]))
        gen = (self.children_cpu() - self.children) * 1e6 / requests if requests else None
        return {"idle_pct": idle, "gen_us": gen}


def wait_until_quiet(limit: float, busy_share: float = 0.05, window: float = 0.2) -> float:
    """Waits (at most `limit` seconds) until the whole machine is at most `busy_share` busy over a
    window: what an untimed step left running (a server checkpointing the WAL that a million
    deletes wrote) must not be measured as part of the next row, whichever server it belongs to.
    Returns the seconds waited."""
    start = time.perf_counter()
    before = machine_busy()
    if before is None:
        return 0.0
    while time.perf_counter() - start < limit:
        time.sleep(window)
        after = machine_busy()
        busy, total = after[0] - before[0], after[1] - before[1]
        before = after
        if total > 0 and busy / total <= busy_share:
            break
    return time.perf_counter() - start


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def pct(sorted_values, q: float) -> float | None:
    if not sorted_values:
        return None
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def run_load(target: Target, op: str, conns: int, *, url: str | None = None, duration: float = 1.0,
             count: int | None = None, procs: int, pid: int | None = None) -> dict:
    """Runs one row; returns requests/s, messages/s, p50/p99 ms, CPU us/request, errors."""
    spec = {"host": target.host, "port": target.port, "hostport": target.hostport, "op": op,
            "url": url, "duration": duration, "count": count, "auth": target.auth}
    nprocs = max(1, min(conns, procs))
    share = [conns // nprocs + (1 if i < conns % nprocs else 0) for i in range(nprocs)]
    ctx = mp.get_context("fork")
    start_evt, ready_q, result_q = ctx.Event(), ctx.Queue(), ctx.Queue()
    children = [ctx.Process(target=_proc_main, args=(spec, n, start_evt, ready_q, result_q), daemon=True)
                for n in share]
    for c in children:
        c.start()
    for _ in children:
        ready_q.get(timeout=60)
    time.sleep(0.05)  # every connection is open and waiting on the event
    cpu0 = cpu_seconds(pid)
    machine = MachineShare()
    start_evt.set()
    results = [result_q.get(timeout=max(120.0, duration * 10) if count is None else 3600) for _ in children]
    cpu1 = cpu_seconds(pid)
    for c in children:
        c.join(timeout=10)
    lat = sorted(x for r in results for x in r["lat"])
    requests = sum(r["requests"] for r in results)
    wall = max(r["t1"] for r in results) - min(r["t0"] for r in results)
    wall = max(wall, 1e-9)
    row = {
        "req_s": requests / wall if requests else None,
        "msg_s": (sum(r["messages"] for r in results) / wall) if op not in ("health", "gqa", "peek") and requests else None,
        "p50": pct(lat, 0.50) * 1000 if lat else None,
        "p99": pct(lat, 0.99) * 1000 if lat else None,
        "cpu_us": ((cpu1 - cpu0) * 1e6 / requests) if cpu0 is not None and cpu1 is not None and requests else None,
        "errors": sum(r["errors"] for r in results),
        "error": next((r["error"] for r in results if r["error"]), ""),
        "drained": any(r["drained"] for r in results),
        "requests": requests,
        "messages": sum(r["messages"] for r in results),
        "wall": wall,
    }
    row.update(machine.finish(requests))
    return row


WRK_DONE = """
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCHRESULT %d %d %d %d %.1f %.1f\\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout, e.status, latency:percentile(50), latency:percentile(99)))
end
"""


def lua_string(text: str) -> str:
    level = 0
    while f"]{'=' * level}]" in text:
        level += 1
    return f"[{'=' * level}[{text}]{'=' * level}]"


# Receive(10)+DeleteBatch with wrk: each thread keeps the receipt handles its receives returned and
# sends them back as a DeleteMessageBatch on the same connection's next request (wrk calls
# response() then request() per connection); done() adds up the deleted messages of every thread.
WRK_RECV = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
pending, deleted, empty, failed = {}, 0, 0, 0
function request()
  local handles = table.remove(pending)
  if handles == nil then
    return wrk.format("POST", "/", RECV_HEADERS, RECV_BODY)
  end
  local entries = {}
  for i, h in ipairs(handles) do entries[i] = '{"Id":"' .. i .. '","ReceiptHandle":"' .. h .. '"}' end
  return wrk.format("POST", "/", DELETE_HEADERS, DELETE_PREFIX .. table.concat(entries, ",") .. ']}')
end
function response(status, headers, body)
  if status ~= 200 then return end
  if string.find(body, '"Successful"', 1, true) then
    local ok = string.match(body, '"Successful":%[(.-)%]')
    if ok then for _ in string.gmatch(ok, '"Id"') do deleted = deleted + 1 end end
    if string.find(body, '"Failed":[{', 1, true) then failed = failed + 1 end
    return
  end
  local handles = {}
  for h in string.gmatch(body, '"ReceiptHandle":"(.-)"') do table.insert(handles, h) end
  if #handles == 0 then empty = empty + 1 else table.insert(pending, handles) end
end
function done(summary, latency, requests)
  local e = summary.errors
  local d, m, f = 0, 0, 0
  for _, t in ipairs(threads) do d = d + t:get("deleted"); m = m + t:get("empty"); f = f + t:get("failed") end
  io.write(string.format("BENCHRESULT %d %d %d %d %.1f %.1f\\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout, e.status + f, latency:percentile(50), latency:percentile(99)))
  io.write(string.format("BENCHRECV %d %d\\n", d, m))
end
"""


def wrk_headers_table(headers: dict) -> str:
    return "{" + ", ".join(f'["{name}"] = {lua_string(value)}' for name, value in headers.items()) + "}"


def run_wrk(target: Target, op: str, conns: int, *, url: str | None, duration: float, pid: int | None,
            work: Path) -> dict:
    """The same row with wrk (health, send and batch are static requests; recv pairs each
    ReceiveMessage(10) with a DeleteMessageBatch of its handles). Duration in whole seconds."""
    script = work / f"wrk-{op}.lua"
    if op == "health":
        lua, path = "", "/health"
    elif op == "recv":
        receive = json.dumps({"QueueUrl": url, "MaxNumberOfMessages": 10, "WaitTimeSeconds": 0}, separators=(",", ":"))
        prefix = json.dumps({"QueueUrl": url}, separators=(",", ":"))[:-1] + ',"Entries":['
        lua = (f"RECV_BODY = {lua_string(receive)}\n"
               f"RECV_HEADERS = {wrk_headers_table(sqs_headers(target.hostport, 'ReceiveMessage', receive.encode(), None))}\n"
               f"DELETE_PREFIX = {lua_string(prefix)}\n"
               f"DELETE_HEADERS = {wrk_headers_table(sqs_headers(target.hostport, 'DeleteMessageBatch', b'', None))}\n")
        path = "/"
    else:
        action, payload = (("SendMessage", {"QueueUrl": url, "MessageBody": BODY_256}) if op == "send" else
                           ("SendMessageBatch", {"QueueUrl": url, "Entries": [
                               {"Id": str(i), "MessageBody": BODY_256} for i in range(10)]}))
        body = json.dumps(payload, separators=(",", ":"))
        lua = f'wrk.method = "POST"\nwrk.body = {lua_string(body)}\n' + "".join(
            f'wrk.headers["{name}"] = {lua_string(value)}\n'
            for name, value in sqs_headers(target.hostport, action, body.encode(), target.auth).items())
        path = "/"
    script.write_text(lua + (WRK_RECV if op == "recv" else WRK_DONE))
    seconds = max(1, round(duration))
    threads = max(1, min(conns, os.cpu_count() or 1))
    cmd = ["wrk", "-t", str(threads), "-c", str(conns), "-d", f"{seconds}s", "--timeout", "10s",
           "-s", str(script), f"http://{target.hostport}{path}"]
    cpu0 = cpu_seconds(pid)
    machine = MachineShare()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    cpu1 = cpu_seconds(pid)
    line = next((x for x in proc.stdout.splitlines() if x.startswith("BENCHRESULT")), None)
    if proc.returncode != 0 or line is None:
        return {"req_s": None, "msg_s": None, "p50": None, "p99": None, "cpu_us": None, "errors": 1,
                "error": f"wrk failed ({proc.returncode}): {proc.stderr[-300:] or proc.stdout[-300:]}",
                "drained": False, "requests": 0, "messages": 0, "wall": 0, "gen": "wrk"}
    requests, micros, socket_errors, status_errors, p50, p99 = (float(x) for x in line.split()[1:])
    ok = requests - status_errors
    wall = micros / 1e6
    per = {"health": 0, "send": 1, "batch": 10, "recv": 0}[op]
    messages, drained = ok * per, False
    if op == "recv":
        recv_line = next((x for x in proc.stdout.splitlines() if x.startswith("BENCHRECV")), "BENCHRECV 0 0")
        deleted, empty = (int(x) for x in recv_line.split()[1:])
        messages, drained = deleted, empty > 0
    return {
        "req_s": requests / wall if requests else None,
        "msg_s": messages / wall if messages else None,
        "p50": p50 / 1000, "p99": p99 / 1000,
        "cpu_us": ((cpu1 - cpu0) * 1e6 / requests) if cpu0 is not None and requests else None,
        "errors": int(socket_errors + status_errors),
        "error": f"wrk: {int(socket_errors)} socket errors, {int(status_errors)} non-2xx" if socket_errors or status_errors else "",
        "drained": drained, "requests": int(requests), "messages": int(messages), "wall": wall, "gen": "wrk",
        **machine.finish(requests),
    }


# ----------------------------------------------------------------------------------------------
# Servers
# ----------------------------------------------------------------------------------------------
def median_pair(pairs: list, base, measured):
    """The pair whose ratio measured/base (req/s) is the median; with more than one pair, its
    measured row's "rounds" lists every pair's ratio."""
    def ratio(pair) -> float:
        b, m = base(pair)["req_s"], measured(pair)["req_s"]
        return (m or 0) / b if b else 0
    ratios = [ratio(pair) for pair in pairs]
    chosen = pairs[sorted(range(len(pairs)), key=lambda index: ratios[index])[len(pairs) // 2]]
    if len(pairs) > 1:
        measured(chosen)["rounds"] = ", ".join(f"{r:.3f}" for r in ratios)
    return chosen


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary: Path, data_dir: Path, log_dir: Path, config: Path | None = None,
                 env: dict | None = None, extra: tuple[str, ...] = ()):
        self.binary, self.data_dir, self.log_dir, self.config, self.env = binary, data_dir, log_dir, config, env
        self.extra = extra
        self.proc: subprocess.Popen | None = None
        self.port = 0
        self.runs = 0

    def start(self) -> float:
        """Spawns the server; returns seconds from spawn to the first /health 200."""
        self.port = free_port()
        self.runs += 1
        cmd = [str(self.binary), "serve", "--host", "127.0.0.1", "--port", str(self.port),
               "--data-dir", str(self.data_dir), "--log-level", "error", "--deleted-queue-cooldown", "0"]
        if self.config:
            cmd += ["--config", str(self.config)]
        cmd += list(self.extra)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        with open(self.log_dir / f"server-{self.runs}.log", "wb") as log:
            t0 = time.perf_counter()
            self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         env=self.env, start_new_session=True)
        deadline = t0 + 60
        raw = health_raw(f"127.0.0.1:{self.port}")
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"sqslite exited with {self.proc.returncode}; log: {self.log_text()[-2000:]}")
            try:
                conn = Conn("127.0.0.1", self.port, timeout=2)
                status, _ = conn.request(raw)
                conn.close()
                if status == 200:
                    return time.perf_counter() - t0
            except OSError:
                pass
            time.sleep(0.002)
        raise RuntimeError("sqslite not ready within 60 s")

    def log_text(self) -> str:
        path = self.log_dir / f"server-{self.runs}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    @property
    def pid(self) -> int:
        return self.proc.pid

    @property
    def target(self) -> Target:
        return Target(f"http://127.0.0.1:{self.port}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# ----------------------------------------------------------------------------------------------
# The scenarios
# ----------------------------------------------------------------------------------------------
class Bench:
    def __init__(self, args):
        self.args = args
        self.rows: list[dict] = []
        self.values: dict[str, float | None] = {}
        self.failures: list[str] = []
        self.run_id = f"{os.getpid()}-{int(time.time())}"

    def log(self, text: str) -> None:
        if not self.args.quiet:
            print(f"  .. {text}", file=sys.stderr, flush=True)

    def add(self, name: str, *, conns="", backlog="", m: dict | None = None, other: dict | None = None,
            note: str = "", needs=("req_s", "p50", "p99")) -> None:
        m = m or {}
        row = {"name": name, "conns": conns, "backlog": backlog, "m": m, "other": other, "note": note}
        self.rows.append(row)
        for key in needs:
            if m.get(key) is None:
                self.failures.append(f"{name} [{conns} conns, backlog {backlog}]: no {key}")
        for label, data in (("sqslite", m), ("endpoint", other)):
            if data and data.get("errors"):
                self.failures.append(f"{name} [{conns} conns, backlog {backlog}] on {label}: "
                                     f"{data['errors']} failed requests ({data.get('error')})")

    # -- SQS helpers -------------------------------------------------------------------------
    def create_queue(self, target: Target, tag: str) -> str:
        return target.call("CreateQueue", {"QueueName": f"bench-{tag}-{self.run_id}"})["QueueUrl"]

    def serves_admin(self, target: Target) -> bool:
        conn = Conn(target.host, target.port)
        try:
            status, _ = conn.request(f"GET /admin/api/queues HTTP/1.1\r\nHost: {target.hostport}\r\n\r\n".encode())
        finally:
            conn.close()
        return status == 200

    def visible(self, target: Target, url: str) -> int:
        attrs = target.call("GetQueueAttributes", {"QueueUrl": url, "AttributeNames": [
            "ApproximateNumberOfMessages"]})["Attributes"]
        return int(attrs["ApproximateNumberOfMessages"])

    def fill(self, target: Target, url: str, messages: int, pid: int | None) -> None:
        """Adds `messages` messages (rounded up to tens) with SendMessageBatch over 16 connections."""
        batches = math.ceil(messages / 10)
        if batches <= 0:
            return
        conns = min(16, batches)
        for n, per in ((conns, batches // conns), (1, batches % conns)):
            if per:
                m = run_load(target, "batch", n, url=url, count=per, procs=self.args.procs, pid=pid)
                if m["errors"]:
                    raise RuntimeError(f"preload failed: {m['error']}")

    # -- rows --------------------------------------------------------------------------------
    def row(self, target: Target, op: str, conns: int, url: str | None, pid: int | None) -> dict:
        """One throughput row, with wrk when it is in use, else in Python."""
        if self.use_wrk and op in ("health", "send", "batch", "recv"):
            return run_wrk(target, op, conns, url=url, duration=self.args.duration, pid=pid, work=self.work)
        return run_load(target, op, conns, url=url, duration=self.args.duration, procs=self.args.procs, pid=pid)

    def settle(self, target: Target, url: str, depth: int, pid: int | None, label: str) -> None:
        """Brings the queue back to `depth` visible messages (untimed): deletes the excess, tops up;
        then waits for the machine to be quiet (see wait_until_quiet)."""
        for _ in range(5):
            have = self.visible(target, url)
            if have < depth:
                self.log(f"{label}: topping up {depth - have:,} messages")
                self.fill(target, url, depth - have, pid)
            elif have - depth >= 10:
                calls = (have - depth) // 10  # receive(10)+delete rounds; stops short of `depth`
                conns = min(16, calls)
                self.log(f"{label}: deleting {calls * 10:,} messages to get back to {depth:,}")
                for n, per in ((conns, calls // conns), (1, calls % conns)):
                    if per:
                        run_load(target, "recv", n, url=url, count=per, procs=self.args.procs, pid=pid)
            else:
                break
        waited = wait_until_quiet(2.0 if self.args.smoke else 10.0)
        if waited >= 1.0:
            self.log(f"{label}: waited {waited:.1f} s for the machine to be quiet")

    def sqs_rows(self, target: Target, pid: int | None, label: str) -> dict:
        """Send, batch and receive rows at every backlog; GetQueueAttributes latency. Keyed results.

        Every row starts with the queue at its backlog (what the row before added is deleted first,
        untimed), so a row at 1,000 is not run on the millions the rows before it sent. A receive
        row starts at backlog + enough for its duration and consumes only that part.
        """
        a = self.args
        out: dict = {}
        best_recv = 0.0
        admin = self.serves_admin(target)  # an --endpoint that is not sqslite has no admin page
        for backlog_name, backlog in self.backlogs():
            url = self.create_queue(target, f"{label}-{backlog}")
            if backlog:
                self.log(f"{label}: preloading {backlog:,} messages")
                t = time.perf_counter()
                self.fill(target, url, backlog, pid)
                self.log(f"{label}: preloaded in {time.perf_counter() - t:.1f} s")
            out[("gqa", 1, backlog_name)] = run_load(target, "gqa", 1, url=url, count=a.gqa_requests,
                                                     procs=a.procs, pid=pid)
            if admin:
                out[("peek", 1, backlog_name)] = run_load(target, "peek", 1, url=url, count=a.gqa_requests // 5,
                                                          procs=a.procs, pid=pid)
            for op in ("send", "batch"):
                for conns in CONNECTIONS:
                    self.settle(target, url, backlog, pid, label)
                    self.log(f"{label}: {OP_LABEL[op]} x{conns}, backlog {backlog_name}")
                    out[(op, conns, backlog_name)] = self.row(target, op, conns, url, pid)
            best_batch = max((out[("batch", c, backlog_name)]["msg_s"] or 0) for c in CONNECTIONS)
            for conns in CONNECTIONS:
                # Enough above the backlog for this row: twice the best receive rate so far (or the
                # best batch rate before the first), for the duration.
                rate = 2 * best_recv if best_recv else best_batch
                need = int(rate * a.duration * 1.2) + 100 * conns
                self.settle(target, url, backlog + need, pid, label)
                self.log(f"{label}: {OP_LABEL['recv']} x{conns}, backlog {backlog_name}")
                m = self.row(target, "recv", conns, url, pid)
                out[("recv", conns, backlog_name)] = m
                best_recv = max(best_recv, m["msg_s"] or 0)
            self.settle(target, url, backlog, pid, label)
            out[("messages", backlog_name)] = url
        return out

    def auth_rows(self, binary: Path, work: Path, servers: list) -> tuple[dict, dict]:
        """SendMessage at 16 connections on two fresh servers, one without --auth and one with it.

        Both run side by side and their rows alternate (`--auth-rounds` pairs): two servers started
        one after the other differed by up to 25% in the same build, so one pair could miss or meet
        the target by chance. The pair with the median ratio is the one reported.
        """
        config = work / "auth.yaml"
        config.write_text(AUTH_CONFIG)
        targets = []
        for label, extra in (("no-auth", ()), ("auth", ("--auth",))):
            server = Server(binary, work / f"{label}-data", work / "logs", config=config if extra else None, extra=extra)
            servers.append(server)
            server.start()
            target = server.target
            if extra:
                target.auth = AUTH_KEY
            targets.append((label, server, target, self.create_queue(target, label)))
        pairs = []
        for round_number in range(self.args.auth_rounds):
            pair = []
            for label, server, target, url in targets:
                self.log(f"{label}: {OP_LABEL['send']} x16 (round {round_number + 1} of {self.args.auth_rounds})")
                pair.append(self.row(target, "send", 16, url, server.pid))
            pairs.append(pair)
        for _, server, _, _ in targets:
            server.stop()
            shutil.rmtree(server.data_dir, ignore_errors=True)
        plain, auth = median_pair(pairs, lambda pair: pair[0], lambda pair: pair[1])
        return plain, auth

    def add_auth_rows(self, plain: dict, auth: dict) -> None:
        for label, m in (("SendMessage, fresh server", plain), ("SendMessage, fresh server, --auth", auth)):
            note = m.get("gen", "")
            if m.get("rounds"):
                note += f"; the median of {self.args.auth_rounds} alternated pairs (ratios {m['rounds']})"
            self.add(label, conns=16, backlog="0", m=m, note=note, needs=("req_s", "msg_s", "p50", "p99"))
        self.values["auth_send"] = auth["req_s"] / plain["req_s"] if auth["req_s"] and plain["req_s"] else None

    def run_auth_only(self, binary: Path) -> int:
        """Just what --auth costs: the two SendMessage rows and their target."""
        work = Path(tempfile.mkdtemp(prefix="sqslite-bench-"))
        self.work = work
        self.use_wrk = self.wrk_for_rows(smoke=False)
        servers: list = []
        try:
            self.add_auth_rows(*self.auth_rows(binary, work, servers))
        finally:
            for server in servers:
                server.stop()
            shutil.rmtree(work, ignore_errors=True)
        self.print_table(False)
        return self.print_targets()

    def ratio_rows(self, target: Target, pid: int | None) -> tuple[dict, dict]:
        """GET /health and SendMessage at 16 connections on one server, alternated, for the target
        that divides one by the other.

        `--ratio-rounds` pairs, the order swapped each round, each row started on an empty queue
        and a quiet machine. Measured once each, minutes apart, the two rates moved by up to 10%
        between runs, so the ratio of one run ranged over 0.52-0.61 with the same build. The pair
        with the median ratio is the one reported.
        """
        url = self.create_queue(target, "ratio")
        rounds = self.args.ratio_rounds
        pairs = []
        for round_number in range(rounds):
            pair = {}
            for op in ("health", "send") if round_number % 2 == 0 else ("send", "health"):
                self.settle(target, url, 0, pid, "ratio")
                self.log(f"ratio: {OP_LABEL[op]} x16 (round {round_number + 1} of {rounds})")
                pair[op] = self.row(target, op, 16, url if op == "send" else None, pid)
            pairs.append(pair)
        self.settle(target, url, 0, pid, "ratio")
        chosen = median_pair(pairs, lambda pair: pair["health"], lambda pair: pair["send"])
        return chosen["health"], chosen["send"]

    def add_ratio_rows(self, health: dict, send: dict) -> None:
        rounds = send.get("rounds")
        for label, m in (("GET /health, alternated with SendMessage", health),
                         ("SendMessage, alternated with GET /health", send)):
            note = m.get("gen", "")
            if rounds:
                note += f"; the median of {self.args.ratio_rounds} alternated pairs (ratios {rounds})"
            note += self.machine_note(m)
            if m is send:
                note += self.no_idle_note(health, send)
            self.add(label, conns=16, backlog="0", m=m, note=note, needs=("req_s", "p50", "p99"))
        h, s = health["req_s"], send["req_s"]
        self.values["send_vs_health"] = s / h if h and s else None

    @staticmethod
    def machine_note(m: dict) -> str:
        """The row's machine idle share and load generator CPU, when measured."""
        idle, gen = m.get("idle_pct"), m.get("gen_us")
        if idle is None or gen is None:
            return ""
        return f"; machine idle {idle:.1f}%, load generator {gen:.1f} us/req"

    @staticmethod
    def no_idle_note(health: dict, send: dict) -> str:
        """The ratio the two rows' machine time per request (server plus load generator) would give
        with no idle time: what the CPU work alone allows, the rest being time the cores waited."""
        try:
            per_health = health["cpu_us"] + health["gen_us"]
            per_send = send["cpu_us"] + send["gen_us"]
        except (KeyError, TypeError):
            return ""
        if not per_send:
            return ""
        return (f"; machine time per request {per_health:.1f} us (/health) and {per_send:.1f} us (SendMessage): "
                f"with no idle time, {per_health / per_send:.3f}")

    def run_ratio_only(self, binary: Path) -> int:
        """Just the SendMessage / GET /health rounds and their target."""
        work = Path(tempfile.mkdtemp(prefix="sqslite-bench-"))
        self.work = work
        self.use_wrk = self.wrk_for_rows(smoke=False)
        server = Server(binary, work / "data", work / "logs")
        try:
            server.start()
            self.add_ratio_rows(*self.ratio_rows(server.target, server.pid))
        finally:
            server.stop()
            shutil.rmtree(work, ignore_errors=True)
        self.print_table(False)
        return self.print_targets()

    def wrk_for_rows(self, smoke: bool) -> bool:
        """Whether the throughput rows run on wrk: when asked, or by default when it is installed
        (not in --smoke, whose sizes are too small for it)."""
        g = self.args.load_generator
        return g == "wrk" or (g == "auto" and not smoke and shutil.which("wrk") is not None)

    def backlogs(self) -> list[tuple[str, int]]:
        small, big = self.args.backlogs
        return [("0", 0), (f"{small:,}", small), (f"{big:,}", big)]

    def long_polls(self, target: Target, pid: int | None) -> dict:
        """N idle long polls: server CPU while they wait; then wake latency with them still held."""
        a = self.args
        res: dict = {}
        idle_url = self.create_queue(target, "idle")
        wake_url = self.create_queue(target, "wake")
        raw = sqs_raw(target.hostport, "ReceiveMessage", {"QueueUrl": idle_url, "MaxNumberOfMessages": 10,
                                                          "WaitTimeSeconds": 20})
        socks = []
        try:
            for _ in range(a.long_polls):
                s = socket.create_connection((target.host, target.port), timeout=10)
                s.sendall(raw)
                socks.append(s)
            time.sleep(a.settle)
            cpu0, t0 = cpu_seconds(pid), time.perf_counter()
            time.sleep(a.idle_window)
            cpu1, t1 = cpu_seconds(pid), time.perf_counter()
            answered = len(select.select(socks, [], [], 0)[0])
            res["idle_cpu"] = (cpu1 - cpu0) / (t1 - t0) * 100 if cpu0 is not None else None
            res["idle_answered"] = answered
            res["wake"] = self.wake(target, wake_url)
        finally:
            for s in socks:
                s.close()
        return res

    def wake(self, target: Target, url: str) -> dict:
        waiter, sender = Conn(target.host, target.port), Conn(target.host, target.port)
        receive = sqs_raw(target.hostport, "ReceiveMessage", {"QueueUrl": url, "MaxNumberOfMessages": 1,
                                                              "WaitTimeSeconds": 20})
        send = sqs_raw(target.hostport, "SendMessage", {"QueueUrl": url, "MessageBody": "wake"})
        lat, errors, error = [], 0, ""
        for _ in range(self.args.wake_samples):
            box: dict = {}

            def wait() -> None:
                try:
                    box["status"], box["body"] = waiter.read()
                except Exception as e:
                    box["exc"] = e
                box["t1"] = time.perf_counter()

            try:
                waiter.send(receive)
                thread = threading.Thread(target=wait)
                thread.start()
                time.sleep(0.02)  # the poll is parked on the server
                t0 = time.perf_counter()
                status, body = sender.request(send)
                thread.join(timeout=30)
                if status != 200 or "exc" in box or box.get("status") != 200:
                    raise RuntimeError(f"send {status} / receive {box.get('status')} {box.get('exc', '')}")
                messages = json.loads(box["body"]).get("Messages") or []
                if len(messages) != 1:
                    raise RuntimeError("the long poll returned without the message")
                lat.append(box["t1"] - t0)
                target.call("DeleteMessage", {"QueueUrl": url, "ReceiptHandle": messages[0]["ReceiptHandle"]},
                            conn=sender)
            except Exception as e:
                errors += 1
                error = error or f"{type(e).__name__}: {e}"
                waiter.close()
                sender.close()
        waiter.close()
        sender.close()
        lat.sort()
        return {"req_s": None, "p50": pct(lat, 0.5) * 1000 if lat else None,
                "p99": pct(lat, 0.99) * 1000 if lat else None, "errors": errors, "error": error}

    def handler_python(self, binary: Path, work: Path) -> tuple[dict, str]:
        """A warm config-file Python function behind an event-source mapping: send -> handler sees it."""
        fdir = work / "function"
        fdir.mkdir()
        seen = fdir / "seen.txt"
        (fdir / "app.py").write_text(
            "import os, time\n"
            "OUT = os.environ['BENCH_OUT']\n"
            "def handler(event, context):\n"
            "    now = time.clock_gettime_ns(time.CLOCK_MONOTONIC)\n"
            "    with open(OUT, 'a') as f:\n"
            "        for r in event['Records']:\n"
            "            f.write(f\"{r['body']} {now}\\n\")\n"
            "    return {'batchItemFailures': []}\n")
        try:
            import awslambdaric  # noqa: F401
            command = [sys.executable, "-m", "awslambdaric", "app.handler"]
            runtime = "awslambdaric"
        except ImportError:
            (fdir / "runtime.py").write_text(STDLIB_RUNTIME)
            command = [sys.executable, "runtime.py"]
            runtime = "stdlib Runtime API loop (no awslambdaric)"
        config = work / "lambda.yaml"
        config.write_text(
            "queues:\n  - name: BenchHandler\n"
            "functions:\n  - name: BenchPy\n"
            f"    command: {json.dumps(command)}\n"
            f"    workingDirectory: {json.dumps(str(fdir))}\n"
            "    handler: app.handler\n    timeout: 30\n"
            f"    environment: {{BENCH_OUT: {json.dumps(str(seen))}}}\n"
            "eventSourceMappings:\n  - queue: BenchHandler\n    function: BenchPy\n    batchSize: 10\n"
            "    maximumBatchingWindowInSeconds: 0\n    maximumConcurrency: 2\n    enabled: true\n")
        server = Server(binary, work / "lambda-data", work / "logs", config=config)
        return self.handler_latency(server, seen), runtime

    def handler_inprocess(self, host: Path | None, work: Path) -> tuple[dict, str]:
        """sqslite-bench-host (sqslite as a library) with a Swift closure mapped to the queue: send -> closure sees it."""
        if host is None:
            return ({"req_s": None, "p50": None, "p99": None, "errors": 0, "error": ""},
                    "n/a: no sqslite-bench-host beside the binary (swift build -c release --product sqslite-bench-host)")
        seen = work / "inprocess-seen.txt"
        config = work / "inprocess.yaml"
        config.write_text("queues:\n  - name: BenchHandler\n")
        env = dict(os.environ, BENCH_OUT=str(seen))
        server = Server(host, work / "inprocess-data", work / "logs", config=config, env=env)
        return self.handler_latency(server, seen), "Swift closure (InProcessFunction), batch size 10, maximum concurrency 2"

    def handler_latency(self, server: "Server", seen: Path) -> dict:
        """Starts `server` (queue BenchHandler mapped to a function that appends `<body> <monotonic ns>`
        to `seen`), warms the function, then times SendMessage -> the function's line, one at a time."""
        lat, errors, error = [], 0, ""
        try:
            server.start()
            target = server.target
            url = target.call("GetQueueUrl", {"QueueName": "BenchHandler"})["QueueUrl"]
            conn = Conn(target.host, target.port)

            def seen_lines() -> dict:
                if not seen.exists():
                    return {}
                return dict(line.split() for line in seen.read_text().splitlines() if line.strip())

            def wait_for(body: str, timeout: float) -> int | None:
                deadline = time.monotonic() + timeout
                while time.monotonic() < deadline:
                    got = seen_lines().get(body)
                    if got is not None:
                        return int(got)
                    time.sleep(0.001)
                return None

            # Warm up: pairs of concurrent messages start every instance the mapping may use
            # (maximumConcurrency 2), then a few single ones.
            for i in range(4):
                bodies = [f"warm-{i}-{j}" for j in range(2 if i < 3 else 1)]
                target.call("SendMessageBatch", {"QueueUrl": url, "Entries": [
                    {"Id": str(j), "MessageBody": b} for j, b in enumerate(bodies)]}, conn=conn)
                for b in bodies:
                    if wait_for(b, 60) is None:
                        raise RuntimeError(f"the function never saw {b}; log: {server.log_text()[-1500:]}")
            for i in range(self.args.handler_samples):
                body = f"m-{i}"
                t0 = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
                target.call("SendMessage", {"QueueUrl": url, "MessageBody": body}, conn=conn)
                t1 = wait_for(body, 10)
                if t1 is None:
                    errors += 1
                    error = error or f"message {body} not seen by the function within 10 s"
                    continue
                lat.append((t1 - t0) / 1e6)
            conn.close()
        except Exception as e:
            errors += 1
            error = error or f"{type(e).__name__}: {e}"
        finally:
            server.stop()
        lat.sort()
        return {"req_s": None, "p50": pct(lat, 0.5), "p99": pct(lat, 0.99), "errors": errors, "error": error}

    # -- the whole run -----------------------------------------------------------------------
    def sns_fanout(self, binary: Path, work: Path) -> dict:
        """Publish to a topic with 10 raw SQS subscriptions over 4 connections: publishes per second,
        and the latency from Publish to the message being received from each queue (long polls)."""
        import http.client
        import threading
        import urllib.parse

        srv = Server(binary, work / "sns-data", work / "logs")
        srv.start()
        try:
            target = srv.target

            def sns(conn, params: dict) -> str:
                body = urllib.parse.urlencode({**params, "Version": "2010-03-31"})
                conn.request("POST", "/", body=body, headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Authorization": "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/sns/aws4_request, SignedHeaders=host, Signature=0"})
                response = conn.getresponse()
                text = response.read().decode()
                if response.status != 200:
                    raise RuntimeError(f"{params['Action']}: HTTP {response.status} {text[:300]}")
                return text

            setup = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
            topic_xml = sns(setup, {"Action": "CreateTopic", "Name": f"bench-{self.run_id}"})
            topic = topic_xml.split("<TopicArn>")[1].split("</TopicArn>")[0]
            urls = []
            for i in range(10):
                url = self.create_queue(target, f"sns{i}")
                urls.append(url)
                arn = target.call("GetQueueAttributes", {"QueueUrl": url, "AttributeNames": ["QueueArn"]})["Attributes"]["QueueArn"]
                sns(setup, {"Action": "Subscribe", "TopicArn": topic, "Protocol": "sqs", "Endpoint": arn,
                            "Attributes.entry.1.key": "RawMessageDelivery", "Attributes.entry.1.value": "true"})
            setup.close()
            total = self.args.sns_publishes
            latencies: list[float] = []
            lock = threading.Lock()
            received = [0] * len(urls)
            stop = threading.Event()

            def drain(index: int) -> None:
                conn = Conn("127.0.0.1", srv.port)
                while received[index] < total and not stop.is_set():
                    status, raw = conn.request(sqs_raw(f"127.0.0.1:{srv.port}", "ReceiveMessage", {
                        "QueueUrl": urls[index], "MaxNumberOfMessages": 10, "WaitTimeSeconds": 1}))
                    now = time.time()
                    messages = json.loads(raw or b"{}").get("Messages", []) if status == 200 else []
                    if messages:
                        conn.request(sqs_raw(f"127.0.0.1:{srv.port}", "DeleteMessageBatch", {"QueueUrl": urls[index], "Entries": [
                            {"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(messages)]}))
                    with lock:
                        received[index] += len(messages)
                        latencies.extend((now - float(m["Body"])) * 1000 for m in messages)
                conn.close()

            drains = [threading.Thread(target=drain, args=(i,), daemon=True) for i in range(len(urls))]
            for thread in drains:
                thread.start()
            errors: list[str] = []
            per_conn = [total // 4 + (1 if i < total % 4 else 0) for i in range(4)]

            def publish(count: int) -> None:
                conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
                try:
                    for _ in range(count):
                        sns(conn, {"Action": "Publish", "TopicArn": topic, "Message": repr(time.time())})
                except Exception as error:  # noqa: BLE001 - reported as a failed row
                    errors.append(str(error))
                finally:
                    conn.close()

            self.log(f"sns: {total} publishes to a topic with 10 SQS subscriptions")
            started = time.perf_counter()
            publishers = [threading.Thread(target=publish, args=(n,)) for n in per_conn]
            for thread in publishers:
                thread.start()
            for thread in publishers:
                thread.join()
            elapsed = time.perf_counter() - started
            deadline = time.monotonic() + 60
            while sum(received) < total * len(urls) and time.monotonic() < deadline:
                time.sleep(0.05)
            stop.set()
            for thread in drains:
                thread.join(timeout=5)
            latencies.sort()
            missing = total * len(urls) - sum(received)
            result = {"req_s": total / elapsed if elapsed else None, "p50": pct(latencies, 0.5), "p99": pct(latencies, 0.99),
                      "errors": len(errors) + (1 if missing else 0),
                      "error": errors[0] if errors else (f"{missing} deliveries missing" if missing else "")}
            return result
        finally:
            srv.stop()

    def run(self, binary: Path) -> int:
        a = self.args
        work = Path(tempfile.mkdtemp(prefix="sqslite-bench-"))
        self.work = work
        self.use_wrk = self.wrk_for_rows(smoke=a.smoke)
        if self.use_wrk and not shutil.which("wrk"):
            raise SystemExit("--load-generator wrk: wrk is not installed")
        server = Server(binary, work / "data", work / "logs")
        servers = [server]
        other = Target(a.endpoint) if a.endpoint else None
        small, big = a.backlogs
        try:
            self.log(f"starting {binary} on {work / 'data'}")
            startup_empty = server.start()
            time.sleep(0.2)
            idle_rss = rss_mib(server.pid)
            self.values["idle_rss"] = idle_rss
            target = server.target

            health = {c: self.row(target, "health", c, None, server.pid) for c in CONNECTIONS}
            other_health = ({c: self.row(other, "health", c, None, None) for c in CONNECTIONS}
                            if other and a.endpoint_health else {})
            ratio_health, ratio_send = self.ratio_rows(target, server.pid)
            sqs = self.sqs_rows(target, server.pid, "sqslite")
            loaded_rss = rss_mib(server.pid)
            polls = self.long_polls(target, server.pid)
            server.stop()
            shutil.rmtree(server.data_dir, ignore_errors=True)
            auth_plain, auth_send = self.auth_rows(binary, work, servers)

            # Persistence, on its own data dir so the database holds exactly the big backlog.
            store = Server(binary, work / "store-data", work / "logs")
            servers.append(store)
            store.start()
            url = self.create_queue(store.target, "store")
            self.log(f"store: loading {big:,} messages for the restart")
            self.fill(store.target, url, big, store.pid)
            total = self.visible(store.target, url)
            rss_big = rss_mib(store.pid)
            store.stop()
            db_bytes = dir_bytes(store.data_dir)
            self.log(f"restarting on the full database ({total:,} messages, {db_bytes / MIB:.1f} MiB)")
            startup_full = store.start()
            self.visible(store.target, url)
            time.sleep(0.2)
            rss_restart = rss_mib(store.pid)
            # Memory goes back when the backlog does: PurgeQueue drops every message at once, and
            # `sqslite serve` returns free heap pages every 10 s (MemoryTrimmer).
            store.target.call("PurgeQueue", {"QueueUrl": url})
            purged = self.visible(store.target, url) == 0
            time.sleep(0.5 if a.smoke else 11)
            rss_purged = rss_mib(store.pid)
            store.stop()
            shutil.rmtree(store.data_dir, ignore_errors=True)

            other_sqs, other_polls = {}, {}
            if other:
                self.log(f"the SQS rows against {a.endpoint}")
                other_sqs = self.sqs_rows(other, None, "endpoint")
                other_polls = self.long_polls(other, None)

            self.log("send-to-handler: a warm Python function")
            handler, runtime = self.handler_python(binary, work)
            self.log("send-to-handler: an in-process Swift function (sqslite-bench-host)")
            host = binary.parent / "sqslite-bench-host"
            inproc, inproc_runtime = self.handler_inprocess(host if host.is_file() else None, work)
            fanout = self.sns_fanout(binary, work)
        finally:
            for srv in servers:
                srv.stop()
            if not a.keep:
                shutil.rmtree(work, ignore_errors=True)
            else:
                print(f"kept {work}", file=sys.stderr)

        # -- the table -------------------------------------------------------------------------
        for c in CONNECTIONS:
            self.add(OP_LABEL["health"], conns=c, m=health[c], other=other_health.get(c), note=health[c].get("gen", ""))
        for op in OPS:
            for backlog_name, _ in self.backlogs():
                for c in CONNECTIONS:
                    m = sqs[(op, c, backlog_name)]
                    note = ", ".join(x for x in (m.get("gen", ""), "queue ran dry" if m["drained"] else "") if x)
                    self.add(OP_LABEL[op], conns=c, backlog=backlog_name, m=m, other=other_sqs.get((op, c, backlog_name)),
                             note=note, needs=("req_s", "msg_s", "p50", "p99"))
        self.add_ratio_rows(ratio_health, ratio_send)
        self.add_auth_rows(auth_plain, auth_send)
        for backlog_name, _ in self.backlogs():
            self.add(OP_LABEL["gqa"] + "(All)", conns=1, backlog=backlog_name, m=sqs[("gqa", 1, backlog_name)],
                     other=other_sqs.get(("gqa", 1, backlog_name)))
        for backlog_name, _ in self.backlogs():
            self.add(OP_LABEL["peek"], conns=1, backlog=backlog_name, m=sqs[("peek", 1, backlog_name)],
                     other=other_sqs.get(("peek", 1, backlog_name)))
        n = a.long_polls
        idle = {"idle_cpu": polls["idle_cpu"]}
        note = f"server CPU {fmt(polls['idle_cpu'], 2)}% of a core over {a.idle_window:g} s"
        if other_polls:
            note += f"; endpoint: {fmt(other_polls['idle_cpu'], 2)}%" if other_polls.get("idle_cpu") is not None else ""
        if polls["idle_answered"]:
            note += f"; {polls['idle_answered']} polls answered early"
            self.failures.append(f"{polls['idle_answered']} of {n} idle long polls returned early")
        self.add(f"{n} idle long polls (WaitTimeSeconds=20)", conns=n, m=idle, note=note, needs=("idle_cpu",))
        self.add("wake: send -> waiting receive returns", conns=2, m=polls["wake"], other=other_polls.get("wake"),
                 note=f"{a.wake_samples} samples, {n} idle polls held", needs=("p50", "p99"))
        self.add("send -> handler, in-process function", conns=1, m=inproc,
                 note=f"{a.handler_samples} samples; {inproc_runtime}", needs=("p50", "p99") if inproc["p50"] is not None else ())
        self.add("send -> handler, warm Python function", conns=1, m=handler,
                 note=f"{a.handler_samples} samples; {runtime}", needs=("p50", "p99"))
        self.add("SNS Publish -> 10 SQS subscriptions", conns=4, m=fanout,
                 note=f"{a.sns_publishes} publishes; req/s = publishes/s; p50/p99 = publish -> received from each queue",
                 needs=("req_s", "p50", "p99"))
        per_msg = db_bytes / total if total else None
        self.add("startup: spawn -> /health 200, empty", m={"value": startup_empty * 1000},
                 note=f"{startup_empty * 1000:.0f} ms; idle RSS {idle_rss:.1f} MiB", needs=("value",))
        self.add(f"startup: restart with {total:,} messages", backlog=f"{total:,}",
                 m={"value": startup_full * 1000, "rss": rss_restart},
                 note=(f"{startup_full * 1000:.0f} ms; RSS {rss_restart:.1f} MiB after restart, {rss_big:.1f} MiB "
                       f"after loading them (main server after the load rows: {loaded_rss:.1f} MiB); "
                       f"{rss_purged:.1f} MiB {'0.5' if a.smoke else '11'} s after PurgeQueue" + ("" if purged else " (messages left!)")),
                 needs=("value", "rss"))
        self.add("database size", backlog=f"{total:,}", m={"value": per_msg},
                 note=f"{db_bytes / MIB:.1f} MiB, {fmt(per_msg, 0)} bytes per message (256-byte bodies)",
                 needs=("value",))

        # -- the target values -----------------------------------------------------------------
        v = self.values
        v["batch_msgs"] = max_or_none(sqs[("batch", c, "0")]["msg_s"] for c in CONNECTIONS)
        v["recv_msgs"] = max_or_none(sqs[("recv", c, "0")]["msg_s"] for c in CONNECTIONS)
        ratios = []
        for op in OPS:
            for c in CONNECTIONS:
                x, y = sqs[(op, c, f"{big:,}")]["msg_s"], sqs[(op, c, f"{small:,}")]["msg_s"]
                if x and y:
                    ratios.append(x / y)
        v["backlog_ratio"] = min(ratios) if ratios else None
        v["rss_full"] = max(rss_restart, rss_big)
        v["restart_ready"] = startup_full * 1000
        v["gqa_latency"] = max_or_none(sqs[("gqa", 1, b)]["p50"] for b, _ in self.backlogs())
        v["idle_polls_cpu"] = polls["idle_cpu"]
        v["wake_p99"] = polls["wake"]["p99"]
        v["handler_inproc"] = inproc["p50"]
        v["handler_python"] = handler["p50"]

        self.print_table(other is not None)
        return self.print_targets()

    # -- output ------------------------------------------------------------------------------
    def print_table(self, with_other: bool) -> None:
        a = self.args
        small, big = a.backlogs
        mode = "SMOKE (tiny sizes; figures are not meaningful)" if a.smoke else "full"
        print(f"\nsqslite benchmark, {mode}: {a.duration:g} s per row, backlogs {small:,} and {big:,}, "
              f"256-byte bodies, load generator: {'wrk (rows marked wrk), ' if self.use_wrk else ''}"
              f"Python in {a.procs} processes, {os.cpu_count()} cores")
        head = ["row", "conns", "backlog", "req/s", "msg/s", "p50 ms", "p99 ms", "CPU us/req"]
        if with_other:
            head += ["|", "endpoint req/s", "msg/s", "p50 ms", "p99 ms"]
        head.append("note")
        lines = [head]
        for r in self.rows:
            m = r["m"]
            cells = [r["name"], str(r["conns"]), r["backlog"], fmt(m.get("req_s"), 0), fmt(m.get("msg_s"), 0),
                     fmt(m.get("p50"), 3), fmt(m.get("p99"), 3), fmt(m.get("cpu_us"), 1)]
            if with_other:
                o = r["other"] or {}
                cells += ["|", fmt(o.get("req_s"), 0), fmt(o.get("msg_s"), 0), fmt(o.get("p50"), 3),
                          fmt(o.get("p99"), 3)]
            cells.append(r["note"])
            lines.append(cells)
        widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
        for k, line in enumerate(lines):
            out = []
            for i, cell in enumerate(line):
                left = i in (0, 2) or i == len(head) - 1
                out.append(cell.ljust(widths[i]) if left else cell.rjust(widths[i]))
            print("  ".join(out).rstrip())
            if k == 0:
                print("-" * min(200, sum(widths) + 2 * len(widths)))

    def print_targets(self) -> int:
        a = self.args
        print("\ntargets (issue 10)" + (" - printed, not enforced in --smoke" if a.smoke else ""))
        missed = []
        small, big = (f"{n:,}" for n in a.backlogs)
        for key, what, kind, limit, unit in TARGETS:
            what = what.format(small=small, big=big)
            if a.auth_only and key != "auth_send" or a.ratio_only and key != "send_vs_health":
                continue
            value = self.values.get(key)
            if value is None:
                verdict = "n/a"
            else:
                ok = {">=": value >= limit, "<=": value <= limit, "<": value < limit}[kind]
                verdict = "ok" if ok else "MISS"
                if not ok:
                    missed.append(key)
            ratio = ""
            if value is not None and limit:
                ratio = f"({value / limit:.2f} of the limit)"
            print(f"  {verdict:4}  {what:62} {fmt(value, 3):>12} {kind:>2} {limit:<8g} {unit:7} {ratio}")
        if self.failures:
            print("\nharness problems:")
            for f in self.failures:
                print(f"  - {f}")
        if a.smoke:
            ok = not self.failures
            print(f"\nsmoke: {'every row produced a number and no request failed' if ok else 'FAILED'}")
            return 0 if ok else 1
        if missed or self.failures:
            print(f"\n{len(missed)} target(s) missed: {', '.join(missed)}" if missed else "")
            return 1
        print("\nevery target met")
        return 0


STDLIB_RUNTIME = '''\
"""A minimal Lambda Runtime API client (stdlib only), used when awslambdaric is not installed."""
import http.client, importlib, json, os, sys, traceback
sys.path.insert(0, os.getcwd())
module, _, name = os.environ.get("_HANDLER", "app.handler").rpartition(".")
handler = getattr(importlib.import_module(module), name)
host, _, port = os.environ["AWS_LAMBDA_RUNTIME_API"].partition(":")
conn = http.client.HTTPConnection(host, int(port or 80))
class Context:
    def __init__(self, request_id): self.aws_request_id = request_id
while True:
    conn.request("GET", "/2018-06-01/runtime/invocation/next")
    response = conn.getresponse()
    event = json.loads(response.read())
    request_id = response.getheader("Lambda-Runtime-Aws-Request-Id")
    try:
        path, body = "response", json.dumps(handler(event, Context(request_id)))
    except Exception as error:
        path, body = "error", json.dumps({"errorMessage": str(error), "errorType": type(error).__name__,
                                          "stackTrace": traceback.format_exc().splitlines()})
    conn.request("POST", f"/2018-06-01/runtime/invocation/{request_id}/{path}", body)
    conn.getresponse().read()
'''


def fmt(value, digits: int) -> str:
    if value is None:
        return "-"
    if digits == 0:
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


def max_or_none(values):
    values = [x for x in values if x is not None]
    return max(values) if values else None


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        prog="bench.py",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Benchmark sqslite in one run and print one table checked against the issue-10 targets.",
        epilog=("Without --binary it builds first: swift build -c release --static-swift-stdlib --product sqslite (as it ships).\n"
                "Exit status: 0 when every target is met (with --smoke: when every row produced a number\n"
                "and no request failed), 1 otherwise, 2 on bad arguments.\n\n"
                "Examples:\n"
                "  scripts/bench.py\n"
                "  scripts/bench.py --binary .build/release/sqslite --duration 10\n"
                "  scripts/bench.py --smoke --binary .build/debug/sqslite\n"
                "  scripts/bench.py --auth-only --binary .build/release/sqslite --duration 3\n"
                "  scripts/bench.py --ratio-only --binary .build/release/sqslite\n"
                "  scripts/bench.py --binary .build/release/sqslite --endpoint http://127.0.0.1:9325\n"))
    p.add_argument("--binary", type=Path, help="the sqslite binary to run (skips the release build)")
    p.add_argument("--smoke", action="store_true",
                   help="tiny sizes, < 60 s: checks the harness (every row has a number, no request failed), "
                        "prints the targets without enforcing them")
    p.add_argument("--endpoint", metavar="URL",
                   help="also run the SQS rows (and idle polls, wake latency) against this already-running "
                        "server for a side-by-side column; it must accept any credentials")
    p.add_argument("--endpoint-health", action="store_true",
                   help="with --endpoint: also load GET /health there (only if it has one)")
    p.add_argument("--duration", type=float, help="seconds per throughput row (default 5, smoke 0.25)")
    p.add_argument("--backlogs", metavar="SMALL,BIG",
                   help="the two backlog sizes (default 1000,1000000; smoke 100,1000)")
    p.add_argument("--long-polls", type=int, help="idle long polls to hold (default 1000, smoke 50)")
    p.add_argument("--idle-window", type=float, help="seconds of idle CPU measurement (default 5, smoke 1)")
    p.add_argument("--wake-samples", type=int, help="wake-latency samples (default 200, smoke 20)")
    p.add_argument("--handler-samples", type=int, help="send-to-handler samples (default 200, smoke 20)")
    p.add_argument("--gqa-requests", type=int, help="GetQueueAttributes requests per size (default 1000, smoke 50)")
    p.add_argument("--sns-publishes", type=int, help="publishes to the 10-subscription topic (default 2000, smoke 20)")
    p.add_argument("--procs", type=int, default=max(2, os.cpu_count() or 1),
                   help="load-generator processes (connections are spread over them; default: cores, at least 2)")
    p.add_argument("--load-generator", choices=("auto", "python", "wrk"), default="auto",
                   help="who sends the throughput rows' requests (/health, SendMessage, SendMessageBatch, "
                        "Receive+DeleteBatch): wrk when installed (auto, not in --smoke) or always Python "
                        "(preloading and draining are always Python). wrk runs whole seconds")
    p.add_argument("--auth-rounds", type=int,
                   help="alternated pairs of the SendMessage rows without and with --auth; the median ratio "
                        "counts (default 3, smoke 1)")
    p.add_argument("--auth-only", action="store_true",
                   help="only the two SendMessage rows without and with --auth (16 connections) and their ratio")
    p.add_argument("--ratio-rounds", type=int,
                   help="alternated pairs of GET /health and SendMessage at 16 connections for the target that "
                        "divides them; the median ratio counts (default 3, smoke 1)")
    p.add_argument("--ratio-only", action="store_true",
                   help="only those alternated GET /health and SendMessage rows and their ratio")
    p.add_argument("--keep", action="store_true", help="keep the temporary data dir and server logs")
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    a = p.parse_args(argv)
    defaults = ({"duration": 0.25, "backlogs": "100,1000", "long_polls": 50, "idle_window": 1.0, "wake_samples": 20,
                 "handler_samples": 20, "gqa_requests": 50, "sns_publishes": 20, "auth_rounds": 1, "ratio_rounds": 1} if a.smoke else
                {"duration": 5.0, "backlogs": "1000,1000000", "long_polls": 1000, "idle_window": 5.0,
                 "wake_samples": 200, "handler_samples": 200, "gqa_requests": 1000, "sns_publishes": 2000, "auth_rounds": 3,
                 "ratio_rounds": 3})
    for k, v in defaults.items():
        if getattr(a, k) is None:
            setattr(a, k, v)
    try:
        small, big = (int(x.replace("_", "")) for x in a.backlogs.split(","))
    except ValueError:
        p.error("--backlogs wants two integers, e.g. 1000,1000000")
    if not 0 < small < big:
        p.error("--backlogs: 0 < SMALL < BIG")
    if a.auth_rounds < 1:
        p.error("--auth-rounds: at least 1")
    if a.ratio_rounds < 1:
        p.error("--ratio-rounds: at least 1")
    if a.auth_only and a.ratio_only:
        p.error("--auth-only and --ratio-only: one at a time")
    a.backlogs = (small, big)
    a.settle = 0.5 if a.smoke else 1.0
    return a


def main(argv=None) -> int:
    a = parse_args(argv)
    if a.binary is None:
        # The binary users run: the Docker image, scripts/package.sh and scripts/install.sh all link
        # the Swift runtime statically (switching between this and a plain release build rebuilds).
        build = ["swift", "build", "-c", "release", "--static-swift-stdlib"]
        print(f"building: {' '.join(build)} --product sqslite (and sqslite-bench-host)", file=sys.stderr, flush=True)
        subprocess.run(build + ["--product", "sqslite"], cwd=REPO, check=True)
        subprocess.run(build + ["--product", "sqslite-bench-host"], cwd=REPO, check=True)
        a.binary = REPO / ".build" / "release" / "sqslite"
    binary = a.binary.resolve()
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        print(f"not an executable: {binary}", file=sys.stderr)
        return 2
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = a.long_polls + 1024
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, hard) if hard != resource.RLIM_INFINITY else want, hard))
    started = time.perf_counter()
    bench = Bench(a)
    code = bench.run_auth_only(binary) if a.auth_only else bench.run_ratio_only(binary) if a.ratio_only else bench.run(binary)
    print(f"\n({time.perf_counter() - started:.0f} s)")
    return code


if __name__ == "__main__":
    sys.exit(main())
