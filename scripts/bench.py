#!/usr/bin/env python3
"""A quick throughput benchmark: SendMessage and ReceiveMessage+DeleteMessageBatch over one
keep-alive connection per client thread, against sqslite (durable and in memory) and, in the same
run, a baseline emulator when one is installed (moto_server).

    swift build -c release --product sqslite
    python3 scripts/bench.py [--messages 5000] [--clients 1,8]

Not part of the test suite: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(port: int, path: str = "/health", timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            c.request("GET", path)
            c.getresponse().read()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server on {port} not ready")


class Client:
    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = {
            "Content-Type": "application/x-amz-json-1.0",
            "Authorization": "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=x",
        }

    def call(self, action: str, body: dict) -> dict:
        self.conn.request("POST", "/", json.dumps(body), {**self.headers, "X-Amz-Target": "AmazonSQS." + action})
        response = self.conn.getresponse()
        data = response.read()
        if response.status != 200:
            raise RuntimeError(f"{action}: {response.status} {data[:200]!r}")
        return json.loads(data)


def run_clients(port: int, clients: int, work) -> float:
    errors: list[BaseException] = []

    def target(index: int) -> None:
        try:
            work(Client(port), index)
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=target, args=(i,)) for i in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - start


def bench(port: int, messages: int, clients: int) -> tuple[float, float]:
    setup = Client(port)
    name = f"bench-{clients}-{time.time_ns()}"
    url = setup.call("CreateQueue", {"QueueName": name})["QueueUrl"]
    per_client = messages // clients
    body = "x" * 256

    def send(client: Client, _index: int) -> None:
        for _ in range(per_client):
            client.call("SendMessage", {"QueueUrl": url, "MessageBody": body})

    send_seconds = run_clients(port, clients, send)

    def receive(client: Client, _index: int) -> None:
        got = 0
        while got < per_client:
            batch = client.call("ReceiveMessage", {"QueueUrl": url, "MaxNumberOfMessages": 10, "WaitTimeSeconds": 1}).get("Messages", [])
            if not batch:
                break
            entries = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(batch)]
            client.call("DeleteMessageBatch", {"QueueUrl": url, "Entries": entries})
            got += len(batch)

    receive_seconds = run_clients(port, clients, receive)
    total = per_client * clients
    return total / send_seconds, total / receive_seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--clients", default="1,8")
    parser.add_argument("--binary", default=str(REPO / ".build" / "release" / "sqslite"))
    args = parser.parse_args()
    clients = [int(c) for c in args.clients.split(",")]

    targets = []
    data = tempfile.mkdtemp(prefix="sqslite-bench-")
    for label, extra in (("sqslite (SQLite, durable)", ["--data-dir", data]), ("sqslite (in memory)", ["--in-memory"])):
        port = free_port()
        cmd = [args.binary, "serve", "--port", str(port), "--log-level", "error", "--deleted-queue-cooldown", "0", *extra]
        targets.append((label, port, subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), "/health"))
    moto = shutil.which("moto_server")
    if moto:
        port = free_port()
        targets.append(("moto_server (baseline)", port, subprocess.Popen([moto, "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), "/moto-api/"))
    try:
        print(f"{args.messages} messages of 256 bytes; messages/s (higher is better)")
        print(f"{'server':28} {'clients':>7} {'SendMessage':>12} {'Receive+DeleteBatch':>20}")
        for label, port, process, health in targets:
            wait_ready(port, health)
            for count in clients:
                send_rate, receive_rate = bench(port, args.messages, count)
                print(f"{label:28} {count:>7} {send_rate:>12.0f} {receive_rate:>20.0f}", flush=True)
            if label.startswith("sqslite"):
                rss = Path(f"/proc/{process.pid}/status").read_text().split("VmRSS:")[1].split()[0]
                print(f"{'':28} RSS after the run: {int(rss) // 1024} MB")
    finally:
        for _, _, process, _ in targets:
            process.terminate()
        for _, _, process, _ in targets:
            process.wait(timeout=10)
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
