"""CloudWatch Logs on sqslite's port: boto3's and the AWS CLI's `logs` clients, and the log
group every process function writes (`/aws/lambda/<function>`)."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import REPO, run_aws_cli
from unprivileged import STDLIB_RUNTIME


def logs_client(endpoint: str):
    return boto3.client(
        "logs", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test",
        config=Config(retries={"total_max_attempts": 1}),
    )


def now_ms() -> int:
    return int(time.time() * 1000)


def test_groups_streams_events_and_errors(server_factory):
    srv = server_factory()
    logs = logs_client(srv.endpoint)
    logs.create_log_group(logGroupName="/app/orders", tags={"team": "a"})
    with pytest.raises(ClientError) as error:
        logs.create_log_group(logGroupName="/app/orders")
    assert error.value.response["Error"]["Code"] == "ResourceAlreadyExistsException"
    with pytest.raises(ClientError) as error:
        logs.describe_log_streams(logGroupName="/nope")
    assert error.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert error.value.response["Error"]["Message"] == "The specified log group does not exist."
    logs.create_log_stream(logGroupName="/app/orders", logStreamName="web-1")
    base = now_ms() - 10_000
    result = logs.put_log_events(
        logGroupName="/app/orders", logStreamName="web-1",
        logEvents=[{"timestamp": base - 15 * 86_400_000, "message": "ancient"}]
        + [{"timestamp": base + i, "message": f"{'ERROR' if i % 3 == 0 else 'INFO'} line {i}"} for i in range(7)]
        + [{"timestamp": base + 3 * 3_600_000, "message": "future"}],
    )
    assert result["rejectedLogEventsInfo"] == {"tooOldLogEventEndIndex": 1, "tooNewLogEventStartIndex": 8}
    with pytest.raises(ClientError) as error:
        logs.put_log_events(logGroupName="/app/orders", logStreamName="web-1",
                            logEvents=[{"timestamp": base + 2, "message": "b"}, {"timestamp": base + 1, "message": "a"}])
    assert error.value.response["Error"]["Code"] == "InvalidParameterException"

    group = logs.describe_log_groups(logGroupNamePrefix="/app/")["logGroups"][0]
    assert group["arn"] == "arn:aws:logs:us-east-1:000000000000:log-group:/app/orders:*"
    stream = logs.describe_log_streams(logGroupName="/app/orders", orderBy="LastEventTime", descending=True)["logStreams"][0]
    assert stream["logStreamName"] == "web-1" and stream["lastEventTimestamp"] == base + 6

    # Forward paging by hand ends when the same token comes back.
    seen, token = [], None
    while True:
        kwargs = {"nextToken": token} if token else {}
        page = logs.get_log_events(logGroupName="/app/orders", logStreamName="web-1", startFromHead=True, limit=3, **kwargs)
        seen += [e["message"] for e in page["events"]]
        if page["nextForwardToken"] == token:
            break
        token = page["nextForwardToken"]
    assert seen == [f"{'ERROR' if i % 3 == 0 else 'INFO'} line {i}" for i in range(7)]
    # Backward from the tail.
    back, token = [], None
    while True:
        kwargs = {"nextToken": token} if token else {}
        page = logs.get_log_events(logGroupName="/app/orders", logStreamName="web-1", limit=2, **kwargs)
        back = [e["message"] for e in page["events"]] + back
        if page["nextBackwardToken"] == token:
            break
        token = page["nextBackwardToken"]
    assert back == seen

    pages = logs.get_paginator("filter_log_events").paginate(
        logGroupName="/app/orders", filterPattern="ERROR", startTime=base, PaginationConfig={"PageSize": 1})
    found = [e["message"] for p in pages for e in p["events"]]
    assert found == ["ERROR line 0", "ERROR line 3", "ERROR line 6"]
    excluded = logs.filter_log_events(logGroupName="/app/orders", filterPattern='"ERROR line" -6', startTime=base)["events"]
    assert [e["message"] for e in excluded] == ["ERROR line 0", "ERROR line 3"]
    errors = logs.filter_log_events(logGroupName="/app/orders", filterPattern="?ERROR ?nothing", startTime=base + 1)["events"]
    assert [e["message"] for e in errors] == ["ERROR line 3", "ERROR line 6"]

    logs.tag_resource(resourceArn=group["logGroupArn"], tags={"env": "dev"})
    assert logs.list_tags_for_resource(resourceArn=group["arn"])["tags"] == {"team": "a", "env": "dev"}


def test_json_patterns_retention_and_restart_with_cli(server_factory, cli_env):
    srv = server_factory()
    cli = lambda *args, **kw: run_aws_cli(srv.endpoint, cli_env, "logs", *args, **kw)  # noqa: E731
    cli("create-log-group", "--log-group-name", "svc")
    cli("create-log-stream", "--log-group-name", "svc", "--log-stream-name", "s")
    base = now_ms() - 3 * 86_400_000
    payload = json.dumps([
        {"timestamp": base, "message": '{"level":"INFO","latency":1}'},
        {"timestamp": base + 86_400_000, "message": '{"level":"ERROR","latency":9}'},
        {"timestamp": now_ms(), "message": '{"level":"ERROR","latency":3}'},
    ])
    cli("put-log-events", "--log-group-name", "svc", "--log-stream-name", "s", "--log-events", payload)
    srv.terminate()
    srv.start()
    slow = cli("filter-log-events", "--log-group-name", "svc", "--filter-pattern", "{ $.latency > 5 }")["events"]
    assert [json.loads(e["message"])["latency"] for e in slow] == [9]
    errors = cli("filter-log-events", "--log-group-name", "svc", "--filter-pattern", '{ $.level = "ERROR" }')["events"]
    assert len(errors) == 2
    bad = cli("put-retention-policy", "--log-group-name", "svc", "--retention-in-days", "2", expect_ok=False)
    assert bad.returncode != 0 and "InvalidParameterException" in bad.stderr
    cli("put-retention-policy", "--log-group-name", "svc", "--retention-in-days", "1")
    assert cli("describe-log-groups")["logGroups"][0]["retentionInDays"] == 1
    kept = cli("get-log-events", "--log-group-name", "svc", "--log-stream-name", "s", "--start-from-head")["events"]
    assert [json.loads(e["message"])["latency"] for e in kept] == [3]


def test_process_function_writes_aws_lambda_log_group(server_factory, tmp_path, cli_env):
    folder = tmp_path / "fn"
    folder.mkdir()
    (folder / "bootstrap.py").write_text(STDLIB_RUNTIME)
    config = tmp_path / "config.yaml"
    config.write_text(f"""functions:
  - name: Echo
    command: ["{sys.executable}", "-u", "bootstrap.py"]
    workingDirectory: {folder}
    handler: bootstrap.handler
    timeout: 10
""")
    srv = server_factory(config=config)
    since = now_ms() - 10 * 60_000
    lam = boto3.client("lambda", endpoint_url=srv.endpoint, region_name="us-east-1", aws_access_key_id="test",
                       aws_secret_access_key="test")
    for i in range(2):
        assert lam.invoke(FunctionName="Echo", Payload=b'{"n": %d}' % i)["StatusCode"] == 200
    logs = logs_client(srv.endpoint)
    deadline = time.time() + 5
    while True:
        events = logs.filter_log_events(logGroupName="/aws/lambda/Echo", startTime=since)["events"]
        if sum(e["message"].startswith("REPORT RequestId:") for e in events) >= 2 or time.time() > deadline:
            break
        time.sleep(0.1)
    messages = [e["message"] for e in events]
    assert sum(m.startswith("START RequestId: ") and m.endswith(" Version: $LATEST") for m in messages) == 2
    assert sum(m.startswith("got event ") for m in messages) == 2
    assert sum(m.startswith("END RequestId: ") for m in messages) == 2
    stream = events[0]["logStreamName"]
    assert stream[:4].isdigit() and "/[$LATEST]" in stream and len(stream.split("]")[1]) == 32
    starts = [i for i, m in enumerate(messages) if m.startswith("START")]
    assert messages[starts[0] + 1].startswith("got event") and messages[starts[0] + 2].startswith("END")
    # What `aws logs tail --follow` does (CLI v1 has no `tail`): filter-log-events from a start time.
    tail = run_aws_cli(srv.endpoint, cli_env, "logs", "filter-log-events", "--log-group-name", "/aws/lambda/Echo",
                       "--start-time", str(since), "--filter-pattern", "REPORT")["events"]
    assert len(tail) == 2 and all("Duration:" in e["message"] for e in tail)
    # Stored: the events and their ids survive a restart.
    before = [(e["eventId"], e["timestamp"], e["logStreamName"], e["message"]) for e in events]
    assert messages[0].startswith("INIT_START Runtime Version: ")
    srv.terminate()
    srv.start()
    logs = logs_client(srv.endpoint)
    assert logs.describe_log_streams(logGroupName="/aws/lambda/Echo")["logStreams"][0]["logStreamName"] == stream
    after = [(e["eventId"], e["timestamp"], e["logStreamName"], e["message"])
             for e in logs.filter_log_events(logGroupName="/aws/lambda/Echo", startTime=since)["events"]]
    # (What the process printed while it was stopped follows them.)
    assert after[:len(before)] == before
    # A new process after the restart: a new stream opening with INIT_START, and later event ids.
    lam = boto3.client("lambda", endpoint_url=srv.endpoint, region_name="us-east-1", aws_access_key_id="test",
                       aws_secret_access_key="test")
    assert lam.invoke(FunctionName="Echo", Payload=b"{}")["StatusCode"] == 200
    events = wait_for_events(logs, "/aws/lambda/Echo", lambda ev: sum(e["message"].startswith("REPORT") for e in ev) == 3,
                             startTime=since)
    new = [e for e in events if e["logStreamName"] != stream]
    assert new and new[0]["message"].startswith("INIT_START ") and min(e["eventId"] for e in new) > before[-1][0]
    assert [(e["eventId"], e["timestamp"], e["logStreamName"], e["message"]) for e in events[:len(before)]] == before


def wait_for_events(logs, group, predicate, timeout=10.0, **kwargs):
    """filter_log_events (every page) until `predicate(events)` holds; the server stores log lines
    a moment after it writes them."""
    deadline = time.time() + timeout
    while True:
        try:
            pages = logs.get_paginator("filter_log_events").paginate(logGroupName=group, **kwargs)
            events = [e for page in pages for e in page["events"]]
        except ClientError as error:
            if error.response["Error"]["Code"] != "ResourceNotFoundException":
                raise
            events = []
        if predicate(events) or time.time() > deadline:
            return events
        time.sleep(0.05)


def test_queue_lifecycle_logs_follow_one_message_through_a_dlq_and_back(server_factory, cli_env):
    srv = server_factory(extra_args=("--queue-logs",))
    sqs = srv.client()
    dlq = sqs.create_queue(QueueName="orders-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    url = sqs.create_queue(QueueName="orders", Attributes={
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "1"})})["QueueUrl"]
    message_id = sqs.send_message(QueueUrl=url, MessageBody="order 1")["MessageId"]
    other_id = sqs.send_message(QueueUrl=url, MessageBody="order 2")["MessageId"]
    for _ in range(2):  # the second receive of a message past maxReceiveCount moves it to the DLQ
        for message in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0).get("Messages", []):
            if message["MessageId"] == other_id:
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    assert sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"] == {
        "ApproximateNumberOfMessages": "1"}
    sqs.start_message_move_task(SourceArn=dlq_arn)
    deadline = time.time() + 10
    while sqs.list_message_move_tasks(SourceArn=dlq_arn)["Results"][0]["Status"] != "COMPLETED" and time.time() < deadline:
        time.sleep(0.05)
    back = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=2)["Messages"][0]
    assert back["MessageId"] == message_id
    sqs.delete_message(QueueUrl=url, ReceiptHandle=back["ReceiptHandle"])

    logs = logs_client(srv.endpoint)
    life = wait_for_events(logs, "/sqslite/orders", lambda ev: any("message deleted" in e["message"] for e in ev),
                           filterPattern=message_id)
    steps = [json.loads(e["message"])["event"] for e in life]
    assert steps == ["message sent", "message received", "message moved to dead-letter queue", "message moved by a move task",
                     "message received", "message deleted"], steps
    assert all(json.loads(e["message"])["messageId"] == message_id for e in life)
    assert life[0]["logStreamName"] == time.strftime("%Y/%m/%d", time.gmtime(life[0]["timestamp"] / 1000))
    # The DLQ's group has the message's stay there, and the move task's lines.
    dlq_lines = wait_for_events(logs, "/sqslite/orders-dlq", lambda ev: any("move task ended" in e["message"] for e in ev))
    dlq_events = [json.loads(e["message"])["event"] for e in dlq_lines]
    assert dlq_events == ["queue created", "message moved to dead-letter queue", "message move task started",
                          "message moved by a move task", "message move task ended"], dlq_events
    # JSON patterns work on the lines, and the AWS CLI reads them the same way.
    deletes = run_aws_cli(srv.endpoint, cli_env, "logs", "filter-log-events", "--log-group-name", "/sqslite/orders",
                          "--filter-pattern", '{ $.event = "message deleted" }')["events"]
    assert sorted(json.loads(e["message"])["messageId"] for e in deletes) == sorted([message_id, other_id])


def test_queue_logs_for_the_config_files_queues_only(server_factory, tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("queues:\n  - name: traced\n    logs: true\n  - name: quiet\n")
    srv = server_factory(config=config)
    sqs = srv.client()
    for name in ("traced", "quiet", "later"):
        url = sqs.create_queue(QueueName=name)["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody="x")
    logs = logs_client(srv.endpoint)
    wait_for_events(logs, "/sqslite/traced", lambda ev: any("message sent" in e["message"] for e in ev))
    groups = logs.describe_log_groups(logGroupNamePrefix="/sqslite/")["logGroups"]
    assert [g["logGroupName"] for g in groups] == ["/sqslite/traced"]
    # Bounded by the default --log-retention-days while it has no policy of its own.
    assert groups[0]["retentionInDays"] == 7


# A runtime whose invocations print `lines` numbered lines, `delay` seconds apart, so that an
# invocation writes while it runs.
TICKER_RUNTIME = r'''
import json, os, time, urllib.request

opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
base = "http://%s/2018-06-01/runtime" % os.environ["AWS_LAMBDA_RUNTIME_API"]
print("ticker ready", flush=True)
while True:
    with opener.open(base + "/invocation/next", timeout=None) as r:
        request_id = r.headers["Lambda-Runtime-Aws-Request-Id"]
        event = json.loads(r.read() or b"{}")
    for i in range(event.get("lines", 1)):
        print("tick %s %d" % (event.get("tag", "-"), i), flush=True)
        time.sleep(event.get("delay", 0))
    answer = urllib.request.Request(base + "/invocation/%s/response" % request_id, data=b'{"ok": true}', method="POST")
    opener.open(answer, timeout=30).read()
'''


@pytest.fixture
def ticker(server_factory, tmp_path):
    folder = tmp_path / "ticker"
    folder.mkdir()
    (folder / "bootstrap.py").write_text(TICKER_RUNTIME)
    config = tmp_path / "ticker.yaml"
    config.write_text(f"""functions:
  - name: Ticker
    command: ["{sys.executable}", "-u", "bootstrap.py"]
    workingDirectory: {folder}
    timeout: 30
""")
    return server_factory(config=config)


def lambda_client(endpoint: str):
    return boto3.client("lambda", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
                        aws_secret_access_key="test", config=Config(retries={"total_max_attempts": 1}, read_timeout=60))


def invoke(srv, event, tail=False):
    kwargs = {"LogType": "Tail"} if tail else {}
    response = lambda_client(srv.endpoint).invoke(FunctionName="Ticker", Payload=json.dumps(event).encode(), **kwargs)
    assert response["StatusCode"] == 200 and "FunctionError" not in response
    return response


def follow(logs, group, start, stop, interval):
    """What `aws logs tail --follow` (CLI v2) does: FilterLogEvents with interleaved=true from a
    start time, following nextToken; at the end of the pages, poll again from the newest timestamp
    seen (inclusive) after `interval`, skipping the event ids already seen at that timestamp."""
    kwargs = {"logGroupName": group, "startTime": start, "interleaved": True}
    seen_at_newest = {}
    while not stop.is_set():
        response = logs.filter_log_events(**kwargs)
        for event in response["events"]:
            if event["eventId"] not in seen_at_newest.setdefault(event["timestamp"], set()):
                seen_at_newest[event["timestamp"]].add(event["eventId"])
                yield event
        if seen_at_newest:
            newest = max(seen_at_newest)
            seen_at_newest = {newest: seen_at_newest[newest]}
        if "nextToken" in response:
            kwargs["nextToken"] = response["nextToken"]
        else:
            kwargs.pop("nextToken", None)
            if seen_at_newest:
                kwargs["startTime"] = max(seen_at_newest)
            time.sleep(interval)


def test_lines_are_stored_while_the_invocation_runs_and_tail_returns_the_stored_lines(ticker):
    logs = logs_client(ticker.endpoint)
    since = now_ms() - 60_000
    pool = ThreadPoolExecutor(max_workers=1)
    running = pool.submit(invoke, ticker, {"lines": 40, "delay": 0.05, "tag": "slow"})
    events = wait_for_events(logs, "/aws/lambda/Ticker", lambda ev: any(e["message"] == "tick slow 3" for e in ev),
                             startTime=since)
    assert any(e["message"] == "tick slow 3" for e in events)
    assert not any(e["message"].startswith("END RequestId") for e in events), "stored before the invocation ended"
    assert not running.done()
    running.result(timeout=30)

    # The Tail of an invocation is the last 4 KB of exactly the lines its stream got for it.
    response = invoke(ticker, {"lines": 300, "tag": "many"}, tail=True)
    tail = base64.b64decode(response["LogResult"])
    events = wait_for_events(logs, "/aws/lambda/Ticker",
                             lambda ev: sum(e["message"].startswith("REPORT RequestId: ") for e in ev) == 2, startTime=since)
    messages = [e["message"] for e in events]
    reports = [i for i, m in enumerate(messages) if m.startswith("REPORT RequestId: ")]
    segment = messages[reports[0] + 1:reports[1] + 1]
    assert segment[0].startswith("START RequestId: ") and segment[-2].startswith("END RequestId: ")
    assert len(tail) == 4096
    assert tail == "\n".join(segment).encode()[-4096:]
    assert tail.decode().endswith(messages[reports[1]]) and "tick many 299" in tail.decode()
    pool.shutdown()


def test_tail_follow_loop_sees_every_event_once_with_stable_ids(ticker):
    logs = logs_client(ticker.endpoint)
    start = now_ms()
    invoke(ticker, {"tag": "first"})  # the log group exists from the first invocation on
    wait_for_events(logs, "/aws/lambda/Ticker", lambda ev: True, startTime=start)
    stop = threading.Event()
    seen = []

    def run():
        for event in follow(logs_client(ticker.endpoint), "/aws/lambda/Ticker", start, stop, interval=0.05):
            seen.append(event)

    reader = threading.Thread(target=run)
    reader.start()
    try:
        # Invocations on two processes at once, each writing while the loop polls.
        with ThreadPoolExecutor(max_workers=2) as pool:
            for batch in range(3):
                list(pool.map(lambda tag: invoke(ticker, {"lines": 15, "delay": 0.005, "tag": tag}),
                              [f"{batch}a", f"{batch}b"]))
        deadline = time.time() + 10
        while sum(e["message"].startswith("REPORT") for e in seen) < 7 and time.time() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        reader.join(timeout=10)
    stored = wait_for_events(logs, "/aws/lambda/Ticker", lambda ev: True, startTime=start)
    assert [e["eventId"] for e in seen] == [e["eventId"] for e in stored], "no event lost, none repeated, same order"
    assert len({e["eventId"] for e in seen}) == len(seen)
    ticks = [e["message"] for e in seen if e["message"].startswith("tick ")]
    assert sorted(ticks) == sorted(["tick first 0"] + [f"tick {b}{s} {i}" for b in range(3) for s in "ab" for i in range(15)])
    assert len({e["logStreamName"] for e in seen}) == 2


AWS_CLI_V2 = Path("/usr/bin/aws")


@pytest.mark.skipif(not AWS_CLI_V2.exists(), reason="AWS CLI v2 (Debian's awscli package, installed by .ci/run) is missing")
def test_aws_cli_v2_logs_tail_follow(ticker, cli_env):
    version = subprocess.run([str(AWS_CLI_V2), "--version"], capture_output=True, text=True, env=cli_env).stdout
    assert version.startswith("aws-cli/2."), version
    invoke(ticker, {"lines": 2, "tag": "before"})
    command = [str(AWS_CLI_V2), "logs", "tail", "/aws/lambda/Ticker", "--follow", "--since", "10m", "--format", "short",
               "--endpoint-url", ticker.endpoint]
    tail = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=cli_env,
                            stdin=subprocess.DEVNULL)
    lines = []
    reader = threading.Thread(target=lambda: lines.extend(tail.stdout))
    reader.start()
    try:
        deadline = time.time() + 20
        while not any("tick before 1" in line for line in lines) and time.time() < deadline:
            time.sleep(0.05)
        invoke(ticker, {"lines": 3, "tag": "after"})  # lands after at least one poll: --follow picks it up 5 s later
        while sum("REPORT RequestId" in line for line in lines) < 2 and time.time() < deadline:
            time.sleep(0.1)
    finally:
        tail.terminate()
        tail.wait(timeout=10)
        reader.join(timeout=10)
    messages = [line.rstrip("\n").split(" ", 1)[1] for line in lines if " " in line]
    assert [m for m in messages if m.startswith("tick ")] == ["tick before 0", "tick before 1", "tick after 0", "tick after 1",
                                                              "tick after 2"], lines
    assert sum(m.startswith("START RequestId: ") for m in messages) == 2
    assert messages[0].startswith("INIT_START Runtime Version: ") and messages[1] == "ticker ready"
    # --format short: "<ISO time> <message>"
    assert lines[0][:4].isdigit() and "T" in lines[0].split(" ")[0]


def test_seed_send_receive_delete_function_logs_its_steps_and_the_queue_its_messages_life(server_factory, monkeypatch):
    """examples/sqs-roundtrip unchanged (awslambdaric): its log group shows its send, receive and delete
    lines, and with --queue-logs the queue's group shows the same message id sent, received and deleted."""
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}")
    srv = server_factory(config=REPO / "examples" / "sqslite.yaml", extra_args=("--queue-logs",))
    response = lambda_client(srv.endpoint).invoke(FunctionName="SendReceiveDelete", Payload=b'{"text": "hello"}')
    body = json.loads(json.loads(response["Payload"].read())["body"])
    message_id = body["sent"]
    assert body["received"] == [message_id]
    logs = logs_client(srv.endpoint)
    events = wait_for_events(logs, "/aws/lambda/SendReceiveDelete",
                             lambda ev: any(e["message"].startswith("REPORT RequestId: ") for e in ev))
    messages = [e["message"] for e in events]
    steps = [f"Sent message ID: {message_id}", 'Received message: {"text": "hello"}', f"Deleted message: {message_id}"]
    assert [m for m in messages if m in steps] == steps, messages
    assert messages[0].startswith("INIT_START ") and messages[-1].startswith("REPORT RequestId: ")
    found = logs.filter_log_events(logGroupName="/aws/lambda/SendReceiveDelete", filterPattern=f'"{message_id}"')["events"]
    assert [e["message"] for e in found] == [steps[0], steps[2]]
    life = wait_for_events(logs, "/sqslite/RoundTrip", lambda ev: any("message deleted" in e["message"] for e in ev),
                           filterPattern=message_id)
    assert [json.loads(e["message"])["event"] for e in life] == ["message sent", "message received", "message deleted"]
