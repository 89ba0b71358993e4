"""SNS on sqslite's port through boto3 and the AWS CLI: topics, subscriptions, publishing,
fan-out into queues with filter policies, raw delivery, FIFO, an HTTP subscriber with its
confirmation and retries, email and SMS into the mailbox, SNS to Lambda, and deliveries that
survive a kill -9."""

from __future__ import annotations

import json
import os
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
from botocore.exceptions import ClientError

from conftest import run_aws_cli
from sns_helpers import Subscriber, body_json, client, mails, queue_arn, receive, signature_is_valid, wait_for


def name(tag: str) -> str:
    return f"{tag}-{uuid.uuid4().hex[:8]}"


def error_of(call, *args, **kwargs) -> tuple[str, int, str]:
    with pytest.raises(ClientError) as error:
        call(*args, **kwargs)
    response = error.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Message"]


@pytest.fixture
def sns(server):
    return client("sns", server.endpoint)


def test_topics_attributes_tags_and_errors(server, sns):
    arn = sns.create_topic(Name=name("orders"), Attributes={"DisplayName": "Orders"}, Tags=[{"Key": "team", "Value": "shop"}])["TopicArn"]
    assert arn.startswith("arn:aws:sns:us-east-1:000000000000:orders-")
    assert sns.create_topic(Name=arn.split(":")[-1], Attributes={"DisplayName": "Orders"})["TopicArn"] == arn
    assert arn in [t["TopicArn"] for t in sns.list_topics()["Topics"]]
    attributes = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
    assert attributes["DisplayName"] == "Orders" and attributes["Owner"] == "000000000000"
    assert json.loads(attributes["EffectiveDeliveryPolicy"])["http"]["defaultHealthyRetryPolicy"]["numRetries"] == 3
    assert json.loads(attributes["Policy"])["Statement"][0]["Resource"] == arn
    sns.set_topic_attributes(TopicArn=arn, AttributeName="DisplayName", AttributeValue="Shop")
    assert sns.get_topic_attributes(TopicArn=arn)["Attributes"]["DisplayName"] == "Shop"
    sns.tag_resource(ResourceArn=arn, Tags=[{"Key": "env", "Value": "dev"}])
    sns.untag_resource(ResourceArn=arn, TagKeys=["team"])
    assert sns.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "env", "Value": "dev"}]

    assert error_of(sns.get_topic_attributes, TopicArn=arn + "-nope") == ("NotFound", 404, "Topic does not exist")
    assert error_of(sns.create_topic, Name="bad.name") == ("InvalidParameter", 400, "Invalid parameter: Topic Name")
    assert error_of(sns.set_topic_attributes, TopicArn=arn, AttributeName="Bogus", AttributeValue="x")[2] == "Invalid parameter: AttributeName"
    assert error_of(sns.list_tags_for_resource, ResourceArn=arn + "-nope")[:2] == ("ResourceNotFound", 404)
    assert error_of(sns.subscribe, TopicArn=arn, Protocol="carrier-pigeon", Endpoint="x")[2] == (
        "Invalid parameter: Amazon SNS does not support this protocol string: carrier-pigeon")
    assert error_of(sns.subscribe, TopicArn=arn, Protocol="http", Endpoint="ftp://x")[2] == (
        "Invalid parameter: Endpoint must match the specified protocol")
    assert error_of(sns.publish, TopicArn=arn, Message="x", MessageDeduplicationId="d")[0] == "InvalidParameter"
    assert error_of(sns.publish, TopicArn=arn, Message="x", MessageAttributes={"n": {"DataType": "Number", "StringValue": "abc"}})[:2] == (
        "ParameterValueInvalid", 400)
    sns.delete_topic(TopicArn=arn)
    sns.delete_topic(TopicArn=arn)  # deleting again is not an error
    assert error_of(sns.get_topic_attributes, TopicArn=arn)[0] == "NotFound"


def test_list_topics_pages_by_100(server_factory):
    srv = server_factory()
    sns = client("sns", srv.endpoint)
    created = {sns.create_topic(Name=f"t{i:03d}")["TopicArn"] for i in range(105)}
    first = sns.list_topics()
    assert len(first["Topics"]) == 100 and "NextToken" in first
    second = sns.list_topics(NextToken=first["NextToken"])
    assert "NextToken" not in second
    assert {t["TopicArn"] for t in first["Topics"] + second["Topics"]} == created
    paged = [t["TopicArn"] for page in sns.get_paginator("list_topics").paginate() for t in page["Topics"]]
    assert sorted(paged) == sorted(created)


def test_fan_out_to_queues_with_filter_policies_and_raw_delivery(server, sns):
    sqs = server.client()
    topic = sns.create_topic(Name=name("events"))["TopicArn"]
    urls = {tag: sqs.create_queue(QueueName=name(tag))["QueueUrl"] for tag in ("all", "red", "big", "body", "raw")}
    subscriptions = {
        "all": {},
        "red": {"FilterPolicy": json.dumps({"color": ["red"]})},
        "big": {"FilterPolicy": json.dumps({"size": [{"numeric": [">=", 10]}], "color": [{"anything-but": "blue"}]})},
        "body": {"FilterPolicy": json.dumps({"order": {"status": [{"prefix": "ship"}]}}), "FilterPolicyScope": "MessageBody"},
        "raw": {"RawMessageDelivery": "true"},
    }
    arns = {}
    for tag, attributes in subscriptions.items():
        arns[tag] = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn(sqs, urls[tag]), Attributes=attributes)["SubscriptionArn"]
    assert sns.get_subscription_attributes(SubscriptionArn=arns["body"])["Attributes"]["FilterPolicyScope"] == "MessageBody"
    assert len(sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]) == 5

    sns.publish(TopicArn=topic, Message=json.dumps({"order": {"status": "shipped"}}), Subject="s1",
                MessageAttributes={"color": {"DataType": "String", "StringValue": "red"}, "size": {"DataType": "Number", "StringValue": "12"}})
    sns.publish(TopicArn=topic, Message=json.dumps({"order": {"status": "new"}}),
                MessageAttributes={"color": {"DataType": "String", "StringValue": "blue"}, "size": {"DataType": "Number", "StringValue": "50"}})
    got = {tag: receive(sqs, url, 2 if tag in ("all", "raw") else 1, timeout=5) for tag, url in urls.items()}
    assert len(got["all"]) == 2 and len(got["raw"]) == 2
    assert [body_json(m)["Subject"] for m in got["red"]] == ["s1"]
    assert [json.loads(body_json(m)["Message"])["order"]["status"] for m in got["big"]] == ["shipped"]
    assert [json.loads(body_json(m)["Message"])["order"]["status"] for m in got["body"]] == ["shipped"]
    envelope = body_json(got["red"][0])
    assert list(envelope) == ["Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp", "SignatureVersion", "Signature",
                              "SigningCertURL", "UnsubscribeURL", "MessageAttributes"]
    assert envelope["MessageAttributes"]["size"] == {"Type": "Number", "Value": "12"}
    assert signature_is_valid(envelope)
    # Raw delivery: the message itself, with its attributes as SQS message attributes.
    raw = receive(sqs, urls["raw"], 0) or got["raw"]
    raw_bodies = sorted(m["Body"] for m in raw)
    assert raw_bodies == sorted([json.dumps({"order": {"status": "shipped"}}), json.dumps({"order": {"status": "new"}})])
    again = sqs.receive_message(QueueUrl=urls["raw"], MessageAttributeNames=["All"], VisibilityTimeout=0, WaitTimeSeconds=1)
    for message in again.get("Messages", []):
        assert message["MessageAttributes"]["color"]["DataType"] == "String"
    # The UnsubscribeURL works (a GET, as a mail client would send it).
    assert requests.get(envelope["UnsubscribeURL"], timeout=10).status_code == 200
    assert arns["red"] not in [s["SubscriptionArn"] for s in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]]
    # A bad filter policy gets SNS's reason.
    code, status, message = error_of(sns.set_subscription_attributes, SubscriptionArn=arns["all"], AttributeName="FilterPolicy",
                                     AttributeValue=json.dumps({"a": [], "b": ["x"]}))
    assert (code, status, message) == ("InvalidParameter", 400, "Invalid parameter: FilterPolicy: Empty arrays are not allowed")


def test_message_structure_json_and_publish_batch(server, sns):
    sqs = server.client()
    topic = sns.create_topic(Name=name("multi"))["TopicArn"]
    url = sqs.create_queue(QueueName=name("multi"))["QueueUrl"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn(sqs, url))
    sns.publish(TopicArn=topic, MessageStructure="json", Message=json.dumps({"default": "for everyone", "sqs": "for queues"}))
    assert body_json(receive(sqs, url, 1)[0])["Message"] == "for queues"
    result = sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[{"Id": f"e{i}", "Message": f"m{i}"} for i in range(3)])
    assert sorted(e["Id"] for e in result["Successful"]) == ["e0", "e1", "e2"] and result["Failed"] == []
    assert sorted(body_json(m)["Message"] for m in receive(sqs, url, 3)) == ["m0", "m1", "m2"]
    assert error_of(sns.publish_batch, TopicArn=topic, PublishBatchRequestEntries=[{"Id": "a", "Message": "x"}] * 2)[0] == "BatchEntryIdsNotDistinct"
    assert error_of(sns.publish_batch, TopicArn=topic,
                    PublishBatchRequestEntries=[{"Id": f"i{i}", "Message": "x"} for i in range(11)])[0] == "TooManyEntriesInBatchRequest"
    assert error_of(sns.publish, TopicArn=topic, Message="x", MessageStructure="json")[2] == (
        "Invalid parameter: Message Structure - JSON message body failed to parse")


def test_fifo_topic_delivers_in_order_to_a_fifo_queue(server, sns):
    sqs = server.client()
    topic = sns.create_topic(Name=name("ledger") + ".fifo", Attributes={"FifoTopic": "true", "ContentBasedDeduplication": "true"})["TopicArn"]
    url = sqs.create_queue(QueueName=name("ledger") + ".fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn(sqs, url), Attributes={"RawMessageDelivery": "true"})
    assert error_of(sns.publish, TopicArn=topic, Message="x")[2] == "Invalid parameter: The MessageGroupId parameter is required for FIFO topics"
    sequence = [sns.publish(TopicArn=topic, Message=f"m{i}", MessageGroupId="g")["SequenceNumber"] for i in range(6)]
    assert sequence == sorted(sequence)
    duplicate = sns.publish(TopicArn=topic, Message="m0", MessageGroupId="g")
    got = receive(sqs, url, 6, AttributeNames=["All"])
    assert [m["Body"] for m in got] == [f"m{i}" for i in range(6)]
    assert got[0]["Attributes"]["MessageGroupId"] == "g"
    assert duplicate["SequenceNumber"] == sequence[0]
    standard = sns.create_topic(Name=name("plain"))["TopicArn"]
    assert error_of(sns.subscribe, TopicArn=standard, Protocol="sqs", Endpoint=queue_arn(sqs, url))[2] == (
        "Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics")


def test_http_subscriber_confirms_and_notifications_are_retried(server, sns):
    subscriber = Subscriber()
    try:
        topic = sns.create_topic(Name=name("hooks"))["TopicArn"]
        assert sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=subscriber.url)["SubscriptionArn"] == "pending confirmation"
        confirmation = wait_for("the confirmation POST", lambda: subscriber.of_type("SubscriptionConfirmation"))[0]
        message = json.loads(confirmation["body"])
        assert message["Type"] == "SubscriptionConfirmation" and message["TopicArn"] == topic
        assert confirmation["headers"]["x-amz-sns-topic-arn"] == topic
        assert signature_is_valid(message)
        pending = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"][0]
        assert pending["SubscriptionArn"] == "PendingConfirmation"
        # Visiting the SubscribeURL confirms, as on AWS.
        answer = requests.get(message["SubscribeURL"], timeout=10)
        assert answer.status_code == 200 and "<ConfirmSubscriptionResult>" in answer.text
        arn = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"][0]["SubscriptionArn"]
        assert arn.startswith(topic + ":")
        sns.set_subscription_attributes(SubscriptionArn=arn, AttributeName="DeliveryPolicy", AttributeValue=json.dumps(
            {"healthyRetryPolicy": {"minDelayTarget": 1, "maxDelayTarget": 1, "numRetries": 3}}))
        subscriber.fail = 2
        published = sns.publish(TopicArn=topic, Message="ping", Subject="hi")["MessageId"]
        notifications = wait_for("the third attempt", lambda: len(subscriber.of_type("Notification")) >= 3 and subscriber.of_type("Notification"))
        assert len(notifications) == 3
        last = notifications[-1]
        assert last["headers"]["x-amz-sns-message-id"] == published
        assert last["headers"]["x-amz-sns-subscription-arn"] == arn
        assert last["headers"]["content-type"].startswith("text/plain")
        assert json.loads(last["body"])["Message"] == "ping"
        assert sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]["PendingConfirmation"] == "false"
    finally:
        subscriber.close()


def test_exhausted_http_deliveries_go_to_the_dead_letter_queue(server, sns):
    sqs = server.client()
    subscriber = Subscriber()
    try:
        topic = sns.create_topic(Name=name("dlq"))["TopicArn"]
        dlq = sqs.create_queue(QueueName=name("dlq"))["QueueUrl"]
        arn = sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=subscriber.url, ReturnSubscriptionArn=True, Attributes={
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": queue_arn(sqs, dlq)}),
            "DeliveryPolicy": json.dumps({"healthyRetryPolicy": {"minDelayTarget": 1, "maxDelayTarget": 1, "numRetries": 1}}),
        })["SubscriptionArn"]
        token = json.loads(wait_for("confirmation", lambda: subscriber.of_type("SubscriptionConfirmation"))[0]["body"])["Token"]
        assert sns.confirm_subscription(TopicArn=topic, Token=token)["SubscriptionArn"] == arn
        subscriber.fail = 100
        sns.publish(TopicArn=topic, Message="lost?")
        moved = receive(sqs, dlq, 1, timeout=10, MessageAttributeNames=["All"])
        assert body_json(moved[0])["Message"] == "lost?"
        assert moved[0]["MessageAttributes"]["ErrorCode"]["StringValue"] == "DeliveryFailed"
        assert len(subscriber.of_type("Notification")) == 2
    finally:
        subscriber.close()


def test_email_and_sms_subscriptions_deliver_into_the_mailbox(server, sns):
    topic = sns.create_topic(Name=name("alerts"), Attributes={"DisplayName": "Alerts"})["TopicArn"]
    address = f"{name('ops')}@example.com"
    sns.subscribe(TopicArn=topic, Protocol="email", Endpoint=address)
    json_address = f"{name('bot')}@example.com"
    sns.subscribe(TopicArn=topic, Protocol="email-json", Endpoint=json_address)
    phone = "+15555550123"
    sns.subscribe(TopicArn=topic, Protocol="sms", Endpoint=phone)
    confirmation = wait_for("the confirmation mail", lambda: [m for m in mails(server.endpoint) if address in m["Destination"]["ToAddresses"]])[0]
    assert confirmation["Subject"] == "AWS Notification - Subscription Confirmation"
    link = next(line for line in confirmation["Body"]["text_part"].splitlines() if line.startswith("http"))
    assert 'href="' in confirmation["Body"]["html_part"]
    assert requests.get(link, timeout=10).status_code == 200
    json_confirmation = wait_for("the email-json confirmation", lambda: [m for m in mails(server.endpoint) if json_address in m["Destination"]["ToAddresses"]])[0]
    requests.get(json.loads(json_confirmation["Body"]["text_part"])["SubscribeURL"], timeout=10)
    sns.publish(TopicArn=topic, Message="disk full", Subject="Alarm")
    mail = wait_for("the notification mail", lambda: [m for m in mails(server.endpoint) if address in m["Destination"]["ToAddresses"] and m["Subject"] == "Alarm"])[0]
    assert mail["Body"]["text_part"].startswith("disk full")
    assert "Action=Unsubscribe" in mail["Body"]["text_part"]
    assert mail["Source"] == '"Alerts" <no-reply@sns.amazonaws.com>'
    assert "From: \"Alerts\" <no-reply@sns.amazonaws.com>" in mail["RawData"]
    as_json = wait_for("the email-json mail", lambda: [m for m in mails(server.endpoint) if json_address in m["Destination"]["ToAddresses"] and m["Subject"] == "Alarm"])[0]
    assert json.loads(as_json["Body"]["text_part"])["Message"] == "disk full"
    sms = wait_for("the text message", lambda: requests.get(f"{server.endpoint}/_aws/sns/sms-messages", params={"phoneNumber": phone}, timeout=10).json()["sms_messages"][phone])
    assert [m["Message"] for m in sms][-1] == "disk full"
    # Publish straight to a phone number.
    sns.publish(PhoneNumber="+15555550199", Message="code 1234")
    direct = requests.get(f"{server.endpoint}/_aws/sns/sms-messages", timeout=10).json()["sms_messages"]["+15555550199"]
    assert direct[-1]["Message"] == "code 1234"


LAMBDA_HANDLER = '''
import json, os
def handler(event, context):
    with open(os.environ["EVENTS_FILE"], "a") as f:
        f.write(json.dumps(event) + "\\n")
    return {"ok": True}
'''


def test_sns_invokes_a_lambda_function_with_the_sns_event(server_factory, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    folder = tmp_path / "fn"
    folder.mkdir()
    (folder / "app.py").write_text(LAMBDA_HANDLER)
    events = tmp_path / "events.jsonl"
    config = tmp_path / "config.yaml"
    config.write_text(f"""functions:
  - name: OnEvent
    command: [python3, -m, awslambdaric, app.handler]
    workingDirectory: {folder}
    handler: app.handler
    environment: {{EVENTS_FILE: "{events}"}}
    timeout: 30
""")
    srv = server_factory(config=config)
    sns = client("sns", srv.endpoint)
    topic = sns.create_topic(Name="to-lambda")["TopicArn"]
    function_arn = "arn:aws:lambda:us-east-1:000000000000:function:OnEvent"
    arn = sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=function_arn)["SubscriptionArn"]
    sns.publish(TopicArn=topic, Message="hello lambda", Subject="s", MessageAttributes={"k": {"DataType": "String", "StringValue": "v"}})
    line = wait_for("the function's event", lambda: events.exists() and events.read_text().strip(), timeout=30)
    record = json.loads(line.splitlines()[0])["Records"][0]
    assert record["EventSource"] == "aws:sns" and record["EventVersion"] == "1.0" and record["EventSubscriptionArn"] == arn
    assert record["Sns"]["Message"] == "hello lambda" and record["Sns"]["TopicArn"] == topic and record["Sns"]["Subject"] == "s"
    assert record["Sns"]["MessageAttributes"] == {"k": {"Type": "String", "Value": "v"}}
    assert record["Sns"]["UnsubscribeUrl"].startswith(srv.endpoint)


def test_deliveries_survive_kill_9(server_factory, tmp_path):
    srv = server_factory(data_dir=tmp_path / "data")
    sns = client("sns", srv.endpoint)
    sqs = srv.client()
    topic = sns.create_topic(Name="durable")["TopicArn"]
    # An HTTP subscriber that is down: its delivery waits for a retry.
    down = Subscriber()
    port = down.server.server_address[1]
    arn = sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=down.url, ReturnSubscriptionArn=True, Attributes={
        "DeliveryPolicy": json.dumps({"healthyRetryPolicy": {"minDelayTarget": 1, "maxDelayTarget": 1, "numRetries": 30}})})["SubscriptionArn"]
    token = json.loads(wait_for("confirmation", lambda: down.of_type("SubscriptionConfirmation"))[0]["body"])["Token"]
    sns.confirm_subscription(TopicArn=topic, Token=token)
    down.close()
    url = sqs.create_queue(QueueName="durable-q")["QueueUrl"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn(sqs, url))
    sns.publish(TopicArn=topic, Message="must arrive")
    time.sleep(0.5)
    srv.kill()
    srv.start()
    sqs = srv.client()
    # The subscriber comes back on the same port; the pending delivery reaches it after the restart.
    revived = Subscriber(port)
    try:
        notifications = wait_for("the delivery after the restart", lambda: revived.of_type("Notification"), timeout=20)
        assert json.loads(notifications[0]["body"])["Message"] == "must arrive"
        assert notifications[0]["headers"]["x-amz-sns-subscription-arn"] == arn
        assert body_json(receive(sqs, url, 1)[0])["Message"] == "must arrive"
        assert client("sns", srv.endpoint).get_topic_attributes(TopicArn=topic)["Attributes"]["SubscriptionsConfirmed"] == "2"
    finally:
        revived.close()


def test_sns_through_the_aws_cli(server, cli_env):
    def aws(*args, expect_ok=True):
        return run_aws_cli(server.endpoint, cli_env, "sns", *args, expect_ok=expect_ok)

    topic = aws("create-topic", "--name", name("cli"))["TopicArn"]
    sqs = server.client()
    url = sqs.create_queue(QueueName=name("cli"))["QueueUrl"]
    arn = aws("subscribe", "--topic-arn", topic, "--protocol", "sqs", "--notification-endpoint", queue_arn(sqs, url),
              "--attributes", '{"RawMessageDelivery": "true"}')["SubscriptionArn"]
    aws("set-subscription-attributes", "--subscription-arn", arn, "--attribute-name", "FilterPolicy",
        "--attribute-value", '{"kind": ["order"]}')
    assert aws("get-subscription-attributes", "--subscription-arn", arn)["Attributes"]["FilterPolicy"] == '{"kind": ["order"]}'
    aws("publish", "--topic-arn", topic, "--message", "skipped", "--message-attributes", '{"kind": {"DataType": "String", "StringValue": "other"}}')
    aws("publish", "--topic-arn", topic, "--message", "from the cli", "--message-attributes", '{"kind": {"DataType": "String", "StringValue": "order"}}')
    assert [m["Body"] for m in receive(sqs, url, 1)] == ["from the cli"]
    assert [s["SubscriptionArn"] for s in aws("list-subscriptions-by-topic", "--topic-arn", topic)["Subscriptions"]] == [arn]
    assert topic in [t["TopicArn"] for t in aws("list-topics")["Topics"]]
    assert arn in [s["SubscriptionArn"] for s in aws("list-subscriptions")["Subscriptions"]]
    aws("tag-resource", "--resource-arn", topic, "--tags", "Key=team,Value=ops")
    assert aws("list-tags-for-resource", "--resource-arn", topic)["Tags"] == [{"Key": "team", "Value": "ops"}]
    aws("unsubscribe", "--subscription-arn", arn)
    aws("delete-topic", "--topic-arn", topic)
    failed = aws("get-topic-attributes", "--topic-arn", topic, expect_ok=False)
    assert failed.returncode != 0 and "NotFound" in failed.stderr
