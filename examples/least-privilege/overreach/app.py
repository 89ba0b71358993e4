"""Overreach: runs with SendReceiveDelete's role (send-receive-delete) and tries what that role does
not allow: purging its own queue and sending to another queue. On AWS both are AccessDenied, and so
they are on sqslite with authentication on. Returns who it runs as and what each attempt got.
"""

import os

import boto3
from botocore.exceptions import ClientError

sqs = boto3.client("sqs")
sts = boto3.client("sts")
QUEUE_URL = os.environ["SQS_QUEUE_URL"]
OTHER_QUEUE_URL = os.environ["OTHER_QUEUE_URL"]


def attempt(call):
    try:
        call()
        return {"ok": True}
    except ClientError as error:
        print(f"{error.response['Error']['Code']}: {error.response['Error']['Message']}")
        return {"code": error.response["Error"]["Code"], "message": error.response["Error"]["Message"]}


def handler(event, context):
    return {
        "identity": sts.get_caller_identity()["Arn"],
        "purge": attempt(lambda: sqs.purge_queue(QueueUrl=QUEUE_URL)),
        "sendElsewhere": attempt(lambda: sqs.send_message(QueueUrl=OTHER_QUEUE_URL, MessageBody="not mine to send")),
    }
