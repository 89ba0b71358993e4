"""The seed's "send an email when an event occurs", run as examples/notifications.yaml declares it:
a chat message on ChatEvents reaches ChatNotifier (AWS's Python runtime client), which publishes
to an SNS topic with a confirmed email subscription and mails through SES; both mails are read
back from the mailbox API."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import requests

from conftest import REPO
from sns_helpers import client, mails, wait_for


def test_a_chat_message_ends_up_as_mail_in_the_mailbox(server_factory, monkeypatch):
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    srv = server_factory(config=REPO / "examples" / "notifications.yaml")
    sns = client("sns", srv.endpoint)
    topic = sns.create_topic(Name="ChatNotifications")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="team@example.com")
    confirmation = wait_for("the confirmation mail", lambda: mails(srv.endpoint))[0]
    link = next(line for line in confirmation["Body"]["text_part"].splitlines() if line.startswith("http"))
    assert requests.get(link, timeout=10).status_code == 200

    sqs = srv.client()
    url = sqs.get_queue_url(QueueName="ChatEvents")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"from": "ann", "text": "lunch at noon?"}))

    def notifications():
        found = [m for m in mails(srv.endpoint) if m["Subject"] == "New chat message from ann"]
        return found if len(found) == 2 else None

    found = wait_for("both mails", notifications, timeout=40)
    by_source = {m["Origin"]: m for m in found}
    sns_mail = by_source[topic]
    assert sns_mail["Destination"]["ToAddresses"] == ["team@example.com"]
    assert sns_mail["Body"]["text_part"].startswith("ann wrote: lunch at noon?")
    ses_mail = by_source["SES"]
    assert ses_mail["Source"] == "notifier@example.com" and ses_mail["Destination"]["ToAddresses"] == ["oncall@example.com"]
    assert ses_mail["Body"]["html_part"] == "<p><b>ann</b> wrote: lunch at noon?</p>"
    assert mails(srv.endpoint, email="notifier@example.com")[0]["Id"] == ses_mail["Id"]
