"""MessageProcessor: the ChatAPP queue's SQS-triggered function (the "AWS Messaging Backend" seed).

Lambda calls handler() with a batch of SQS records. Each chat message is processed; a message
whose body cannot be processed is reported in batchItemFailures, so only it goes back to the
queue (and, after the queue's maxReceiveCount, to the dead-letter queue).
"""

import json


def process(record):
    body = record["body"]
    try:
        message = json.loads(body)
    except json.JSONDecodeError:
        message = {"text": body}
    if not isinstance(message, dict):
        message = {"text": str(message)}
    if message.get("poison"):
        raise ValueError(f"cannot process message {record['messageId']}")
    sender = message.get("from", "anonymous")
    print(f"Processed chat message {record['messageId']} from {sender}: {message.get('text', '')}")


def handler(event, context):
    failures = []
    records = event.get("Records", [])
    print(f"Received {len(records)} message(s), request {context.aws_request_id}")
    for record in records:
        try:
            process(record)
        except Exception as error:  # report this one message as failed, keep going
            print(f"ERROR {error}")
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
