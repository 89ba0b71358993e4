"""The Query protocol as hand-written tools speak it: raw form POSTs and GETs, no SDK."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import requests

NS = {"q": "http://queue.amazonaws.com/doc/2012-11-05/"}
FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}


def post(endpoint: str, path: str = "/", **params: str) -> requests.Response:
    return requests.post(endpoint + path, data={"Version": "2012-11-05", **params}, headers=FORM, timeout=10)


def test_form_posts_gets_and_queue_paths(server, unique_name):
    name = unique_name()
    created = post(server.endpoint, Action="CreateQueue", QueueName=name, **{"Tags.1.Key": "k", "Tags.1.Value": "v"})
    assert created.status_code == 200, created.text
    assert created.headers["Content-Type"] == "text/xml"
    root = ET.fromstring(created.content)
    assert root.tag == "{%s}CreateQueueResponse" % NS["q"]
    url = root.find("q:CreateQueueResult/q:QueueUrl", NS).text
    assert url == server.queue_url(name)
    assert root.find("q:ResponseMetadata/q:RequestId", NS).text == created.headers["x-amzn-RequestId"]

    path = f"/000000000000/{name}"
    sent = post(server.endpoint, path, Action="SendMessage", MessageBody="a\r\nb <c>",
                **{"MessageSystemAttribute.1.Name": "AWSTraceHeader", "MessageSystemAttribute.1.Value.DataType": "String",
                   "MessageSystemAttribute.1.Value.StringValue": "Root=1-abc"})
    assert sent.status_code == 200, sent.text
    assert "<MD5OfMessageSystemAttributes>" in sent.text

    # MessageSystemAttributeName.N (2024) beside the deprecated AttributeName.N, over GET.
    got = requests.get(server.endpoint + path, params={
        "Action": "ReceiveMessage", "MessageSystemAttributeName.1": "AWSTraceHeader", "AttributeName.1": "ApproximateReceiveCount",
    }, timeout=10)
    assert got.status_code == 200, got.text
    assert "<Body>a&#xD;\nb &lt;c&gt;</Body>" in got.text
    message = ET.fromstring(got.content).find("q:ReceiveMessageResult/q:Message", NS)
    attributes = {a.find("q:Name", NS).text: a.find("q:Value", NS).text for a in message.findall("q:Attribute", NS)}
    assert attributes == {"AWSTraceHeader": "Root=1-abc", "ApproximateReceiveCount": "1"}
    assert message.find("q:Body", NS).text == "a\r\nb <c>"

    tags = requests.get(server.endpoint + path, params={"Action": "ListQueueTags"}, timeout=10)
    assert "<Tag><Key>k</Key><Value>v</Value></Tag>" in tags.text


def test_errors_in_the_query_shape(server):
    missing = post(server.endpoint, Action="GetQueueUrl", QueueName="no-such-queue")
    assert missing.status_code == 400
    assert re.fullmatch(
        r'<\?xml version="1.0"\?><ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><Error><Type>Sender</Type>'
        r"<Code>AWS.SimpleQueueService.NonExistentQueue</Code><Message>The specified queue does not exist for this wsdl version.</Message>"
        r"<Detail/></Error><RequestId>[0-9a-f-]+</RequestId></ErrorResponse>",
        missing.text,
    ), missing.text
    unknown = post(server.endpoint, Action="Publish")
    assert unknown.status_code == 400 and "<Code>InvalidAction</Code>" in unknown.text
    no_action = post(server.endpoint)
    assert no_action.status_code == 400 and "<Code>MissingAction</Code>" in no_action.text


def test_the_size_limit_is_the_same_over_query(server, unique_name):
    name = unique_name()
    assert post(server.endpoint, Action="CreateQueue", QueueName=name).status_code == 200
    path = f"/000000000000/{name}"
    # Percent-encoding makes the form body up to three times the message; the limit is the message's.
    largest = post(server.endpoint, path, Action="SendMessage", MessageBody="é" * (1024 * 1024 // 2))
    assert largest.status_code == 200, largest.text[:300]
    too_large = post(server.endpoint, path, Action="SendMessage", MessageBody="x" * (1024 * 1024 + 1))
    assert too_large.status_code == 400
    assert "<Code>InvalidParameterValue</Code>" in too_large.text
    assert "Message must be shorter than 1048576 bytes." in too_large.text
