"""SendReceiveDelete: a function that sends a message to SQS_QUEUE_URL, receives it and deletes
it, logging each step (the "SQS x Lambda bi-directional" seed). Invoke it manually, as the
console's "Test" button does:

    aws --endpoint-url http://localhost:9324 lambda invoke --function-name SendReceiveDelete \
        --payload '{"text": "hello"}' --cli-binary-format raw-in-base64-out out.json
"""

import json
import os

import boto3

sqs = boto3.client("sqs")
QUEUE_URL = os.environ["SQS_QUEUE_URL"]


def handler(event, context):
    sent = sqs.send_message(QueueUrl=QUEUE_URL, MessageBody=json.dumps(event))
    print(f"Sent message ID: {sent['MessageId']}")

    received = sqs.receive_message(QueueUrl=QUEUE_URL, MaxNumberOfMessages=1, WaitTimeSeconds=5)
    messages = received.get("Messages", [])
    for message in messages:
        print(f"Received message: {message['Body']}")
        sqs.delete_message(QueueUrl=QUEUE_URL, ReceiptHandle=message["ReceiptHandle"])
        print(f"Deleted message: {message['MessageId']}")

    return {
        "statusCode": 200,
        "body": json.dumps({"sent": sent["MessageId"], "received": [m["MessageId"] for m in messages]}),
    }
