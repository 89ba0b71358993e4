"""Fuzzing a live server: generated inputs for the SQS JSON decoder, the HTTP layer, the Lambda
API routes and a function's Runtime API.

Invariants for every input: a well-formed HTTP response with a 2xx or a 4xx (for SQS's JSON
protocol a JSON body with ``__type`` and ``message``); never a 5xx; never a connection reset or
close without any response to a complete request; never a hang (per-request timeout); and the
process still answers ``/health`` afterwards. A crash stops the test at the input that caused it.

Deterministic: a fixed seed (``SQSLITE_FUZZ_SEED``). ``SQSLITE_FUZZ_EXAMPLES`` (default 3000) is
the number of SQS JSON inputs; the HTTP, Lambda API and Runtime API targets get a third, a half
and a third of it. By hand: ``SQSLITE_FUZZ_EXAMPLES=100000 pytest tests/interop/test_fuzz.py``.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import socket
import string
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from conftest import SqsliteServer
from unprivileged import Sandbox, UnprivilegedServer, function_config, lambda_client

SEED = int(os.environ.get("SQSLITE_FUZZ_SEED", "20261126"))
EXAMPLES = int(os.environ.get("SQSLITE_FUZZ_EXAMPLES", "3000"))
TIMEOUT = 15.0  # per request; the longest legitimate wait is a 0 s poll, so this means a hang
MAX_REPORTED = 25


# --------------------------------------------------------------------------
# random values
# --------------------------------------------------------------------------

WEIRD_STRINGS = [
    "", " ", "\x00", "\ufeff", "\ud7ff", "é", "日本語", "\U0001f600", "a" * 300, "a" * 70_000,
    "-1", "0", "1e309", "NaN", "true", "null", "../..", "%00", "%zz", "\r\n", "<xml>", "'\"",
    "http://127.0.0.1:1/000000000000/nope", "arn:aws:sqs:us-east-1:000000000000:",
]
WEIRD_NUMBERS = [0, -1, 1, 2**31, -(2**31) - 1, 2**63, 2**64, -(2**63) - 1, 10**30, 1.5, -0.0, 1e308, 9007199254740993]


def rand_string(r: random.Random) -> str:
    pick = r.random()
    if pick < 0.4:
        return r.choice(WEIRD_STRINGS)
    alphabet = string.printable if pick < 0.8 else "".join(chr(c) for c in range(0x20, 0x3000) if not 0xD800 <= c <= 0xDFFF)
    return "".join(r.choice(alphabet) for _ in range(r.randint(0, 40)))


def rand_value(r: random.Random, depth: int = 0):
    pick = r.randrange(9 if depth < 3 else 5)
    if pick == 0:
        return rand_string(r)
    if pick == 1:
        return r.choice(WEIRD_NUMBERS)
    if pick == 2:
        return r.choice([True, False, None])
    if pick == 3:
        return r.randint(-5, 300)
    if pick == 4:
        return r.random() * 10 ** r.randint(-5, 20)
    if pick in (5, 6):
        return [rand_value(r, depth + 1) for _ in range(r.randint(0, 4))]
    return {rand_string(r)[:20]: rand_value(r, depth + 1) for _ in range(r.randint(0, 4))}


def nested(r: random.Random) -> str:
    depth = r.choice([10, 100, 1000, 10_000, 100_000])
    opener, closer = r.choice([("[", "]"), ('{"a":', "}")])
    return opener * depth + "1" + closer * depth


# --------------------------------------------------------------------------
# raw HTTP: send bytes, parse whatever comes back
# --------------------------------------------------------------------------


class Outcome:
    def __init__(self) -> None:
        self.responses: list[tuple[int, dict[str, str], bytes]] = []
        self.end = "open"  # open | eof | reset | timeout
        self.garbage = b""


def read_responses(sock: socket.socket, want: int, timeout: float, head_only: bool = False) -> Outcome:
    out = Outcome()
    buf = b""
    deadline = time.monotonic() + timeout

    def more() -> bool:
        nonlocal buf
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            out.end = "timeout"
            return False
        sock.settimeout(remaining)
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            out.end = "timeout"
            return False
        except (ConnectionResetError, BrokenPipeError):
            out.end = "reset"
            return False
        if not chunk:
            out.end = "eof"
            return False
        buf += chunk
        return True

    while len(out.responses) < want:
        while b"\r\n\r\n" not in buf:
            if not more():
                out.garbage = buf
                return out
        head, _, buf = buf.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        parts = lines[0].split(b" ", 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/1.") or not parts[1].isdigit():
            out.garbage = head
            return out
        status = int(parts[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            headers[name.strip().lower().decode("latin-1")] = value.strip().decode("latin-1")
        if 100 <= status < 200 and status != 101:
            continue  # an interim answer (100 Continue): the real one follows
        body = b""
        if head_only or status in (204, 304):
            pass
        elif "chunked" in headers.get("transfer-encoding", ""):
            while True:
                while b"\r\n" not in buf:
                    if not more():
                        out.garbage = b"truncated chunked body"
                        return out
                size_line, _, buf = buf.partition(b"\r\n")
                size = int(size_line.split(b";")[0], 16)
                while len(buf) < size + 2:
                    if not more():
                        out.garbage = b"truncated chunk"
                        return out
                body += buf[:size]
                buf = buf[size + 2:]
                if size == 0:
                    break
        else:
            length = int(headers.get("content-length", "0"))
            while len(buf) < length:
                if not more():
                    out.garbage = b"truncated body"
                    return out
            body, buf = buf[:length], buf[length:]
        out.responses.append((status, headers, body))
    return out


def exchange(port: int, data: bytes, want: int = 1, half_close: bool = False, timeout: float = TIMEOUT,
             head_only: bool = False) -> Outcome:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        try:
            sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before reading everything: read what it said
        if half_close:
            try:
                sock.shutdown(socket.SHUT_WR)
            except OSError:
                pass
        return read_responses(sock, want, timeout, head_only)


def request_bytes(method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None, host: str = "127.0.0.1") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    for k, v in (headers or {}).items():
        lines.append(f"{k}: {v}")
    if body or method in ("POST", "PUT"):
        lines.append(f"Content-Length: {len(body)}")
    return "\r\n".join(lines).encode("latin-1", "replace") + b"\r\n\r\n" + body


# --------------------------------------------------------------------------
# the checker
# --------------------------------------------------------------------------


class Checker:
    def __init__(self, server: SqsliteServer, target: str) -> None:
        self.server, self.target = server, target
        self.failures: list[str] = []
        self.count = 0
        self.statuses: dict[int, int] = {}

    def fail(self, what: str, data: bytes | str) -> None:
        shown = data if isinstance(data, str) else data[:300]
        self.failures.append(f"{what}\n    input: {shown!r}")
        if "no response" in what or "failed" in what:
            # A crashing Swift process prints its backtrace (seconds) before it exits: give it time,
            # so the crash is blamed on this input rather than the next one.
            deadline = time.monotonic() + 8
            while self.server.running() and time.monotonic() < deadline:
                try:
                    if requests.get(f"{self.server.endpoint}/health", timeout=1).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                time.sleep(0.1)
        if not self.server.running():
            rc = self.server.proc.poll()
            pytest.fail(
                f"[{self.target}] the server died (exit {rc}) on input #{self.count}: {what}\n    input: {shown!r}\n"
                f"stderr:\n{self.server.stderr_text()[:1500]}",
                pytrace=False,
            )

    def check_status(self, status: int, data, what: str = "") -> None:
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if status >= 500 or status < 200:
            self.fail(f"status {status} {what}", data)

    def finish(self) -> None:
        assert self.server.running(), f"the server died: {self.server.stderr_text()[-2000:]}"
        r = requests.get(f"{self.server.endpoint}/health", timeout=5)
        assert r.status_code == 200, f"/health after fuzzing: {r.status_code} {r.text[:200]}"
        summary = f"[{self.target}] {self.count} inputs, statuses {dict(sorted(self.statuses.items()))}"
        print(summary)
        if self.failures:
            pytest.fail(summary + f", {len(self.failures)} violations:\n" + "\n".join(self.failures[:MAX_REPORTED]), pytrace=False)


# --------------------------------------------------------------------------
# 1. the SQS JSON protocol decoder
# --------------------------------------------------------------------------

ACTIONS = [
    "CreateQueue", "GetQueueUrl", "ListQueues", "DeleteQueue", "GetQueueAttributes", "SetQueueAttributes",
    "PurgeQueue", "SendMessage", "SendMessageBatch", "ReceiveMessage", "DeleteMessage", "DeleteMessageBatch",
    "ChangeMessageVisibility", "ChangeMessageVisibilityBatch", "TagQueue", "UntagQueue", "ListQueueTags",
    "ListDeadLetterSourceQueues", "AddPermission", "RemovePermission", "StartMessageMoveTask",
    "ListMessageMoveTasks", "CancelMessageMoveTask",
]
BAD_TARGETS = [
    None, "", "AmazonSQS", "AmazonSQS.", "AmazonSQS.Nope", "amazonsqs.sendmessage", "AmazonSQS.SendMessage.X",
    "AmazonSQS.SendMessage\t", "X" * 500, "AmazonSQS.Séñd", "DynamoDB_20120810.PutItem", ".SendMessage",
]
CONTENT_TYPES = [
    "application/x-amz-json-1.0", "application/x-amz-json-1.0", "application/x-amz-json-1.0",
    "application/x-amz-json-1.0; charset=utf-8", "application/json", "application/x-amz-json-1.1", "text/plain", None,
]


def sqs_template(r: random.Random, action: str, urls: list[str]) -> dict:
    url = r.choice(urls)
    entry = lambda i: {"Id": f"e{i}", "MessageBody": "b", "ReceiptHandle": "rh", "VisibilityTimeout": 1}  # noqa: E731
    templates = {
        "CreateQueue": {"QueueName": f"fz-{r.randrange(50)}", "Attributes": {"VisibilityTimeout": "5"}, "tags": {"k": "v"}},
        "GetQueueUrl": {"QueueName": "fuzz-std"},
        "ListQueues": {"QueueNamePrefix": "fz", "MaxResults": 5, "NextToken": "x"},
        "SendMessage": {"QueueUrl": url, "MessageBody": "hello", "DelaySeconds": 0, "MessageGroupId": "g",
                        "MessageDeduplicationId": "d", "MessageAttributes": {"a": {"DataType": "String", "StringValue": "v"}}},
        "SendMessageBatch": {"QueueUrl": url, "Entries": [entry(i) for i in range(r.randint(0, 11))]},
        "ReceiveMessage": {"QueueUrl": url, "MaxNumberOfMessages": 10, "WaitTimeSeconds": 0, "VisibilityTimeout": 0,
                           "AttributeNames": ["All"], "MessageAttributeNames": ["All"], "ReceiveRequestAttemptId": "x"},
        "DeleteMessageBatch": {"QueueUrl": url, "Entries": [entry(i) for i in range(r.randint(0, 11))]},
        "ChangeMessageVisibilityBatch": {"QueueUrl": url, "Entries": [entry(i) for i in range(r.randint(0, 11))]},
        "SetQueueAttributes": {"QueueUrl": url, "Attributes": {"VisibilityTimeout": "7", "RedrivePolicy": "{}"}},
        "GetQueueAttributes": {"QueueUrl": url, "AttributeNames": ["All"]},
        "TagQueue": {"QueueUrl": url, "Tags": {"a": "b"}},
        "UntagQueue": {"QueueUrl": url, "TagKeys": ["a"]},
        "AddPermission": {"QueueUrl": url, "Label": "l", "AWSAccountIds": ["111111111111"], "Actions": ["SendMessage"]},
        "RemovePermission": {"QueueUrl": url, "Label": "l"},
        "StartMessageMoveTask": {"SourceArn": "arn:aws:sqs:us-east-1:000000000000:fuzz-std", "MaxNumberOfMessagesPerSecond": 1},
        "ListMessageMoveTasks": {"SourceArn": "arn:aws:sqs:us-east-1:000000000000:fuzz-std", "MaxResults": 1},
        "CancelMessageMoveTask": {"TaskHandle": "eyJ9"},
    }
    return templates.get(action, {"QueueUrl": url, "ReceiptHandle": "rh", "VisibilityTimeout": 1})


def mutate_tree(r: random.Random, value, depth: int = 0):
    if isinstance(value, dict) and value and r.random() < 0.7:
        value = dict(value)
        key = r.choice(list(value))
        op = r.randrange(5)
        if op == 0:
            del value[key]
        elif op == 1:
            value[key] = rand_value(r)
        elif op == 2:
            value[rand_string(r)[:30]] = rand_value(r)
        elif op == 3:
            value[key.lower() if r.random() < 0.5 else key.upper()] = value.pop(key)
        else:
            value[key] = mutate_tree(r, value[key], depth + 1)
        return value
    if isinstance(value, list) and value and r.random() < 0.7:
        value = list(value)
        i = r.randrange(len(value))
        value[i] = mutate_tree(r, value[i], depth + 1) if r.random() < 0.5 else rand_value(r)
        return value
    return rand_value(r) if r.random() < 0.5 else value


def mutate_bytes(r: random.Random, data: bytes) -> bytes:
    op = r.randrange(10)
    if op == 0:
        return data[: r.randrange(len(data) + 1)]
    if op == 1 and data:
        i = r.randrange(len(data))
        return data[:i] + bytes([r.randrange(256)]) + data[i + 1:]
    if op == 2:
        i = r.randrange(len(data) + 1)
        return data[:i] + r.choice([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x00", b"\\ud800", b"\\u"]) + data[i:]
    if op == 3:
        return b"\xef\xbb\xbf" + data
    if op == 4:
        return r.choice([b"\xff\xfe", b"\xfe\xff"]) + data.decode("latin-1").encode("utf-16-le")
    if op == 5:
        return r.choice([b"", b"null", b"[]", b"1", b'"x"', b"{", b"}", b"{}{}", b"{,}", b'{"a":1,}', b"1e999999", b"-"])
    if op == 6:
        return nested(r).encode()
    if op == 7:
        return data.replace(b"0", b"1" * r.choice([20, 400, 5000]), 1)
    if op == 8:
        return data + b" " * r.randrange(3) + r.choice([b"", b"garbage", b"\x00"])
    return data


def test_fuzz_sqs_json_protocol(server_factory):
    srv = server_factory()
    sqs = srv.client()
    urls = [
        sqs.create_queue(QueueName="fuzz-std")["QueueUrl"],
        sqs.create_queue(QueueName="fuzz.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"],
        f"http://127.0.0.1:{srv.port}/000000000000/missing",
    ]
    r = random.Random(SEED)
    check = Checker(srv, "sqs-json")
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=TIMEOUT)
    for n in range(EXAMPLES):
        check.count = n
        action = r.choice(ACTIONS)
        target = f"AmazonSQS.{action}" if r.random() < 0.85 else r.choice(BAD_TARGETS)
        tree = sqs_template(r, action, urls)
        for _ in range(r.choice([0, 1, 1, 2, 3])):
            tree = mutate_tree(r, tree)
        if isinstance(tree, dict) and isinstance(tree.get("WaitTimeSeconds"), (int, float, str)):
            try:
                if 0 < float(tree["WaitTimeSeconds"]) <= 20:
                    tree["WaitTimeSeconds"] = 0  # a valid long poll is a legitimate wait, not a hang
            except (ValueError, OverflowError):
                pass
        try:
            body = json.dumps(tree, allow_nan=r.random() < 0.1).encode()
        except (ValueError, RecursionError):
            body = b"{}"
        if r.random() < 0.35:
            body = mutate_bytes(r, body)
        headers = {}
        ctype = r.choice(CONTENT_TYPES)
        if ctype:
            headers["Content-Type"] = ctype
        if target is not None:
            headers["X-Amz-Target"] = target
        if r.random() < 0.05:
            headers["Content-Encoding"] = r.choice(["gzip", "identity", "br"])
        where = f"{target} {ctype}: {body[:200]!r}"
        try:
            conn.request("POST", "/", body=body, headers=headers)
            resp = conn.getresponse()
            payload = resp.read()
        except (http.client.HTTPException, OSError) as e:
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=TIMEOUT)
            check.fail(f"no response: {e!r}", where)
            continue
        check.check_status(resp.status, where, payload[:200].decode(errors="replace"))
        rtype = resp.getheader("Content-Type", "")
        if "json" in rtype:
            try:
                doc = json.loads(payload) if payload else {}
            except ValueError:
                check.fail(f"{resp.status} with an unparseable JSON body {payload[:200]!r}", where)
                continue
            if resp.status >= 400 and not (isinstance(doc, dict) and "__type" in doc and "message" in doc):
                check.fail(f"{resp.status} JSON error without __type/message: {payload[:200]!r}", where)
        elif ctype and "amz-json" in ctype and target and target.startswith("AmazonSQS.") and resp.status >= 400 and resp.status != 413:
            check.fail(f"{resp.status} with Content-Type {rtype!r} for a JSON-protocol request: {payload[:200]!r}", where)
        if resp.getheader("Connection", "").lower() == "close":
            conn.close()
    conn.close()
    check.finish()


# --------------------------------------------------------------------------
# 2. the HTTP layer, over raw sockets
# --------------------------------------------------------------------------

LIST_QUEUES = b'{"QueueNamePrefix":"fuzz"}'
SQS_HEADERS = {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.ListQueues"}


def http_cases(r: random.Random, count: int):
    """(name, bytes, expected responses, half_close). expected 0: incomplete, EOF or a 4xx is fine."""
    health = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    sqs = request_bytes("POST", "/", LIST_QUEUES, SQS_HEADERS)
    fixed = [
        ("plain", health, 1, False),
        ("pipelined x3", health + sqs + health, 3, False),
        ("pipelined x20", (health + sqs) * 10, 20, False),
        ("garbage line", b"\x00\x01\x02 garbage\r\n\r\n", 1, False),
        ("only method", b"GET\r\n\r\n", 1, False),
        ("no version", b"GET /health\r\nHost: x\r\n\r\n", 0, True),
        ("HTTP/9.9", b"GET /health HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n", 1, False),
        ("extra token", b"GET /health HTTP/1.1 extra\r\nHost: 127.0.0.1\r\n\r\n", 1, False),
        ("lower-case method", b"get /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 1, False),
        ("odd method", b"BREW /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 1, False),
        ("absolute form", b"GET http://127.0.0.1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 1, False),
        ("asterisk", b"OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 1, False),
        ("CONNECT", b"CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 1, False),
        ("leading CRLF", b"\r\n\r\n" + health, 1, False),
        ("LF only", b"GET /health HTTP/1.1\nHost: 127.0.0.1\n\n", 1, False),
        ("HTTP/1.0", b"GET /health HTTP/1.0\r\n\r\n", 1, False),
        ("no host", b"GET /health HTTP/1.1\r\n\r\n", 1, False),
        ("long uri", b"GET /" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 0, True),
        ("long header", b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"b" * 200_000 + b"\r\n\r\n", 0, True),
        ("many headers", b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"".join(b"X-%d: v\r\n" % i for i in range(5000)) + b"\r\n", 0, True),
        ("header without colon", b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nNoColon\r\n\r\n", 1, False),
        ("space before colon", b"GET /health HTTP/1.1\r\nHost : 127.0.0.1\r\n\r\n", 1, False),
        ("obs-fold", b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: a\r\n  folded\r\n\r\n", 1, False),
        ("NUL in header", b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: a\x00b\r\n\r\n", 1, False),
        ("high bytes in header", b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: \xff\xfe\xc3\x28\r\n\r\n", 1, False),
        ("high bytes in path", b"GET /\xff\xfe%ff%00 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 1, False),
        ("two content-lengths", b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}x", 1, False),
        ("negative content-length", b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n", 1, False),
        ("huge content-length", b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 99999999999999999999999\r\n\r\n", 0, True),
        ("large content-length", b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4000000000\r\n\r\n{}", 0, True),
        ("text content-length", b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n\r\n", 1, False),
        ("CL and TE", b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n"
         b"Content-Type: application/x-amz-json-1.0\r\nX-Amz-Target: AmazonSQS.ListQueues\r\n\r\n2\r\n{}\r\n0\r\n\r\n", 1, False),
        ("chunked ok", b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nContent-Type: application/x-amz-json-1.0\r\n"
         b"X-Amz-Target: AmazonSQS.ListQueues\r\n\r\n1\r\n{\r\n1;ext=1\r\n}\r\n0\r\nTrailer: x\r\n\r\n", 1, False),
        ("chunked bad size", b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", 1, False),
        ("chunked huge size", b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n{}\r\n", 0, True),
        ("chunked unterminated", b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n", 0, True),
        ("chunked no CRLF after data", b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}XX0\r\n\r\n", 1, False),
        ("unknown transfer-encoding", b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 1, False),
        ("truncated body", request_bytes("POST", "/", LIST_QUEUES, SQS_HEADERS)[:-5], 0, True),
        ("truncated headers", health[:20], 0, True),
        ("half-close after request", health, 0, True),  # must be answered: test_request_then_half_close_is_answered
        ("expect 100", request_bytes("POST", "/", LIST_QUEUES, {**SQS_HEADERS, "Expect": "100-continue"}), 1, False),
        ("upgrade h2c", b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
         b"HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n", 1, False),
        ("h2 preface", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 0, True),
        ("tls hello", bytes.fromhex("16030100a5010000a10303") + bytes(range(32)), 0, True),
        ("pipelined with bad middle", health + b"GARBAGE\r\n\r\n" + health, 1, False),
        ("HEAD", b"HEAD /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 1, False),
    ]
    yield from fixed
    seeds = [health, sqs, request_bytes("GET", "/2015-03-31/functions"), request_bytes("GET", "/metrics"),
             request_bytes("POST", "/", b"Action=ListQueues", {"Content-Type": "application/x-www-form-urlencoded"})]
    for i in range(max(0, count - len(fixed))):
        data = r.choice(seeds)
        for _ in range(r.randint(1, 4)):
            op = r.randrange(7)
            if op == 0 and data:
                j = r.randrange(len(data))
                data = data[:j] + bytes([r.randrange(256)]) + data[j + 1:]
            elif op == 1 and data:
                j = r.randrange(len(data))
                data = data[:j] + data[j + r.randint(1, 8):]
            elif op == 2:
                j = r.randrange(len(data) + 1)
                data = data[:j] + r.choice([b"\r\n", b"\n", b":", b" ", b"\x00", b"\r\n\r\n", b"Transfer-Encoding: chunked\r\n",
                                            b"Content-Length: 3\r\n", b"%", b"\xff"]) + data[j:]
            elif op == 3:
                lines = data.split(b"\r\n")
                j = r.randrange(len(lines))
                lines.insert(j, lines[j])
                data = b"\r\n".join(lines)
            elif op == 4:
                data = data + r.choice(seeds)
            elif op == 5:
                data = data[: r.randrange(len(data) + 1)]
            else:
                data = data.replace(b"HTTP/1.1", r.choice([b"HTTP/1.0", b"HTTP/1.2", b"HTTP/2", b"http/1.1", b"HTTP/1.1 "]), 1)
        yield (f"mutated #{i}", data, 0, True)


def test_fuzz_http_layer(server_factory):
    srv = server_factory()
    r = random.Random(SEED + 1)
    check = Checker(srv, "http")
    cases = list(http_cases(r, max(60, EXAMPLES // 3)))

    def run(case):
        name, data, want, half_close = case
        head_only = data.startswith(b"HEAD")
        try:
            return case, exchange(srv.port, data, want=max(want, 1), half_close=half_close,
                                  timeout=TIMEOUT if want else 5.0, head_only=head_only), None
        except OSError as e:
            return case, None, e

    with ThreadPoolExecutor(max_workers=8) as pool:
        for n, (case, out, error) in enumerate(pool.map(run, cases)):
            check.count = n
            name, data, want, half_close = case
            if error is not None:
                check.fail(f"{name}: {error!r}", data)
                continue
            for status, headers, body in out.responses:
                check.check_status(status, data, f"{name}: {body[:150]!r}")
            if out.garbage and not out.responses:
                check.fail(f"{name}: not an HTTP response: {out.garbage[:100]!r}", data)
            elif len(out.responses) < want:
                # A complete request must be answered (a 400 before closing is fine; a bare close is not).
                last = out.responses[-1][0] if out.responses else None
                if last is None or last < 400:
                    check.fail(f"{name}: {len(out.responses)} of {want} responses, then {out.end}", data)
            elif not out.responses and out.end in ("reset", "timeout"):
                check.fail(f"{name}: {out.end} without any response", data)
    check.finish()


# --------------------------------------------------------------------------
# 3. the Lambda API and 4. a function's Runtime API
# --------------------------------------------------------------------------


@pytest.fixture
def function_server(tmp_path):
    box = Sandbox(prefix="sqslite-fuzz-")
    marker_dir = box.owned_dir("runtime")
    marker = marker_dir / "api"
    mapping = """eventSourceMappings:
  - queue: FuzzFnQueue
    function: FuzzFn
    batchSize: 5
    maximumBatchingWindowInSeconds: 0
"""
    config = function_config(box, "FuzzFn", runtime_api_file=marker, extra_yaml=mapping)
    srv = UnprivilegedServer(box, box.owned_dir("data"), tmp_path / "logs", config=config)
    try:
        srv.start()
        yield srv, marker
    finally:
        srv.kill()
        box.cleanup()


def rand_segment(r: random.Random) -> str:
    pick = r.random()
    if pick < 0.3:
        return r.choice(["FuzzFn", "Nope", "FuzzFn:1", "arn:aws:lambda:us-east-1:000000000000:function:FuzzFn", "$LATEST"])
    if pick < 0.5:
        return r.choice(["", ".", "..", "%2F", "%00", "%zz", "a" * 300, "%E2%82", "\u00e9", "00000000-0000-0000-0000-000000000000"])
    return urllib.parse.quote(rand_string(r)[:40], safe=r.choice(["", "%/"]))


def rand_query(r: random.Random) -> str:
    params = []
    for key in r.sample(["Marker", "MaxItems", "FunctionName", "EventSourceArn", "Qualifier", "FunctionVersion", "X"], r.randint(0, 4)):
        value = r.choice([str(v) for v in [-1, 0, 1, 5, 99, 10_001, -(2**63), 2**63, 10**30, "1.5", "abc", "", "%", "%zz", "-0", " 1"]]
                         + ["FuzzFn", "arn:aws:sqs:us-east-1:000000000000:FuzzFnQueue"])
        params.append(f"{key}={urllib.parse.quote(value, safe='%') if r.random() < 0.8 else value}")
    if r.random() < 0.1:
        params.append(r.choice(["Marker", "Marker=", "&&", "=1", "Marker=1&Marker=-1"]))
    return ("?" + "&".join(params)) if params else ""


def lambda_request(r: random.Random, uuids: list[str]) -> tuple[str, str, bytes, dict[str, str]]:
    base = "/2015-03-31"
    route = r.randrange(7)
    method = r.choice(["GET", "POST", "PUT", "DELETE"]) if r.random() < 0.2 else None
    headers: dict[str, str] = {}
    body = b""
    if route == 0:
        path, method = base + "/event-source-mappings" + rand_query(r) + ("/" if r.random() < 0.1 else ""), method or "GET"
    elif route == 1:
        tree = {"FunctionName": r.choice(["FuzzFn", "Nope", ""]), "EventSourceArn": "arn:aws:sqs:us-east-1:000000000000:" + r.choice(["FuzzFnQueue", "nope"]),
                "BatchSize": r.choice([1, 10, 0, -1, 10_001, 2**64]), "Enabled": r.choice([True, False]),
                "MaximumBatchingWindowInSeconds": r.choice([0, 1, 301, -1]), "FunctionResponseTypes": ["ReportBatchItemFailures"],
                "ScalingConfig": {"MaximumConcurrency": r.choice([2, 1, 1001])}}
        for _ in range(r.randint(0, 3)):
            tree = mutate_tree(r, tree)
        body = json.dumps(tree).encode()
        path, method = base + "/event-source-mappings" + ("/" if r.random() < 0.2 else ""), method or "POST"
    elif route == 2:
        uuid = r.choice(uuids) if uuids and r.random() < 0.5 else rand_segment(r)
        method = method or r.choice(["GET", "PUT", "DELETE"])
        if method == "PUT":
            tree = mutate_tree(r, {"BatchSize": r.choice([1, 5, 0, 20]), "Enabled": r.choice([True, False, "yes"]),
                                   "FunctionName": r.choice(["FuzzFn", "Nope"])})
            body = json.dumps(tree).encode()
        path = f"{base}/event-source-mappings/{uuid}"
    elif route == 3:
        path, method = base + "/functions" + rand_query(r), method or "GET"
    elif route == 4:
        path, method = f"{base}/functions/{rand_segment(r)}" + rand_query(r), method or "GET"
    elif route == 5:
        name = "FuzzFn" if r.random() < 0.6 else rand_segment(r)
        path, method = f"{base}/functions/{name}/invocations" + rand_query(r), method or "POST"
        headers["X-Amz-Invocation-Type"] = r.choice(["RequestResponse", "Event", "DryRun", "", "Bogus"])
        if r.random() < 0.5:
            headers["X-Amz-Log-Type"] = r.choice(["Tail", "None", "bogus"])
        if r.random() < 0.3:
            headers["X-Amz-Client-Context"] = r.choice(["e30=", "!!!", "x" * 5000])
        body = json.dumps(rand_value(r)).encode() if r.random() < 0.7 else mutate_bytes(r, b'{"a": 1}')
    else:
        path = base + "/" + "/".join(rand_segment(r) for _ in range(r.randint(0, 4))) + rand_query(r)
        method = method or r.choice(["GET", "POST", "PATCH", "OPTIONS"])
    return method, path, body, headers


def test_fuzz_lambda_api(function_server):
    srv, _ = function_server
    r = random.Random(SEED + 2)
    check = Checker(srv, "lambda-api")
    client = lambda_client(srv.endpoint)
    uuids = [m["UUID"] for m in client.list_event_source_mappings()["EventSourceMappings"]]
    # Generated inputs, then regression inputs.
    fixed = [("GET", "/2015-03-31/event-source-mappings?Marker=-1", b"", {}),
             ("GET", "/2015-03-31/event-source-mappings?Marker=99999999999999999999&MaxItems=-1", b"", {}),
             ("GET", "/2015-03-31/event-source-mappings?Marker=9223372036854775807&MaxItems=9223372036854775807", b"", {}),
             ("GET", "/2015-03-31/event-source-mappings?MaxItems=-9223372036854775808", b"", {})]
    inputs = [lambda_request(r, uuids) for _ in range(max(50, EXAMPLES // 2))] + fixed
    for n, (method, path, body, headers) in enumerate(inputs):
        check.count = n
        data = f"{method} {path} {body[:100]!r} {headers}"
        try:
            out = exchange(srv.port, request_bytes(method, path, body, headers), timeout=TIMEOUT)
        except OSError as e:
            check.fail(f"connect/send failed: {e!r}", data)
            continue
        if not out.responses:
            check.fail(f"no response ({out.end}) {out.garbage[:100]!r}", data)
            continue
        status, rheaders, rbody = out.responses[0]
        check.check_status(status, data, rbody[:200].decode(errors="replace"))
        if status >= 400 and status != 404 and "json" in rheaders.get("content-type", ""):
            try:
                json.loads(rbody)
            except ValueError:
                check.fail(f"{status} with an unparseable JSON body {rbody[:200]!r}", data)
    # The function still works through the API.
    response = client.invoke(FunctionName="FuzzFn", Payload=b'{"after": "fuzz"}')
    assert response["StatusCode"] == 200 and json.loads(response["Payload"].read())["echo"] == {"after": "fuzz"}
    check.finish()


def runtime_path_blocks(method: str, path: str) -> bool:
    """GET …/invocation/next (however spelled) legitimately waits for an invocation."""
    bare = path.split("?", 1)[0]
    prefix = "/2018-06-01/runtime/"
    if method != "GET" or not bare.startswith(prefix):
        return False
    return [s for s in bare[len(prefix):].split("/") if s] == ["invocation", "next"]


def test_fuzz_runtime_api(function_server):
    srv, marker = function_server
    client = lambda_client(srv.endpoint)
    # The first invocation starts the function process, which writes its AWS_LAMBDA_RUNTIME_API.
    first = client.invoke(FunctionName="FuzzFn", Payload=b'{"warm": 1}')
    assert first["StatusCode"] == 200, first
    deadline = time.monotonic() + 10
    while not marker.exists():
        assert time.monotonic() < deadline, "the function never wrote its Runtime API address"
        time.sleep(0.05)
    host, _, port = marker.read_text().strip().rpartition(":")
    port = int(port)
    assert host in ("127.0.0.1", "localhost"), host

    r = random.Random(SEED + 3)
    check = Checker(srv, "runtime-api")
    base = "/2018-06-01/runtime"
    inputs = [
        ("POST", f"{base}/invocation/00000000-0000-0000-0000-000000000000/response", b"{}", {}),
        ("POST", f"{base}/invocation/x/error", b'{"errorType":"X","errorMessage":"y"}', {"Lambda-Runtime-Function-Error-Type": "Z"}),
        ("POST", f"{base}/invocation//response", b"", {}),
        ("POST", f"{base}/invocation/next", b"", {}),
        ("GET", f"{base}/invocation/x/response", b"", {}),
        ("POST", f"{base}/invocation/x/response", b"x" * (6 * 1024 * 1024 + 10), {}),
    ]
    for _ in range(max(40, EXAMPLES // 3)):
        method = r.choice(["POST", "POST", "POST", "GET", "PUT", "DELETE"])
        rid = rand_segment(r) if r.random() < 0.7 else r.choice(["next", "", "a/b"])
        tail = r.choice(["response", "error", "", "next", rand_segment(r)])
        if r.random() < 0.6:
            path = f"{base}/invocation/{rid}/{r.choice(['response', 'error'])}"
        else:
            path = r.choice([f"{base}/invocation/{rid}/{tail}", f"{base}/{rand_segment(r)}", f"/{rand_segment(r)}",
                             f"{base}/invocation/{rid}", "/2018-06-01/runtime", f"{base}/init/{rand_segment(r)}"])
        if path.rstrip("/").endswith("/init/error"):
            continue
        path += rand_query(r) if r.random() < 0.1 else ""
        if runtime_path_blocks(method, path):
            continue
        body = json.dumps(rand_value(r)).encode() if r.random() < 0.6 else mutate_bytes(r, b'{"errorType":"T","errorMessage":"m"}')
        headers = {}
        if r.random() < 0.3:
            headers["Lambda-Runtime-Function-Error-Type"] = rand_string(r).encode("ascii", "replace").decode()[:100].replace("\r", "").replace("\n", "")
        inputs.append((method, path, body, headers))
    for n, (method, path, body, headers) in enumerate(inputs):
        check.count = n
        data = f"{method} {path} {body[:100]!r} {headers}"
        try:
            out = exchange(port, request_bytes(method, path, body, headers), timeout=TIMEOUT)
        except OSError as e:
            check.fail(f"runtime api connect/send failed: {e!r}", data)
            continue
        if not out.responses:
            check.fail(f"no response ({out.end}) {out.garbage[:100]!r}", data)
            continue
        status, _, rbody = out.responses[0]
        check.check_status(status, data, rbody[:200].decode(errors="replace"))

    # The warm function still answers, and an init error is accepted without harming the server.
    response = client.invoke(FunctionName="FuzzFn", Payload=b'{"after": "fuzz"}')
    assert response["StatusCode"] == 200 and json.loads(response["Payload"].read())["echo"] == {"after": "fuzz"}
    out = exchange(port, request_bytes("POST", f"{base}/init/error", b'{"errorType":"E","errorMessage":"m"}'))
    assert out.responses and out.responses[0][0] < 500, (out.end, out.responses)
    check.finish()


def test_request_then_half_close_is_answered(server_factory):
    """`printf 'GET /health HTTP/1.1\\r\\n…' | nc -N host port` sends a complete request and then
    half-closes (shutdown(SHUT_WR)). HTTP/1.1 lets the server answer before it closes; closing
    without a response loses a request that arrived whole (a POST's effect then is unknown)."""
    srv = server_factory()
    for data in (
        b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        request_bytes("POST", "/", LIST_QUEUES, SQS_HEADERS),
        b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" * 2,
    ):
        want = data.count(b" HTTP/1.1\r\n")
        out = exchange(srv.port, data, want=want, half_close=True, timeout=10)
        statuses = [status for status, _, _ in out.responses]
        assert statuses == [200] * want, f"{data[:60]!r} then half-close: answered {statuses}, then {out.end}"
