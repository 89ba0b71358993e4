"""Queue management over the JSON protocol via boto3: CreateQueue, GetQueueUrl,
ListQueues, DeleteQueue, Get/SetQueueAttributes, PurgeQueue, tags."""

from __future__ import annotations

import json
import time
import uuid

import pytest

from conftest import DEFAULT_ACCOUNT, expect_error, queue_attrs, counts

DEFAULT_ATTRIBUTES = {
    "VisibilityTimeout": "30",
    "MaximumMessageSize": "1048576",
    "MessageRetentionPeriod": "345600",
    "DelaySeconds": "0",
    "ReceiveMessageWaitTimeSeconds": "0",
    "ApproximateNumberOfMessages": "0",
    "ApproximateNumberOfMessagesNotVisible": "0",
    "ApproximateNumberOfMessagesDelayed": "0",
}


# ---------------------------------------------------------------- CreateQueue


def test_create_queue_returns_url_with_host_account_and_name(sqs, server, unique_name):
    name = unique_name()
    resp = sqs.create_queue(QueueName=name)
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert resp["QueueUrl"] == f"http://127.0.0.1:{server.port}/{DEFAULT_ACCOUNT}/{name}"


def test_create_queue_is_idempotent_with_same_attributes(sqs, unique_name):
    name = unique_name()
    attrs = {"VisibilityTimeout": "45", "DelaySeconds": "2"}
    first = sqs.create_queue(QueueName=name, Attributes=attrs)["QueueUrl"]
    second = sqs.create_queue(QueueName=name, Attributes=attrs)["QueueUrl"]
    assert first == second
    assert queue_attrs(sqs, first, "VisibilityTimeout", "DelaySeconds") == attrs


def test_create_queue_with_explicit_default_values_is_idempotent(sqs, unique_name):
    # AWS-recorded: re-creating with attribute values equal to the defaults succeeds.
    name = unique_name()
    first = sqs.create_queue(QueueName=name)["QueueUrl"]
    second = sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "30", "DelaySeconds": "0"})["QueueUrl"]
    assert first == second


def test_create_queue_with_different_attributes_fails(sqs, unique_name):
    name = unique_name()
    url = sqs.create_queue(QueueName=name, Attributes={"DelaySeconds": "1"})["QueueUrl"]
    with expect_error("QueueAlreadyExists", 400) as ei:
        sqs.create_queue(QueueName=name, Attributes={"DelaySeconds": "2"})
    # the modelled exception class is chosen from the JSON __type
    assert type(ei.value).__name__ == "QueueNameExists"
    # the existing queue is unchanged
    assert queue_attrs(sqs, url, "DelaySeconds") == {"DelaySeconds": "1"}


def test_create_queue_with_tags(sqs, unique_name):
    url = sqs.create_queue(QueueName=unique_name(), tags={"team": "shop", "env": "dev"})["QueueUrl"]
    assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {"team": "shop", "env": "dev"}


@pytest.mark.parametrize("bad_name", ["has space", "dot.name", "x" * 81, "bang!"])
def test_create_queue_invalid_name(sqs, bad_name):
    with expect_error("InvalidParameterValue", 400):
        sqs.create_queue(QueueName=bad_name)


def test_create_queue_max_length_name(sqs):
    name = ("n" + uuid.uuid4().hex).ljust(80, "x")
    assert len(name) == 80
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    assert url.endswith("/" + name)


@pytest.mark.parametrize(
    "attr,value",
    [
        ("VisibilityTimeout", "43201"),
        ("VisibilityTimeout", "-1"),
        ("DelaySeconds", "901"),
        ("MessageRetentionPeriod", "59"),
        ("MaximumMessageSize", "1048577"),
        ("ReceiveMessageWaitTimeSeconds", "21"),
        ("VisibilityTimeout", "abc"),
    ],
)
def test_create_queue_invalid_attribute_value(sqs, unique_name, attr, value):
    name = unique_name()
    with expect_error("InvalidAttributeValue", 400):
        sqs.create_queue(QueueName=name, Attributes={attr: value})
    # nothing was created
    with expect_error("AWS.SimpleQueueService.NonExistentQueue", 400):
        sqs.get_queue_url(QueueName=name)


def test_create_queue_unknown_attribute_name(sqs, unique_name):
    with expect_error("InvalidAttributeName", 400):
        sqs.create_queue(QueueName=unique_name(), Attributes={"NoSuchAttribute": "1"})


# ---------------------------------------------------------------- GetQueueUrl


def test_get_queue_url(sqs, server, unique_name):
    name = unique_name()
    created = sqs.create_queue(QueueName=name)["QueueUrl"]
    assert sqs.get_queue_url(QueueName=name)["QueueUrl"] == created


def test_get_queue_url_nonexistent(sqs, unique_name):
    with expect_error("AWS.SimpleQueueService.NonExistentQueue", 400) as ei:
        sqs.get_queue_url(QueueName=unique_name())
    assert type(ei.value).__name__ == "QueueDoesNotExist"
    assert isinstance(ei.value, sqs.exceptions.QueueDoesNotExist)


# ---------------------------------------------------------------- ListQueues


def test_list_queues_with_prefix(sqs, unique_name):
    prefix = "lq" + uuid.uuid4().hex[:10]
    urls = {sqs.create_queue(QueueName=f"{prefix}-{i}")["QueueUrl"] for i in range(3)}
    other = sqs.create_queue(QueueName=unique_name())["QueueUrl"]
    listed = sqs.list_queues(QueueNamePrefix=prefix)
    assert set(listed["QueueUrls"]) == urls
    assert other not in listed["QueueUrls"]
    assert "NextToken" not in listed


def test_list_queues_without_prefix_includes_new_queue(sqs, queue_url):
    assert queue_url in sqs.list_queues()["QueueUrls"]


def test_list_queues_empty_result_has_no_queue_urls_key(sqs):
    resp = sqs.list_queues(QueueNamePrefix="nothing-matches-" + uuid.uuid4().hex)
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert "QueueUrls" not in resp
    assert "NextToken" not in resp


def test_list_queues_paging(sqs):
    prefix = "pg" + uuid.uuid4().hex[:10]
    urls = {sqs.create_queue(QueueName=f"{prefix}-{i}")["QueueUrl"] for i in range(5)}
    page1 = sqs.list_queues(QueueNamePrefix=prefix, MaxResults=2)
    assert len(page1["QueueUrls"]) == 2
    assert page1.get("NextToken")
    page2 = sqs.list_queues(QueueNamePrefix=prefix, MaxResults=2, NextToken=page1["NextToken"])
    assert len(page2["QueueUrls"]) == 2
    assert page2.get("NextToken")
    page3 = sqs.list_queues(QueueNamePrefix=prefix, MaxResults=2, NextToken=page2["NextToken"])
    assert len(page3["QueueUrls"]) == 1
    assert "NextToken" not in page3
    seen = page1["QueueUrls"] + page2["QueueUrls"] + page3["QueueUrls"]
    assert len(seen) == len(set(seen)) == 5
    assert set(seen) == urls


def test_list_queues_paginator(sqs):
    prefix = "pn" + uuid.uuid4().hex[:10]
    urls = {sqs.create_queue(QueueName=f"{prefix}-{i}")["QueueUrl"] for i in range(3)}
    pages = list(sqs.get_paginator("list_queues").paginate(QueueNamePrefix=prefix, PaginationConfig={"PageSize": 1}))
    assert len(pages) == 3
    assert {u for p in pages for u in p.get("QueueUrls", [])} == urls


def test_list_queues_max_results_out_of_range(sqs):
    with expect_error("InvalidParameterValue", 400):
        sqs.list_queues(MaxResults=1001)
    with expect_error("InvalidParameterValue", 400):
        sqs.list_queues(MaxResults=0)


# ---------------------------------------------------------------- DeleteQueue


def test_delete_queue(sqs, unique_name):
    name = unique_name()
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="x")
    resp = sqs.delete_queue(QueueUrl=url)
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
    with expect_error("AWS.SimpleQueueService.NonExistentQueue", 400):
        sqs.get_queue_url(QueueName=name)
    with expect_error("AWS.SimpleQueueService.NonExistentQueue", 400):
        sqs.send_message(QueueUrl=url, MessageBody="x")
    assert url not in sqs.list_queues(QueueNamePrefix=name).get("QueueUrls", [])


def test_delete_nonexistent_queue(sqs, server, unique_name):
    with expect_error("AWS.SimpleQueueService.NonExistentQueue", 400):
        sqs.delete_queue(QueueUrl=server.queue_url(unique_name()))


# ---------------------------------------------------------------- GetQueueAttributes


def test_get_queue_attributes_all_defaults(sqs, server, unique_name):
    name = unique_name()
    before = int(time.time())
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    after = int(time.time())
    attrs = queue_attrs(sqs, url, "All")
    for key, value in DEFAULT_ATTRIBUTES.items():
        assert attrs.get(key) == value, f"{key}: {attrs.get(key)!r} != {value!r}"
    assert attrs["QueueArn"] == f"arn:aws:sqs:us-east-1:{DEFAULT_ACCOUNT}:{name}"
    # epoch *seconds*
    created = int(attrs["CreatedTimestamp"])
    modified = int(attrs["LastModifiedTimestamp"])
    assert before - 1 <= created <= after + 1
    assert created <= modified <= after + 1
    # AWS-recorded: a default standard queue returns exactly these (no FIFO-only, no unset
    # Policy/RedrivePolicy/Kms*), and SQS-managed SSE is on by default for new queues.
    assert attrs["SqsManagedSseEnabled"] == "true"
    expected_keys = set(DEFAULT_ATTRIBUTES) | {"QueueArn", "CreatedTimestamp", "LastModifiedTimestamp", "SqsManagedSseEnabled"}
    assert set(attrs) == expected_keys, f"extra: {set(attrs) - expected_keys}, missing: {expected_keys - set(attrs)}"


def test_get_queue_attributes_no_names_returns_nothing(sqs, queue_url):
    # AttributeNames omitted: AWS returns no attributes at all.
    resp = sqs.get_queue_attributes(QueueUrl=queue_url)
    assert resp.get("Attributes", {}) == {}


def test_get_queue_attributes_named_only(sqs, queue_url):
    attrs = queue_attrs(sqs, queue_url, "VisibilityTimeout", "QueueArn")
    assert set(attrs) == {"VisibilityTimeout", "QueueArn"}
    assert attrs["VisibilityTimeout"] == "30"


def test_get_queue_attributes_unknown_name(sqs, queue_url):
    with expect_error("InvalidAttributeName", 400):
        sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["NoSuchAttribute"])


def test_get_queue_attributes_computed_counts(sqs, queue_url):
    sqs.send_message(QueueUrl=queue_url, MessageBody="a")
    sqs.send_message(QueueUrl=queue_url, MessageBody="b")
    sqs.send_message(QueueUrl=queue_url, MessageBody="c", DelaySeconds=60)
    assert counts(sqs, queue_url) == (2, 0, 1)
    got = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=1, VisibilityTimeout=60)["Messages"]
    assert len(got) == 1
    assert counts(sqs, queue_url) == (1, 1, 1)
    sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=got[0]["ReceiptHandle"])
    assert counts(sqs, queue_url) == (1, 0, 1)


def test_get_queue_attributes_nonexistent_queue(sqs, server, unique_name):
    with expect_error("AWS.SimpleQueueService.NonExistentQueue", 400):
        sqs.get_queue_attributes(QueueUrl=server.queue_url(unique_name()), AttributeNames=["All"])


# ---------------------------------------------------------------- SetQueueAttributes


def test_set_queue_attributes_roundtrip(sqs, queue_url):
    new = {
        "VisibilityTimeout": "69",
        "MaximumMessageSize": "2048",
        "MessageRetentionPeriod": "60",
        "DelaySeconds": "420",
        "ReceiveMessageWaitTimeSeconds": "10",
    }
    resp = sqs.set_queue_attributes(QueueUrl=queue_url, Attributes=new)
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert queue_attrs(sqs, queue_url, *new) == new


@pytest.mark.parametrize(
    "attr,lo,hi",
    [
        ("VisibilityTimeout", "0", "43200"),
        ("DelaySeconds", "0", "900"),
        ("MessageRetentionPeriod", "60", "1209600"),
        ("MaximumMessageSize", "1024", "1048576"),
        ("ReceiveMessageWaitTimeSeconds", "0", "20"),
    ],
)
def test_set_queue_attributes_range_bounds(sqs, queue_url, attr, lo, hi):
    for ok in (lo, hi):
        sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={attr: ok})
        assert queue_attrs(sqs, queue_url, attr) == {attr: ok}
    for bad in (str(int(lo) - 1), str(int(hi) + 1)):
        with expect_error("InvalidAttributeValue", 400):
            sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={attr: bad})
    # a failed set leaves the last good value
    assert queue_attrs(sqs, queue_url, attr) == {attr: hi}


def test_set_queue_attributes_unknown_name(sqs, queue_url):
    with expect_error("InvalidAttributeName", 400):
        sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"Bogus": "1"})


def test_set_queue_attributes_read_only_attribute(sqs, queue_url):
    # computed attributes cannot be set
    with expect_error("InvalidAttributeName", 400):
        sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"ApproximateNumberOfMessages": "5"})


def test_last_modified_timestamp_advances(sqs, queue_url):
    created = int(queue_attrs(sqs, queue_url, "CreatedTimestamp")["CreatedTimestamp"])
    time.sleep(1.1)
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"VisibilityTimeout": "31"})
    attrs = queue_attrs(sqs, queue_url, "CreatedTimestamp", "LastModifiedTimestamp")
    assert int(attrs["CreatedTimestamp"]) == created
    assert int(attrs["LastModifiedTimestamp"]) >= created + 1


def test_redrive_policy_is_stored_and_returned(sqs, make_queue, unique_name):
    dlq = make_queue("dlq")
    dlq_arn = queue_attrs(sqs, dlq, "QueueArn")["QueueArn"]
    src = make_queue("src")
    policy = {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 5}
    sqs.set_queue_attributes(QueueUrl=src, Attributes={"RedrivePolicy": json.dumps(policy)})
    got = json.loads(queue_attrs(sqs, src, "RedrivePolicy")["RedrivePolicy"])
    assert got == policy  # maxReceiveCount comes back as a JSON number
    assert "RedrivePolicy" in queue_attrs(sqs, src, "All")


def test_redrive_policy_max_receive_count_out_of_range(sqs, make_queue):
    dlq_arn = queue_attrs(sqs, make_queue("dlq"), "QueueArn")["QueueArn"]
    src = make_queue("src")
    with expect_error("InvalidParameterValue", 400):
        sqs.set_queue_attributes(
            QueueUrl=src,
            Attributes={"RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 1001})},
        )


# ---------------------------------------------------------------- PurgeQueue


def test_purge_queue_and_second_purge_within_60s(sqs, queue_url):
    for i in range(3):
        sqs.send_message(QueueUrl=queue_url, MessageBody=f"m{i}")
    sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=1, VisibilityTimeout=60)
    resp = sqs.purge_queue(QueueUrl=queue_url)
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert counts(sqs, queue_url) == (0, 0, 0)
    assert "Messages" not in sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=0)
    with expect_error("AWS.SimpleQueueService.PurgeQueueInProgress", 403) as ei:
        sqs.purge_queue(QueueUrl=queue_url)
    assert type(ei.value).__name__ == "PurgeQueueInProgress"
    # messages sent after the purge are kept
    sqs.send_message(QueueUrl=queue_url, MessageBody="after")
    msgs = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=1)["Messages"]
    assert [m["Body"] for m in msgs] == ["after"]


def test_purge_nonexistent_queue(sqs, server, unique_name):
    with expect_error("AWS.SimpleQueueService.NonExistentQueue", 400):
        sqs.purge_queue(QueueUrl=server.queue_url(unique_name()))


# ---------------------------------------------------------------- tags


def test_tag_untag_list(sqs, queue_url):
    resp = sqs.list_queue_tags(QueueUrl=queue_url)
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert "Tags" not in resp  # no tags: key omitted
    sqs.tag_queue(QueueUrl=queue_url, Tags={"a": "1", "b": "2"})
    assert sqs.list_queue_tags(QueueUrl=queue_url)["Tags"] == {"a": "1", "b": "2"}
    sqs.tag_queue(QueueUrl=queue_url, Tags={"b": "22", "c": ""})  # overwrite + empty value
    assert sqs.list_queue_tags(QueueUrl=queue_url)["Tags"] == {"a": "1", "b": "22", "c": ""}
    sqs.untag_queue(QueueUrl=queue_url, TagKeys=["a", "does-not-exist"])
    assert sqs.list_queue_tags(QueueUrl=queue_url)["Tags"] == {"b": "22", "c": ""}
    sqs.untag_queue(QueueUrl=queue_url, TagKeys=["b", "c"])
    assert "Tags" not in sqs.list_queue_tags(QueueUrl=queue_url)


def test_tags_on_nonexistent_queue(sqs, server, unique_name):
    url = server.queue_url(unique_name())
    with expect_error("AWS.SimpleQueueService.NonExistentQueue", 400):
        sqs.tag_queue(QueueUrl=url, Tags={"a": "1"})
    with expect_error("AWS.SimpleQueueService.NonExistentQueue", 400):
        sqs.list_queue_tags(QueueUrl=url)
    with expect_error("AWS.SimpleQueueService.NonExistentQueue", 400):
        sqs.untag_queue(QueueUrl=url, TagKeys=["a"])


def test_recreating_a_deleted_queue_within_60_seconds_is_queue_deleted_recently(sqs, unique_name):
    name = unique_name()
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    sqs.delete_queue(QueueUrl=url)
    with expect_error("AWS.SimpleQueueService.QueueDeletedRecently", 400) as err:
        sqs.create_queue(QueueName=name)
    assert err.value.response["Error"]["Message"] == (
        "You must wait 60 seconds after deleting a queue before you can create another with the same name."
    )


def test_deleted_queue_cooldown_can_be_turned_off(server_factory):
    srv = server_factory(extra_args=("--deleted-queue-cooldown", "0"))
    c = srv.client()
    url = c.create_queue(QueueName="phoenix")["QueueUrl"]
    c.send_message(QueueUrl=url, MessageBody="old")
    c.delete_queue(QueueUrl=url)
    assert c.create_queue(QueueName="phoenix")["QueueUrl"] == url
    assert "Messages" not in c.receive_message(QueueUrl=url)
