"""Wire-level behaviour: raw HTTP bad input, response headers, /health, queue URL
host handling, multi-account and multi-region isolation."""

from __future__ import annotations

import re
import uuid

import pytest
import requests

from conftest import DEFAULT_ACCOUNT, expect_error, json_call, queue_attrs, signed_request

QUERY_ERROR_RE = re.compile(r"^[A-Za-z0-9.]+;Sender$")


def _error_body(resp: requests.Response) -> dict:
    assert resp.headers.get("Content-Type", "").startswith("application/x-amz-json-1.0"), resp.headers
    body = resp.json()
    assert isinstance(body, dict) and isinstance(body.get("__type"), str) and body["__type"], body
    return body


def _message_of(body: dict) -> str | None:
    return body.get("message") or body.get("Message")


def _assert_still_serving(server) -> None:
    assert requests.get(f"{server.endpoint}/health", timeout=5).status_code == 200
    r = json_call(server.endpoint, "ListQueues", {"QueueNamePrefix": "still-serving-" + uuid.uuid4().hex})
    assert r.status_code == 200, r.text


# ---------------------------------------------------------------- health + headers


def test_health_endpoint(server):
    r = requests.get(f"{server.endpoint}/health", timeout=5)
    assert r.status_code == 200
    assert isinstance(r.json(), dict)


def test_success_response_headers_and_body(server, unique_name):
    name = unique_name()
    r = json_call(server.endpoint, "CreateQueue", {"QueueName": name})
    assert r.status_code == 200
    assert r.headers.get("x-amzn-RequestId")
    assert r.headers["Content-Type"].startswith("application/x-amz-json-1.0")
    assert r.json() == {"QueueUrl": server.queue_url(name)}
    r2 = json_call(server.endpoint, "CreateQueue", {"QueueName": name})
    assert r2.headers["x-amzn-RequestId"] != r.headers["x-amzn-RequestId"]


def test_action_with_empty_output_returns_empty_object(server, unique_name):
    url = json_call(server.endpoint, "CreateQueue", {"QueueName": unique_name()}).json()["QueueUrl"]
    r = json_call(server.endpoint, "SetQueueAttributes", {"QueueUrl": url, "Attributes": {"DelaySeconds": "1"}})
    assert r.status_code == 200
    assert r.json() == {}


def test_modelled_error_wire_format(server, unique_name):
    r = json_call(server.endpoint, "GetQueueUrl", {"QueueName": unique_name()})
    assert r.status_code == 400
    assert r.headers.get("x-amzn-RequestId")
    assert r.headers.get("x-amzn-query-error") == "AWS.SimpleQueueService.NonExistentQueue;Sender"
    body = _error_body(r)
    assert body["__type"].split("#")[-1] == "QueueDoesNotExist"
    assert _message_of(body) == "The specified queue does not exist."


def test_purge_in_progress_wire_status(server, unique_name):
    url = json_call(server.endpoint, "CreateQueue", {"QueueName": unique_name()}).json()["QueueUrl"]
    assert json_call(server.endpoint, "PurgeQueue", {"QueueUrl": url}).status_code == 200
    r = json_call(server.endpoint, "PurgeQueue", {"QueueUrl": url}, extra_headers={"x-amzn-query-mode": "true"})
    assert r.status_code == 403
    assert r.headers.get("x-amzn-query-error") == "AWS.SimpleQueueService.PurgeQueueInProgress;Sender"
    assert _error_body(r)["__type"].split("#")[-1] == "PurgeQueueInProgress"


def test_missing_required_parameter(server):
    r = json_call(server.endpoint, "GetQueueUrl", {})
    assert r.status_code == 400
    assert r.headers.get("x-amzn-query-error") == "MissingParameter;Sender"
    body = _error_body(r)
    assert "QueueName" in (_message_of(body) or "")


# ---------------------------------------------------------------- malformed requests


def _check_protocol_error(server, r: requests.Response) -> dict:
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:300])
    assert r.headers.get("x-amzn-RequestId"), r.headers
    body = _error_body(r)
    assert _message_of(body), f"error body without a message: {body}"
    qe = r.headers.get("x-amzn-query-error")
    if qe is not None:
        assert QUERY_ERROR_RE.match(qe), qe
    _assert_still_serving(server)
    return body


def test_body_not_json(server):
    r = signed_request(server.endpoint, b"{this is not json", "AmazonSQS.ListQueues")
    _check_protocol_error(server, r)


def test_body_is_json_but_not_an_object(server):
    r = signed_request(server.endpoint, b'["a", "b"]', "AmazonSQS.ListQueues")
    _check_protocol_error(server, r)


def test_unknown_target(server):
    r = signed_request(server.endpoint, b"{}", "AmazonSQS.Nope")
    body = _check_protocol_error(server, r)
    assert r.status_code == 400
    assert "UnknownOperation" in body["__type"]


def test_missing_target(server):
    r = signed_request(server.endpoint, b"{}", None)
    _check_protocol_error(server, r)


def test_wrong_target_prefix(server):
    r = signed_request(server.endpoint, b"{}", "AmazonSNS.ListTopics")
    _check_protocol_error(server, r)


@pytest.mark.parametrize(
    "action,payload",
    [
        ("GetQueueUrl", {"QueueName": 123}),
        ("ListQueues", {"MaxResults": "five"}),
        ("CreateQueue", {"QueueName": ["a"]}),
        ("CreateQueue", {"QueueName": "x", "Attributes": "VisibilityTimeout=3"}),
        ("ReceiveMessage", {"QueueUrl": "http://x/000000000000/q", "MaxNumberOfMessages": "1"}),
        ("SendMessageBatch", {"QueueUrl": "http://x/000000000000/q", "Entries": {"Id": "a"}}),
    ],
    ids=["int-for-string", "string-for-int", "list-for-string", "string-for-map", "string-int", "map-for-list"],
)
def test_wrong_parameter_type(server, action, payload):
    r = json_call(server.endpoint, action, payload)
    assert r.status_code == 400
    _check_protocol_error(server, r)


def test_huge_body_rejected_and_server_keeps_serving(server):
    # far beyond anything a valid SQS request can be (a 1 MiB message escapes to ~6 MiB of JSON at most)
    payload = b'{"QueueName":"' + b"a" * (20 * 1024 * 1024) + b'"}'
    try:
        r = signed_request(server.endpoint, payload, "AmazonSQS.CreateQueue", timeout=60)
    except requests.ConnectionError as e:  # server answered early and closed before we finished sending
        pytest.fail(f"server dropped the connection instead of answering with a 4xx: {e}")
    _check_protocol_error(server, r)


def test_server_survives_garbage_on_the_socket(server):
    import socket

    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as s:
        s.sendall(b"THIS IS NOT HTTP\r\n\r\n")
        try:
            s.recv(1024)
        except OSError:
            pass
    _assert_still_serving(server)


# ---------------------------------------------------------------- queue URL host handling


def test_queue_url_echoes_request_host(server, unique_name):
    name = unique_name()
    via_ip = server.client(host="127.0.0.1").create_queue(QueueName=name)["QueueUrl"]
    via_localhost = server.client(host="localhost")
    assert via_ip == f"http://127.0.0.1:{server.port}/{DEFAULT_ACCOUNT}/{name}"
    assert via_localhost.get_queue_url(QueueName=name)["QueueUrl"] == f"http://localhost:{server.port}/{DEFAULT_ACCOUNT}/{name}"
    assert via_localhost.create_queue(QueueName=name)["QueueUrl"] == f"http://localhost:{server.port}/{DEFAULT_ACCOUNT}/{name}"
    assert f"http://localhost:{server.port}/{DEFAULT_ACCOUNT}/{name}" in via_localhost.list_queues(QueueNamePrefix=name)["QueueUrls"]


def test_queue_url_host_is_ignored_for_lookup(server, sqs, unique_name):
    name = unique_name()
    sqs.create_queue(QueueName=name)
    for url in (
        f"http://localhost:{server.port}/{DEFAULT_ACCOUNT}/{name}",
        f"http://sqs.us-east-1.example:1234/{DEFAULT_ACCOUNT}/{name}",
        f"https://sqs.us-east-1.amazonaws.com/{DEFAULT_ACCOUNT}/{name}",
    ):
        sqs.send_message(QueueUrl=url, MessageBody=url)
    bodies = set()
    for _ in range(6):
        for m in sqs.receive_message(QueueUrl=server.queue_url(name), MaxNumberOfMessages=10, WaitTimeSeconds=1).get(
            "Messages", []
        ):
            bodies.add(m["Body"])
        if len(bodies) == 3:
            break
    assert len(bodies) == 3


def test_queue_url_with_wrong_account_in_path_is_not_found(server, sqs, unique_name):
    name = unique_name()
    sqs.create_queue(QueueName=name)
    with expect_error("AWS.SimpleQueueService.NonExistentQueue", 400):
        sqs.send_message(QueueUrl=f"http://127.0.0.1:{server.port}/999999999999/{name}-nope", MessageBody="x")


def test_host_header_without_port(server, unique_name):
    name = unique_name()
    r = json_call(server.endpoint, "CreateQueue", {"QueueName": name}, extra_headers={"Host": "localhost"})
    # requests lets us override Host, but the signature covers it -> sign with the override
    assert r.status_code == 200, r.text
    assert r.json()["QueueUrl"] == f"http://localhost/{DEFAULT_ACCOUNT}/{name}"


# ---------------------------------------------------------------- accounts and regions


def test_account_from_numeric_access_key(server, unique_name):
    name = unique_name()
    acct = "111111111111"
    other = server.client(access_key=acct)
    url = other.create_queue(QueueName=name)["QueueUrl"]
    assert url == f"http://127.0.0.1:{server.port}/{acct}/{name}"
    assert queue_attrs(other, url, "QueueArn")["QueueArn"] == f"arn:aws:sqs:us-east-1:{acct}:{name}"
    default = server.client()
    with expect_error("AWS.SimpleQueueService.NonExistentQueue", 400):
        default.get_queue_url(QueueName=name)
    assert "QueueUrls" not in default.list_queues(QueueNamePrefix=name)
    assert other.list_queues(QueueNamePrefix=name)["QueueUrls"] == [url]


def test_same_name_in_two_accounts_is_two_queues(server, unique_name):
    name = unique_name()
    a = server.client(access_key="222222222222")
    b = server.client(access_key="333333333333")
    url_a = a.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "10"})["QueueUrl"]
    url_b = b.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "20"})["QueueUrl"]
    assert url_a != url_b
    a.send_message(QueueUrl=url_a, MessageBody="for-a")
    assert queue_attrs(a, url_a, "VisibilityTimeout", "ApproximateNumberOfMessages") == {
        "VisibilityTimeout": "10",
        "ApproximateNumberOfMessages": "1",
    }
    assert queue_attrs(b, url_b, "VisibilityTimeout", "ApproximateNumberOfMessages") == {
        "VisibilityTimeout": "20",
        "ApproximateNumberOfMessages": "0",
    }


def test_non_numeric_access_key_uses_default_account(server, unique_name):
    name = unique_name()
    url = server.client(access_key="AKIAIOSFODNN7EXAMPLE").create_queue(QueueName=name)["QueueUrl"]
    assert url == server.queue_url(name)


def test_regions_are_isolated(server, unique_name):
    name = unique_name()
    east = server.client(region="us-east-1")
    west = server.client(region="eu-west-1")
    url_e = east.create_queue(QueueName=name, Attributes={"DelaySeconds": "1"})["QueueUrl"]
    # same name, different attributes, other region: no QueueAlreadyExists
    url_w = west.create_queue(QueueName=name, Attributes={"DelaySeconds": "2"})["QueueUrl"]
    assert queue_attrs(east, url_e, "QueueArn", "DelaySeconds") == {
        "QueueArn": f"arn:aws:sqs:us-east-1:{DEFAULT_ACCOUNT}:{name}",
        "DelaySeconds": "1",
    }
    assert queue_attrs(west, url_w, "QueueArn", "DelaySeconds") == {
        "QueueArn": f"arn:aws:sqs:eu-west-1:{DEFAULT_ACCOUNT}:{name}",
        "DelaySeconds": "2",
    }
    west.send_message(QueueUrl=url_w, MessageBody="west", DelaySeconds=0)
    assert queue_attrs(east, url_e, "ApproximateNumberOfMessages")["ApproximateNumberOfMessages"] == "0"
    assert queue_attrs(west, url_w, "ApproximateNumberOfMessages")["ApproximateNumberOfMessages"] == "1"
    only_west = unique_name("w")
    west.create_queue(QueueName=only_west)
    assert "QueueUrls" not in east.list_queues(QueueNamePrefix=only_west)
    with expect_error("AWS.SimpleQueueService.NonExistentQueue", 400):
        east.get_queue_url(QueueName=only_west)
    west.delete_queue(QueueUrl=url_w)
    assert east.get_queue_url(QueueName=name)["QueueUrl"] == url_e
