"""Crash and fault injection: what sqslite acknowledged must stay true.

The rule: a 5xx (or a connection lost in a crash) may or may not have happened, but a 200 is a
promise. An acknowledged send is delivered (at least once), an acknowledged delete never comes
back, and nothing a client could observe vanishes or reappears across a restart.

- ``test_kill_9_under_load_keeps_every_acknowledgement``: concurrent senders (single and batch)
  and consumers (receive + delete) on a standard and a FIFO queue while the server is killed with
  SIGKILL and restarted on the same data dir and port. ``SQSLITE_CRASH_CYCLES`` (default 3) sets
  the number of kills, ``SQSLITE_CRASH_SEED`` the seed; ``scripts/crash_fault.py`` runs it long.
- ``test_disk_full_*``: the data dir on a 20 MiB tmpfs that is filled up while clients keep
  sending, deleting, creating queues and receiving; then the space is freed and every 200 is
  checked, before and after a restart; the same with eight concurrent senders, whose failures
  reach the engine out of order. Needs root (mount); skipped with the reason otherwise.
- ``test_unwritable_database_refuses_to_start``: a read-only database file (or folder) with the
  server running unprivileged: it must exit non-zero with one plain sentence naming the file,
  not start "healthy" and fail every write.
"""

from __future__ import annotations

import errno
import json
import os
import random
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests
from botocore.exceptions import BotoCoreError, ClientError

from conftest import SqsliteServer, free_port, make_client
from unprivileged import NOBODY, Sandbox, UnprivilegedServer, is_root

CYCLES = int(os.environ.get("SQSLITE_CRASH_CYCLES", "3"))
SEED = int(os.environ.get("SQSLITE_CRASH_SEED", "9"))
VISIBILITY = 4  # seconds; consumers only delete with a receipt younger than FRESH
FRESH = 1.5


# --------------------------------------------------------------------------
# bookkeeping shared by the load threads
# --------------------------------------------------------------------------


class Phase:
    """Whether the server is (being) killed. A call that overlaps a kill window has an unknown outcome."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.generation = 0
        self.down = False

    def snapshot(self) -> tuple[int, bool]:
        with self.lock:
            return self.generation, self.down

    def set_down(self, down: bool) -> None:
        with self.lock:
            self.down = down
            self.generation += 1


class Ledger:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.attempted: dict[str, str] = {}  # body -> queue
        self.acked_sends: dict[str, tuple[str, str]] = {}  # message id -> (queue, body)
        self.acked_deletes: dict[str, float] = {}  # message id -> when the delete was acknowledged
        self.seen: dict[str, int] = {}  # message id -> receives
        self.first_seen: dict[str, int] = {}  # message id -> order of its first delivery
        self.fifo_sends: dict[tuple[str, str, str], list[str]] = {}  # (queue, sender, group) -> acked ids in send order
        self.violations: list[str] = []
        self.unknown = 0
        self.calls = 0

    def violation(self, text: str) -> None:
        with self.lock:
            if len(self.violations) < 200:
                self.violations.append(text)

    def received(self, queue: str, message: dict, where: str) -> None:
        mid, body = message["MessageId"], message["Body"]
        with self.lock:
            self.seen[mid] = self.seen.get(mid, 0) + 1
            self.first_seen.setdefault(mid, len(self.first_seen))
            deleted = mid in self.acked_deletes
            acked = self.acked_sends.get(mid)
            attempted = body in self.attempted
        if deleted:
            self.violation(f"{where}: {queue} delivered {mid} again after its delete was acknowledged")
        if acked and acked[1] != body:
            self.violation(f"{where}: {queue} {mid} body {body[:60]!r} != acknowledged {acked[1][:60]!r}")
        if not attempted:
            self.violation(f"{where}: {queue} delivered {mid} with a body nobody sent: {body[:80]!r}")


class Caller:
    """Runs one SDK call and classifies its outcome: ok, unknown (kill window) or a violation."""

    def __init__(self, phase: Phase, ledger: Ledger) -> None:
        self.phase, self.ledger = phase, ledger

    def __call__(self, what: str, fn):
        g0, down0 = self.phase.snapshot()
        with self.ledger.lock:
            self.ledger.calls += 1
        try:
            return fn()
        except ClientError as e:
            status = e.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
            detail = f"{status} {e.response.get('Error')}"
        except (BotoCoreError, OSError) as e:
            status, detail = 0, repr(e)
        g1, down1 = self.phase.snapshot()
        if down0 or down1 or g0 != g1:
            with self.ledger.lock:
                self.ledger.unknown += 1
            return None
        self.ledger.violation(f"{what}: {detail} outside a kill window")
        return None


def sender(caller: Caller, ledger: Ledger, client_for, url: str, queue: str, fifo: bool, batch: bool, stop: threading.Event, rnd: random.Random):
    client = client_for()
    n = 0
    while not stop.is_set():
        stop.wait(0.02)  # a steady load the consumers keep up with, so the final drain stays short
        n += 1
        count = rnd.randint(2, 10) if batch else 1
        entries = []
        for i in range(count):
            body = f"{queue}|{'b' if batch else 's'}|{n}|{i}|{uuid.uuid4().hex}"
            entry = {"Id": str(i), "MessageBody": body}
            if fifo:
                entry["MessageGroupId"] = f"g{rnd.randint(0, 3)}"
                entry["MessageDeduplicationId"] = uuid.uuid4().hex
            entries.append(entry)
            with ledger.lock:
                ledger.attempted[body] = queue
        if batch:
            resp = caller("SendMessageBatch", lambda: client.send_message_batch(QueueUrl=url, Entries=entries))
            if resp is None:
                continue
            by_id = {e["Id"]: e for e in entries}
            with ledger.lock:
                for ok in sorted(resp.get("Successful", []), key=lambda ok: int(ok["Id"])):
                    entry = by_id[ok["Id"]]
                    ledger.acked_sends[ok["MessageId"]] = (queue, entry["MessageBody"])
                    if fifo:
                        ledger.fifo_sends.setdefault((queue, "batch", entry["MessageGroupId"]), []).append(ok["MessageId"])
            for failed in resp.get("Failed", []):
                if not failed.get("SenderFault"):
                    ledger.violation(f"SendMessageBatch: server-side entry failure {failed}")
        else:
            entry = dict(entries[0])
            entry.pop("Id")
            resp = caller("SendMessage", lambda: client.send_message(QueueUrl=url, **entry))
            if resp is not None:
                with ledger.lock:
                    ledger.acked_sends[resp["MessageId"]] = (queue, entry["MessageBody"])
                    if fifo:
                        ledger.fifo_sends.setdefault((queue, "single", entry["MessageGroupId"]), []).append(resp["MessageId"])


def consumer(caller: Caller, ledger: Ledger, client_for, url: str, queue: str, stop: threading.Event, rnd: random.Random):
    client = client_for()
    while not stop.is_set():
        resp = caller("ReceiveMessage", lambda: client.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1))
        if resp is None:
            time.sleep(0.05)
            continue
        received_at = time.monotonic()
        messages = resp.get("Messages", [])
        for m in messages:
            ledger.received(queue, m, "consumer")
        if not messages:
            continue
        if rnd.random() < 0.5:
            for m in messages:
                if time.monotonic() - received_at > FRESH:
                    break
                ok = caller("DeleteMessage", lambda: client.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"]))
                if ok is not None:
                    with ledger.lock:
                        ledger.acked_deletes[m["MessageId"]] = time.monotonic()
        elif time.monotonic() - received_at <= FRESH:
            entries = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)]
            resp = caller("DeleteMessageBatch", lambda: client.delete_message_batch(QueueUrl=url, Entries=entries))
            if resp is not None:
                with ledger.lock:
                    for ok in resp.get("Successful", []):
                        ledger.acked_deletes[messages[int(ok["Id"])]["MessageId"]] = time.monotonic()
                for failed in resp.get("Failed", []):
                    ledger.violation(f"DeleteMessageBatch with fresh receipts failed: {failed}")


def drain(client, ledger: Ledger, url: str, queue: str, quiet_for: float) -> int:
    """Receive and delete until the queue stayed empty for `quiet_for` seconds (in-flight ones return)."""
    drained = 0
    last_message = time.monotonic()
    while time.monotonic() - last_message < quiet_for:
        messages = client.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
        for m in messages:
            ledger.received(queue, m, "drain")
        if messages:
            entries = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)]
            resp = client.delete_message_batch(QueueUrl=url, Entries=entries)
            assert not resp.get("Failed"), resp["Failed"]
            with ledger.lock:
                for m in messages:
                    ledger.acked_deletes[m["MessageId"]] = time.monotonic()
            drained += len(messages)
            last_message = time.monotonic()
    return drained


def test_kill_9_under_load_keeps_every_acknowledgement(server_factory):
    rnd = random.Random(SEED)
    srv: SqsliteServer = server_factory()
    port = srv.port
    setup = srv.client()
    attrs = {"VisibilityTimeout": str(VISIBILITY)}
    queues = {
        "crash-std": setup.create_queue(QueueName="crash-std", Attributes=attrs)["QueueUrl"],
        "crash.fifo": setup.create_queue(QueueName="crash.fifo", Attributes={**attrs, "FifoQueue": "true"})["QueueUrl"],
    }
    phase, ledger = Phase(), Ledger()
    caller = Caller(phase, ledger)
    stop = threading.Event()

    def client_for():
        return make_client(f"http://127.0.0.1:{port}", read_timeout=10)

    threads = []
    for queue, url in queues.items():
        fifo = queue.endswith(".fifo")
        for batch in (False, True):
            threads.append(threading.Thread(target=sender, args=(caller, ledger, client_for, url, queue, fifo, batch, stop, random.Random(rnd.random()))))
        threads.append(threading.Thread(target=consumer, args=(caller, ledger, client_for, url, queue, stop, random.Random(rnd.random()))))
    for t in threads:
        t.daemon = True
        t.start()

    restarts = []
    try:
        for cycle in range(CYCLES):
            time.sleep(rnd.uniform(1.0, 2.5))
            phase.set_down(True)
            srv.kill()
            t0 = time.monotonic()
            srv.start(port=port)
            restarts.append(time.monotonic() - t0)
            time.sleep(0.2)  # let requests that straddled the restart finish inside the window
            phase.set_down(False)
        time.sleep(rnd.uniform(0.5, 1.5))
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)

    # One more crash with nothing in flight, then drain everything.
    srv.kill()
    srv.start(port=port)
    client = srv.client()
    drained = {queue: drain(client, ledger, url, queue, quiet_for=VISIBILITY + 1.5) for queue, url in queues.items()}

    lost = [f"{q} {mid} {body[:50]!r}" for mid, (q, body) in ledger.acked_sends.items() if mid not in ledger.seen]
    for text in lost[:50]:
        ledger.violation(f"acknowledged send never delivered: {text}")
    # FIFO: within a message group, what one sender had acknowledged is first delivered in send order.
    for (queue, who, group), ids in ledger.fifo_sends.items():
        order = [ledger.first_seen[mid] for mid in ids if mid in ledger.first_seen]
        for i in range(1, len(order)):
            if order[i] < order[i - 1]:
                ledger.violation(f"{queue} group {group} ({who} sender): acknowledged sends delivered out of order at #{i}")
                break
    for url in queues.values():
        a = client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        if a["ApproximateNumberOfMessages"] != "0" or a["ApproximateNumberOfMessagesNotVisible"] != "0":
            ledger.violation(f"{url} not empty after the drain: {a}")

    summary = (
        f"{CYCLES} kills (restart {', '.join(f'{r:.2f}s' for r in restarts)}), {ledger.calls} calls, "
        f"{len(ledger.acked_sends)} acked sends, {len(ledger.acked_deletes)} acked deletes, "
        f"{ledger.unknown} unknown outcomes, drained {drained}, {len(lost)} lost"
    )
    print(summary)
    assert len(ledger.acked_sends) > 50 and len(ledger.acked_deletes) > 20, f"too little load to mean anything: {summary}"
    assert not ledger.violations, summary + "\n" + "\n".join(ledger.violations[:40])


# --------------------------------------------------------------------------
# disk full
# --------------------------------------------------------------------------


def peek(endpoint: str, url: str) -> dict[str, dict]:
    """Every message of a queue (visible, in flight, delayed) without touching it: id -> message."""
    r = requests.get(
        f"{endpoint}/_aws/sqs/messages",
        params={"QueueUrl": url, "ShowInvisible": "true", "ShowDelayed": "true"},
        headers={"Accept": "application/json"},
        timeout=10,
    )
    assert r.status_code == 200, f"peek answered {r.status_code}: {r.text[:300]}"
    result = r.json()["ReceiveMessageResponse"]["ReceiveMessageResult"] or {}
    messages = result.get("Message", []) if isinstance(result, dict) else []
    if isinstance(messages, dict):
        messages = [messages]
    out = {}
    for m in messages:
        attrs = {a["Name"]: a["Value"] for a in m.get("Attribute", [])}
        out[m["MessageId"]] = {"Body": m["Body"], "IsVisible": attrs.get("IsVisible", "true")}
    return out


@pytest.fixture
def small_tmpfs(tmp_path):
    mnt = tmp_path / "tmpfs"
    mnt.mkdir()
    if not is_root():
        pytest.skip("the disk-full test mounts a tmpfs and needs root (CAP_SYS_ADMIN)")
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=20m", "tmpfs", str(mnt)], capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs CAP_SYS_ADMIN): {proc.stderr.strip()}")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def fill(path: Path) -> int:
    """Fill the file system of `path` until writes fail with ENOSPC; returns bytes written."""
    written = 0
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        for chunk in (1024 * 1024, 4096, 512, 1):
            block = b"\0" * chunk
            while True:
                try:
                    n = os.write(fd, block)
                except OSError as e:
                    assert e.errno == errno.ENOSPC, e
                    break
                written += n
                if n < chunk:
                    break
    finally:
        os.close(fd)
    return written


def status_of(fn) -> tuple[int, object]:
    try:
        return 200, fn()
    except ClientError as e:
        return e.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0), e.response.get("Error")
    except (BotoCoreError, OSError) as e:
        return 0, repr(e)


@pytest.fixture
def server_on_tmpfs(small_tmpfs, tmp_path):
    """A server whose data folder is on the small tmpfs (its logs elsewhere)."""
    srv = SqsliteServer(small_tmpfs / "data", tmp_path / "logs")
    srv.start()
    try:
        yield srv
    finally:
        srv.kill()


def test_disk_full_every_200_is_true_and_nothing_comes_back_or_vanishes(server_on_tmpfs, small_tmpfs):
    _disk_full_scenario(server_on_tmpfs, small_tmpfs)


def _disk_full_scenario(srv: SqsliteServer, mnt: Path) -> None:
    sqs = make_client(srv.endpoint, read_timeout=15)
    url = sqs.create_queue(QueueName="diskfull", Attributes={"VisibilityTimeout": "2"})["QueueUrl"]
    acked: dict[str, str] = {}  # message id -> body, sends answered 200
    for i in range(40):
        body = f"base-{i}-" + "x" * 1000
        acked[sqs.send_message(QueueUrl=url, MessageBody=body)["MessageId"]] = body
    held = []  # receipts kept (visibility 120 s) to delete while the disk is full
    while len(held) < 20:
        held += sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=120).get("Messages", [])
    held_ids = {m["MessageId"] for m in held}

    filler = mnt / "filler"
    fill(filler)

    log: list[str] = []
    acked_deletes: set[str] = set()
    unknown_sends: set[str] = set()  # bodies of sends answered 5xx
    created: list[str] = []  # queue names whose CreateQueue (possibly after a 5xx) got a 200
    receive_5xx = 0
    fivexx = 0
    big = "y" * 60_000
    for i in range(40):
        body = f"full-{i}-{big}"
        status, result = status_of(lambda: sqs.send_message(QueueUrl=url, MessageBody=body))
        log.append(f"send {i}: {status}")
        if status == 200:
            acked[result["MessageId"]] = body
        elif status >= 500 or status == 0:
            fivexx += 1
            unknown_sends.add(body)
        else:
            pytest.fail(f"send during disk full answered {status}: {result}")

        if held:
            m = held.pop()
            for attempt in range(2):  # a 5xx is retried once, as SDKs do
                status, result = status_of(lambda: sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"]))
                log.append(f"delete {m['MessageId']} attempt {attempt}: {status}")
                if status == 200:
                    acked_deletes.add(m["MessageId"])
                    break
                fivexx += 1

        if i % 5 == 0:
            name = f"diskfull-created-{i}"
            for attempt in range(2):
                status, result = status_of(lambda: sqs.create_queue(QueueName=name))
                log.append(f"create {name} attempt {attempt}: {status}")
                if status == 200:
                    created.append(name)
                    break
                fivexx += 1

        status, result = status_of(lambda: sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10))
        log.append(f"receive: {status}")
        if status != 200:
            receive_5xx += 1
            fivexx += 1
        assert srv.running(), f"the server died while the disk was full; stderr:\n{srv.stderr_text()[-3000:]}"

    assert fivexx > 0, "the disk filled up but no call failed: the test did not exercise anything\n" + "\n".join(log)

    filler.unlink()
    # Writes work again (possibly after a moment).
    deadline = time.monotonic() + 15
    while True:
        status, result = status_of(lambda: sqs.send_message(QueueUrl=url, MessageBody="after-free"))
        if status == 200:
            acked[result["MessageId"]] = "after-free"
            break
        assert time.monotonic() < deadline, f"writes still fail 15 s after the space was freed: {status} {result}"
        time.sleep(0.5)

    problems: list[str] = []
    # Every queue whose CreateQueue got a 200 works: a send to it succeeds (no foreign-key error).
    for name in created:
        status, result = status_of(lambda: sqs.get_queue_url(QueueName=name))
        if status != 200:
            problems.append(f"CreateQueue {name} answered 200 but the queue does not exist: {result}")
            continue
        qurl = result["QueueUrl"]
        status, result = status_of(lambda: sqs.send_message(QueueUrl=qurl, MessageBody="into-created"))
        if status != 200:
            problems.append(f"CreateQueue {name} answered 200 but a send to it fails: {status} {result}")

    time.sleep(2.5)  # the queue's visibility timeout: whatever a receive hid is back now

    def check(snapshot: dict[str, dict], when: str) -> None:
        for mid, body in acked.items():
            if mid in acked_deletes:
                continue
            if mid not in snapshot:
                problems.append(f"{when}: send answered 200 is gone: {mid} {body[:30]!r}")
        for mid in acked_deletes:
            if mid in snapshot:
                problems.append(f"{when}: delete answered 200 but the message is there: {mid}")
        for mid, m in snapshot.items():
            if m["IsVisible"] != "true" and mid not in held_ids:
                problems.append(f"{when}: {mid} still hidden after its visibility timeout (a failed ReceiveMessage hid it?)")

    before = peek(srv.endpoint, url)
    check(before, "before restart")
    delivered_unknown = {mid for mid, m in before.items() if m["Body"] in unknown_sends}

    srv.kill()
    srv.start(port=srv.port)
    sqs = make_client(srv.endpoint, read_timeout=15)
    time.sleep(2.5)
    after = peek(srv.endpoint, url)
    check(after, "after restart")
    for mid in sorted(set(before) - set(after)):
        problems.append(f"restart: {mid} ({before[mid]['Body'][:20]!r}) was in the queue and vanished"
                        + (" (its send was answered 5xx but it was delivered)" if mid in delivered_unknown else ""))
    for mid in sorted(set(after) - set(before)):
        problems.append(f"restart: {mid} ({after[mid]['Body'][:20]!r}) was not in the queue and came back")
    for name in created:
        status, result = status_of(lambda: sqs.get_queue_url(QueueName=name))
        if status != 200:
            problems.append(f"restart: queue {name} (CreateQueue answered 200) is gone: {result}")
            continue
        qurl = result["QueueUrl"]
        status, result = status_of(lambda: sqs.send_message(QueueUrl=qurl, MessageBody="after-restart"))
        if status != 200:
            problems.append(f"restart: send to {name} fails: {status} {result}")

    summary = (
        f"{len(acked)} sends acked, {len(unknown_sends)} sends 5xx ({len(delivered_unknown)} of them delivered), "
        f"{len(acked_deletes)} deletes acked, {len(created)} queues created, {receive_5xx} receives 5xx"
    )
    print(summary)
    assert not problems, summary + "\n" + "\n".join(problems[:40]) + "\ncalls:\n" + ", ".join(log)


def test_disk_full_under_concurrent_sends_keeps_every_acknowledged_send(server_on_tmpfs, small_tmpfs):
    """Many senders at once while the disk fills and frees: failures reach the engine out of order
    (a refused send may report after the reload that covered it), and no reload may drop a send
    answered 200 in between, nor keep one answered 5xx."""
    _concurrent_disk_full_scenario(server_on_tmpfs, small_tmpfs)


def _concurrent_disk_full_scenario(srv: SqsliteServer, mnt: Path) -> None:
    url = make_client(srv.endpoint).create_queue(QueueName="concurrent-full")["QueueUrl"]
    lock = threading.Lock()
    acked: dict[str, str] = {}  # message id -> body, sends answered 200
    failed: set[str] = set()  # bodies of sends answered 5xx (or lost)
    acked_after_free = 0
    phase = {"name": "before"}
    stop = threading.Event()

    def sender(worker: int) -> None:
        nonlocal acked_after_free
        sqs = make_client(srv.endpoint, read_timeout=15)
        n = 0
        while not stop.is_set():
            body = f"w{worker}-{n}-" + "p" * 300
            n += 1
            status, result = status_of(lambda: sqs.send_message(QueueUrl=url, MessageBody=body))
            with lock:
                if status == 200:
                    acked[result["MessageId"]] = body
                    if phase["name"] == "freed":
                        acked_after_free += 1
                elif status >= 500 or status == 0:
                    failed.add(body)
                else:
                    failed.add(body)
                    raise AssertionError(f"send answered {status}: {result}")

    workers = [threading.Thread(target=sender, args=(w,), daemon=True) for w in range(8)]
    for w in workers:
        w.start()
    time.sleep(1)
    filler = mnt / "filler"
    fill(filler)
    with lock:
        phase["name"] = "full"
    time.sleep(2)
    filler.unlink()
    with lock:
        phase["name"] = "freed"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        time.sleep(0.5)
        with lock:
            if acked_after_free >= 200:
                break
    stop.set()
    for w in workers:
        w.join(timeout=30)
    assert srv.running(), f"the server died; stderr:\n{srv.stderr_text()[-3000:]}"
    assert failed, "the disk filled up but no send failed: the test did not exercise anything"
    assert acked_after_free >= 200, f"only {acked_after_free} sends succeeded after the space was freed"

    summary = f"{len(acked)} sends acked ({acked_after_free} after the space was freed), {len(failed)} failed"
    problems: list[str] = []
    # While running: the engine's count (exact here) matches what the disk holds (checked next).
    count = int(make_client(srv.endpoint).get_queue_attributes(
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]["ApproximateNumberOfMessages"])
    srv.kill()
    srv.start(port=srv.port)
    sqs = make_client(srv.endpoint, read_timeout=15)
    stored: dict[str, str] = {}
    while True:
        batch = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=600).get("Messages", [])
        if not batch:
            break
        stored.update({m["MessageId"]: m["Body"] for m in batch})
    problems += [f"send answered 200 is missing after a restart: {mid}" for mid in acked if mid not in stored]
    problems += [f"{mid} ({body[:12]!r}) was answered 5xx yet is stored" for mid, body in stored.items() if mid not in acked and body in failed]
    problems += [f"{mid} was never sent" for mid, body in stored.items() if mid not in acked and body not in failed]
    if count != len(stored):
        problems.append(f"before the restart the queue counted {count} messages; the disk holds {len(stored)}")
    print(summary)
    assert not problems, summary + "\n" + "\n".join(problems[:40])


# --------------------------------------------------------------------------
# unwritable database
# --------------------------------------------------------------------------


@pytest.mark.parametrize("what", ["database-file", "data-folder"])
def test_unwritable_database_refuses_to_start(what, tmp_path):
    box = Sandbox()
    try:
        data = box.owned_dir("data")
        # The database is made by a server run as the current user, then handed to the server user.
        first = SqsliteServer(data, tmp_path / "logs-setup")
        first.start()
        first.client().create_queue(QueueName="before")
        assert first.terminate() == 0
        db = data / "sqslite.db"
        assert db.exists()
        if is_root():
            for p in [data, *data.iterdir()]:
                os.chown(p, NOBODY, NOBODY)
        srv = UnprivilegedServer(box, data, tmp_path / "logs")
        if what == "database-file":
            for p in data.iterdir():
                p.chmod(0o444)
            target = db
        else:
            data.chmod(0o555)
            target = data

        cmd = srv.command(free_port())  # already drops privileges when root
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            out, err = proc.communicate(timeout=8)
        except subprocess.TimeoutExpired:
            detail = ""
            try:
                srv.port = int(cmd[cmd.index("--port") + 1])
                health = requests.get(f"http://127.0.0.1:{srv.port}/health", timeout=2)
                write = srv.client().create_queue
                try:
                    write(QueueName="after")
                    detail = f"/health {health.status_code}; CreateQueue succeeded"
                except ClientError as e:
                    detail = f"/health {health.status_code}; CreateQueue: {e.response.get('Error')}"
            except Exception as e:  # noqa: BLE001 - only for the message
                detail = repr(e)
            proc.kill()
            proc.communicate()
            pytest.fail(f"with a read-only {what} the server kept running instead of refusing to start ({detail})")
        text = err.decode(errors="replace").strip()
        assert proc.returncode != 0, f"exited 0 with a read-only {what}; stderr: {text}"
        assert str(target) in text or target.name in text, f"the message does not name {target}: {text!r}"
        assert "Fatal error" not in text and "Stack dump" not in text and len(text.splitlines()) <= 3, \
            f"not one plain sentence: {text!r}"
    finally:
        for p in box.root.rglob("*"):
            try:
                p.chmod(0o755)
            except OSError:
                pass
        box.cleanup()
