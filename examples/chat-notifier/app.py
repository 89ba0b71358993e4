"""ChatNotifier: "send an email when an event occurs" (the seed's first bullet).

Mapped to the ChatEvents queue; for each processed chat message it
- publishes a notification to the SNS topic TOPIC_ARN, whose email subscribers get it, and
- when MAIL_FROM and MAIL_TO are set, also sends an email straight through SES.

Against sqslite every mail lands in the local mailbox: read it at http://localhost:9324/_aws/ses
or on the admin page's Mailbox tab. Nothing leaves the machine.
"""

import json
import os

import boto3

sns = boto3.client("sns")
ses = boto3.client("ses")


def notify(record):
    try:
        message = json.loads(record["body"])
    except json.JSONDecodeError:
        message = {"text": record["body"]}
    sender = message.get("from", "anonymous")
    text = message.get("text", "")
    subject = f"New chat message from {sender}"
    published = sns.publish(
        TopicArn=os.environ["TOPIC_ARN"],
        Subject=subject,
        Message=f"{sender} wrote: {text}",
        MessageAttributes={"sender": {"DataType": "String", "StringValue": sender}},
    )
    print(f"Published notification {published['MessageId']} for message {record['messageId']}")
    if os.environ.get("MAIL_FROM") and os.environ.get("MAIL_TO"):
        sent = ses.send_email(
            Source=os.environ["MAIL_FROM"],
            Destination={"ToAddresses": os.environ["MAIL_TO"].split(",")},
            Message={
                "Subject": {"Data": subject},
                "Body": {"Text": {"Data": f"{sender} wrote: {text}"}, "Html": {"Data": f"<p><b>{sender}</b> wrote: {text}</p>"}},
            },
        )
        print(f"Emailed {os.environ['MAIL_TO']}: {sent['MessageId']}")


def handler(event, context):
    failures = []
    for record in event.get("Records", []):
        try:
            notify(record)
        except Exception as error:  # report this one message as failed, keep going
            print(f"ERROR {error}")
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
