"""Authentication and authorization (--auth) through the real binary, signed by real SDKs.

Every signature here is computed by botocore (boto3), the AWS CLI, or the AWS SDK for Go v1: a
wrong secret, an unknown key, a stale X-Amz-Date (signed with a patched clock), a body changed
after signing, presigned URLs. Denials are checked for AWS's code, status and message; grants for
IAM's logic (identity policies, queue policies, AddPermission's cross-account grants, explicit
denies). sts:GetCallerIdentity answers on the same port with and without --auth.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import textwrap
from pathlib import Path
from unittest import mock

import boto3
import botocore.auth
import pytest
import requests
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from conftest import REGION, SqsliteServer, run_aws_cli
from test_query_go import go_client  # noqa: F401 (the Go SDK v1 client, built once per module)

ADMIN = ("AKIAADMIN00000000001", "admin-secret")
SENDER = ("AKIAEXAMPLESENDER01", "sender-secret")
PARTNER = ("AKIAPARTNER000000001", "partner-secret")

CONFIG = textwrap.dedent(
    """\
    auth:
      principals:
        - name: admin
          type: user
          accessKeyId: AKIAADMIN00000000001
          secretAccessKey: admin-secret
          policies:
            - {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "*", Resource: "*"}]}
        - name: chat-sender
          type: user
          account: "000000000000"
          accessKeyId: AKIAEXAMPLESENDER01
          secretAccessKey: sender-secret
          policies:
            - Version: "2012-10-17"
              Statement:
                - {Effect: Allow, Action: ["sqs:SendMessage", "sqs:GetQueueUrl"], Resource: "arn:aws:sqs:us-east-1:000000000000:ChatAPP"}
        - name: partner
          type: user
          account: "111111111111"
          accessKeyId: AKIAPARTNER000000001
          secretAccessKey: partner-secret
          policies:
            - '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":"arn:aws:sqs:*:000000000000:*"}]}'
    queues:
      - name: ChatAPP
    """
)


@pytest.fixture(scope="module")
def auth_server(tmp_path_factory):
    base = tmp_path_factory.mktemp("auth-server")
    config = base / "sqslite.yaml"
    config.write_text(CONFIG)
    server = SqsliteServer(base / "data", base / "logs", config=config, extra_args=("--auth", "--deleted-queue-cooldown", "0"))
    server.start()
    yield server
    server.kill()


def client(server, key=ADMIN, service="sqs", **kw):
    return boto3.client(
        service,
        endpoint_url=server.endpoint,
        region_name=REGION,
        aws_access_key_id=key[0],
        aws_secret_access_key=key[1],
        config=Config(retries={"total_max_attempts": 1}),
        **kw,
    )


def error_of(call):
    with pytest.raises(ClientError) as info:
        call()
    response = info.value.response
    return response["Error"], response["ResponseMetadata"]["HTTPStatusCode"]


def signed_post(server, body: bytes, headers: dict, key=ADMIN, service="sqs", send_body: bytes | None = None):
    """A POST signed by botocore's SigV4Auth; `send_body` replaces the body after signing."""
    request = AWSRequest(method="POST", url=server.endpoint + "/", data=body, headers=headers)
    SigV4Auth(Credentials(*key), service, REGION).add_auth(request)
    prepared = request.prepare()
    return requests.post(prepared.url, data=send_body if send_body is not None else body, headers=dict(prepared.headers), timeout=10)


JSON_LIST = {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.ListQueues"}
QUERY = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}


# -- who may do what -----------------------------------------------------------------------------


def test_a_principal_does_what_its_policy_allows_and_nothing_else(auth_server):
    sender = client(auth_server, SENDER)
    url = sender.get_queue_url(QueueName="ChatAPP")["QueueUrl"]
    assert sender.send_message(QueueUrl=url, MessageBody="hello")["MessageId"]
    # A batch needs its single action's permission.
    sent = sender.send_message_batch(QueueUrl=url, Entries=[{"Id": "a", "MessageBody": "x"}])
    assert [entry["Id"] for entry in sent["Successful"]] == ["a"]

    error, status = error_of(lambda: sender.receive_message(QueueUrl=url))
    assert status == 403
    assert error["Code"] == "AccessDenied" and error["Type"] == "Sender"
    assert error["Message"] == (
        "User: arn:aws:iam::000000000000:user/chat-sender is not authorized to perform: sqs:receivemessage "
        "on resource: arn:aws:sqs:us-east-1:000000000000:ChatAPP because no identity-based policy allows the "
        "sqs:receivemessage action"
    )
    error, _ = error_of(lambda: sender.delete_message_batch(QueueUrl=url, Entries=[{"Id": "a", "ReceiptHandle": "x"}]))
    assert "perform: sqs:deletemessage on resource" in error["Message"]
    error, _ = error_of(lambda: sender.purge_queue(QueueUrl=url))
    assert "sqs:purgequeue" in error["Message"]
    error, _ = error_of(lambda: sender.list_queues())
    assert error["Message"].startswith(
        "User: arn:aws:iam::000000000000:user/chat-sender is not authorized to perform: sqs:listqueues on resource: arn:aws:sqs:us-east-1:000000000000: "
    )
    other = client(auth_server).create_queue(QueueName="not-chat")["QueueUrl"]
    error, _ = error_of(lambda: sender.send_message(QueueUrl=other, MessageBody="x"))
    assert "sqs:sendmessage on resource: arn:aws:sqs:us-east-1:000000000000:not-chat" in error["Message"]

    # SenderId is the principal's unique id, as AWS records it.
    admin = client(auth_server)
    messages = admin.receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["SenderId"])["Messages"]
    identity = client(auth_server, SENDER, "sts").get_caller_identity()
    assert {m["Attributes"]["SenderId"] for m in messages} == {identity["UserId"]}
    assert identity["UserId"].startswith("AIDA")


def test_query_protocol_refusals_are_xml(auth_server):
    body = b"Action=ReceiveMessage&Version=2012-11-05&QueueUrl=" + auth_server.queue_url("ChatAPP").encode()
    denied = signed_post(auth_server, body, QUERY, key=SENDER)
    assert denied.status_code == 403
    assert "<Code>AccessDenied</Code>" in denied.text and "<Type>Sender</Type>" in denied.text
    assert "sqs:receivemessage" in denied.text
    unsigned = requests.post(auth_server.endpoint + "/", data=b"Action=ListQueues&Version=2012-11-05", headers=QUERY, timeout=10)
    assert unsigned.status_code == 403
    assert "<Code>MissingAuthenticationToken</Code>" in unsigned.text
    assert "<Message>Request is missing Authentication Token</Message>" in unsigned.text


def test_queue_policy_and_add_permission(auth_server):
    admin = client(auth_server)
    url = admin.create_queue(QueueName="shared")["QueueUrl"]
    partner = client(auth_server, PARTNER)
    error, status = error_of(lambda: partner.send_message(QueueUrl=url, MessageBody="x"))
    assert status == 403
    assert error["Message"] == (
        "User: arn:aws:iam::111111111111:user/partner is not authorized to perform: sqs:sendmessage on resource: "
        "arn:aws:sqs:us-east-1:000000000000:shared because no resource-based policy allows the sqs:sendmessage action"
    )
    admin.add_permission(QueueUrl=url, Label="partner-send", AWSAccountIds=["111111111111"], Actions=["SendMessage"])
    assert partner.send_message(QueueUrl=url, MessageBody="from partner")["MessageId"]
    error, _ = error_of(lambda: partner.receive_message(QueueUrl=url))
    assert "because no resource-based policy allows the sqs:receivemessage action" in error["Message"]
    admin.remove_permission(QueueUrl=url, Label="partner-send")
    error_of(lambda: partner.send_message(QueueUrl=url, MessageBody="x"))

    # A named principal in the queue's policy is enough within the account; an explicit deny wins.
    sender = client(auth_server, SENDER)
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::000000000000:user/chat-sender"}, "Action": "sqs:ReceiveMessage", "Resource": "*"},
            {"Effect": "Deny", "Principal": "*", "Action": "sqs:SendMessage", "Resource": "*",
             "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
        ],
    }
    admin.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(policy)})
    assert "Messages" in sender.receive_message(QueueUrl=url, WaitTimeSeconds=1)
    error, _ = error_of(lambda: admin.send_message(QueueUrl=url, MessageBody="x"))
    assert error["Message"].endswith("with an explicit deny in a resource-based policy")


# -- signatures ----------------------------------------------------------------------------------


def test_a_wrong_secret_is_signature_does_not_match(auth_server):
    error, status = error_of(lambda: client(auth_server, (SENDER[0], "not-the-secret")).get_queue_url(QueueName="ChatAPP"))
    assert status == 403
    assert error["Code"] == "SignatureDoesNotMatch"
    assert error["Message"].startswith("The request signature we calculated does not match the signature you provided.")
    assert "The Canonical String for this request should have been\n'POST\n/\n\ncontent-type:application/x-amz-json-1.0\n" in error["Message"]
    assert "\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n" in error["Message"]


def test_an_unknown_key_is_invalid_client_token_id(auth_server):
    error, status = error_of(lambda: client(auth_server, ("AKIANOBODY", "x")).list_queues())
    assert (error["Code"], status) == ("InvalidClientTokenId", 403)
    assert error["Message"] == "The security token included in the request is invalid."


def test_a_stale_x_amz_date_has_expired(auth_server):
    stale = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - datetime.timedelta(minutes=20)
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=stale):
        error, status = error_of(lambda: client(auth_server).list_queues())
    assert (error["Code"], status) == ("SignatureDoesNotMatch", 403)
    assert re.fullmatch(r"Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)", error["Message"])
    assert error["Message"].startswith(f"Signature expired: {stale:%Y%m%dT%H%M%S}Z")


def test_a_body_changed_after_signing_is_refused(auth_server):
    url = auth_server.queue_url("ChatAPP")
    signed = json.dumps({"QueueUrl": url, "MessageBody": "pay 1 euro"}).encode()
    changed = json.dumps({"QueueUrl": url, "MessageBody": "pay 9 euro"}).encode()
    headers = {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.SendMessage"}
    response = signed_post(auth_server, signed, headers, send_body=changed)
    assert response.status_code == 403
    assert response.headers["x-amzn-query-error"] == "SignatureDoesNotMatch;Sender"
    assert response.json()["__type"].endswith("InvalidSignatureException")
    assert signed_post(auth_server, signed, headers).status_code == 200


def test_unsigned_payload(auth_server):
    body = json.dumps({}).encode()
    headers = {**JSON_LIST, "X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD"}
    assert signed_post(auth_server, body, headers).status_code == 200


def test_presigned_urls(auth_server):
    # botocore's own presigner: SQS speaks JSON, so the URL is a POST with the signed headers.
    admin = client(auth_server)
    url = admin.generate_presigned_url("list_queues", Params={}, ExpiresIn=60)
    assert "X-Amz-Signature=" in url
    headers = {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.ListQueues", "x-amzn-query-mode": "true"}
    answer = requests.post(url, headers=headers, timeout=10)
    assert answer.status_code == 200, answer.text
    assert any(q.endswith("/ChatAPP") for q in answer.json()["QueueUrls"])
    # A Query GET presigned with botocore's SigV4QueryAuth.
    request = AWSRequest(method="GET", url=auth_server.endpoint + "/?Action=GetQueueUrl&Version=2012-11-05&QueueName=ChatAPP")
    SigV4QueryAuth(Credentials(*SENDER), "sqs", REGION, expires=60).add_auth(request)
    answer = requests.get(request.url, timeout=10)
    assert answer.status_code == 200, answer.text
    assert "<QueueUrl>" in answer.text
    tampered = requests.get(request.url.replace("QueueName=ChatAPP", "QueueName=not-chat"), timeout=10)
    assert tampered.status_code == 403 and "<Code>SignatureDoesNotMatch</Code>" in tampered.text
    # Signed 5 minutes ago for 60 seconds: expired.
    past = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - datetime.timedelta(minutes=5)
    old = AWSRequest(method="GET", url=auth_server.endpoint + "/?Action=ListQueues&Version=2012-11-05")
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=past):
        SigV4QueryAuth(Credentials(*ADMIN), "sqs", REGION, expires=60).add_auth(old)
    expired = requests.get(old.url, timeout=10)
    assert expired.status_code == 403 and "Request has expired" in expired.text


def test_the_aws_cli_signs_and_is_refused_with_awss_words(auth_server, cli_env):
    admin_env = {**cli_env, "AWS_ACCESS_KEY_ID": ADMIN[0], "AWS_SECRET_ACCESS_KEY": ADMIN[1]}
    sender_env = {**cli_env, "AWS_ACCESS_KEY_ID": SENDER[0], "AWS_SECRET_ACCESS_KEY": SENDER[1]}
    listed = run_aws_cli(auth_server.endpoint, admin_env, "sqs", "list-queues")
    assert any(url.endswith("/ChatAPP") for url in listed["QueueUrls"])
    identity = run_aws_cli(auth_server.endpoint, sender_env, "sts", "get-caller-identity")
    assert identity["Arn"] == "arn:aws:iam::000000000000:user/chat-sender"
    assert identity["Account"] == "000000000000"
    purge = run_aws_cli(auth_server.endpoint, sender_env, "sqs", "purge-queue", "--queue-url", auth_server.queue_url("ChatAPP"), expect_ok=False)
    assert purge.returncode != 0
    assert "(AccessDenied)" in purge.stderr and "sqs:purgequeue" in purge.stderr
    wrong = run_aws_cli(auth_server.endpoint, {**sender_env, "AWS_SECRET_ACCESS_KEY": "wrong"}, "sqs", "list-queues", expect_ok=False)
    assert "(SignatureDoesNotMatch)" in wrong.stderr


def test_the_go_sdk_v1_signs_every_query_action(auth_server, go_client):  # noqa: F811
    env = dict(os.environ, SQSLITE_GO_ACCESS_KEY_ID=ADMIN[0], SQSLITE_GO_SECRET_ACCESS_KEY=ADMIN[1])
    run = subprocess.run([str(go_client), auth_server.endpoint], capture_output=True, text=True, timeout=120, env=env)
    assert run.returncode == 0, f"{run.stdout}\n{run.stderr}"
    assert "all actions passed" in run.stdout
    env["SQSLITE_GO_SECRET_ACCESS_KEY"] = "wrong"
    run = subprocess.run([str(go_client), auth_server.endpoint], capture_output=True, text=True, timeout=120, env=env)
    assert run.returncode != 0
    assert "SignatureDoesNotMatch" in run.stdout + run.stderr


# -- the other services on the port ---------------------------------------------------------------


def test_lambda_and_logs_apis_check_signatures_and_permissions(auth_server):
    error, status = error_of(lambda: client(auth_server, SENDER, "lambda").list_functions())
    assert (error["Code"], status) == ("AccessDeniedException", 403)
    assert error["Message"] == (
        "User: arn:aws:iam::000000000000:user/chat-sender is not authorized to perform: lambda:ListFunctions on resource: * "
        "because no identity-based policy allows the lambda:ListFunctions action"
    )
    assert client(auth_server, service="lambda").list_functions()["Functions"] == []
    error, status = error_of(lambda: client(auth_server, ("AKIANOBODY", "x"), "lambda").list_functions())
    assert (error["Code"], status) == ("UnrecognizedClientException", 403)

    logs = client(auth_server, service="logs")
    logs.create_log_group(logGroupName="/app/auth-test")
    error, status = error_of(lambda: client(auth_server, SENDER, "logs").describe_log_streams(logGroupName="/app/auth-test"))
    assert (error["Code"], status) == ("AccessDeniedException", 400)
    assert "logs:DescribeLogStreams on resource: arn:aws:logs:us-east-1:000000000000:log-group:/app/auth-test:log-stream:" in error["Message"]
    error, _ = error_of(lambda: client(auth_server, (ADMIN[0], "wrong"), "logs").describe_log_groups())
    assert error["Code"] == "InvalidSignatureException"


def test_health_metrics_and_admin_stay_outside_sigv4(auth_server):
    assert requests.get(auth_server.endpoint + "/health", timeout=10).status_code == 200
    assert requests.get(auth_server.endpoint + "/metrics", timeout=10).status_code == 200
    assert requests.get(auth_server.endpoint + "/admin", timeout=10).status_code == 200


def test_get_caller_identity_without_auth(server):
    sts = client(server, ("test", "test"), "sts")
    identity = sts.get_caller_identity()
    assert (identity["Account"], identity["Arn"]) == ("000000000000", "arn:aws:iam::000000000000:root")
    other = client(server, ("123456789012", "test"), "sts").get_caller_identity()
    assert other["Arn"] == "arn:aws:iam::123456789012:root"


def test_auth_env_variable_and_bad_policies(server_factory, tmp_path, monkeypatch):
    config = tmp_path / "auth.yaml"
    config.write_text(CONFIG)
    monkeypatch.setenv("SQSLITE_AUTH", "1")
    srv = server_factory(config=config, extra_args=("--admin-token", "t0k3n"))
    error, status = error_of(lambda: client(srv, ("AKIANOBODY", "x")).list_queues())
    assert (error["Code"], status) == ("InvalidClientTokenId", 403)
    monkeypatch.delenv("SQSLITE_AUTH")
    # The admin token, not SigV4, guards /metrics and the peek API; /health stays open.
    peek = f"{srv.endpoint}/_aws/sqs/messages?QueueUrl={srv.queue_url('ChatAPP')}"
    for url in (srv.endpoint + "/metrics", peek):
        assert requests.get(url, timeout=10).status_code == 401
        assert requests.get(url, headers={"Authorization": "Bearer t0k3n"}, timeout=10).status_code == 200
    assert requests.get(srv.endpoint + "/health", timeout=10).status_code == 200

    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "auth:\n  enabled: true\n  principals:\n    - name: x\n      type: user\n      policies:\n"
        "        - {Statement: [{Effect: Allow, Action: '*'}]}\n"
    )
    broken = server_factory(config=bad, start=False)
    run = subprocess.run(broken.command(0), capture_output=True, text=True, timeout=30)
    assert run.returncode != 0
    assert "bad.yaml:7" in run.stderr and "auth.principals[0].policies[0]" in run.stderr
    assert "a statement needs Resource or NotResource" in run.stderr


@pytest.mark.parametrize(
    "authorization",
    [
        "AWS4-HMAC-SHA256",
        "AWS4-HMAC-SHA256 Credential=/////, SignedHeaders=, Signature=",
        "AWS4-HMAC-SHA256 Credential=" + "/" * 20000 + ", SignedHeaders=host, Signature=00",
        "AWS4-HMAC-SHA256 Credential=AKIAADMIN00000000001/20240101/us-east-1/sqs/aws4_request, SignedHeaders=host;;;, Signature=zz",
        "AWS4-HMAC-SHA256 Credential=AKIAADMIN00000000001/x/ÜS-ëast/sqs/aws4_request, SignedHeaders=host, Signature=00",
        "AWS4-ECDSA-P256-SHA256 Credential=AKIAADMIN00000000001/20240101/us-east-1/sqs/aws4_request",
        "AWS AKIAADMIN00000000001:c2lnbmF0dXJl",
        ",,,==,=,",
    ],
)
def test_malformed_authorization_headers_are_refused_and_nothing_breaks(auth_server, authorization):
    headers = {**JSON_LIST, "X-Amz-Date": "20240101T000000Z", "Authorization": authorization.encode("utf-8").decode("latin-1")}
    response = requests.post(auth_server.endpoint + "/", data=b"{}", headers=headers, timeout=10)
    assert response.status_code in (400, 403), response.text
    code = response.headers["x-amzn-query-error"].split(";")[0]
    assert code in ("IncompleteSignature", "SignatureDoesNotMatch", "InvalidClientTokenId"), response.text
    assert requests.get(auth_server.endpoint + "/health", timeout=10).status_code == 200


@pytest.mark.parametrize("year", ["9999999999999999999", "99999999999999", "999999999", "24", "+2024"])
def test_a_date_header_with_an_impossible_year_is_refused_and_nothing_breaks(auth_server, year):
    # One such request used to overflow the date arithmetic and stop the server.
    authorization = "AWS4-HMAC-SHA256 Credential=AKIAADMIN00000000001/20240101/us-east-1/sqs/aws4_request, SignedHeaders=date;host, Signature=00"
    headers = {**JSON_LIST, "Date": f"Sun, 30 Aug {year} 12:36:00 GMT", "Authorization": authorization}
    response = requests.post(auth_server.endpoint + "/", data=b"{}", headers=headers, timeout=10)
    assert response.status_code == 400, response.text
    assert response.headers["x-amzn-query-error"] == "IncompleteSignature;Sender"
    assert "requires existence of either a 'X-Amz-Date' or a 'Date' header" in response.text
    assert requests.get(auth_server.endpoint + "/health", timeout=10).status_code == 200


def test_sns_and_ses_check_signatures_and_permissions(auth_server):
    sns = client(auth_server, service="sns")
    topic = sns.create_topic(Name="auth-orders")["TopicArn"]
    # chat-sender may only send to ChatAPP: SNS answers a denial with AuthorizationError (403).
    error, status = error_of(lambda: client(auth_server, SENDER, "sns").publish(TopicArn=topic, Message="hi"))
    assert (error["Code"], status) == ("AuthorizationError", 403)
    assert "is not authorized to perform: SNS:Publish on resource: " + topic in error["Message"]
    error, status = error_of(lambda: client(auth_server, (ADMIN[0], "wrong"), "sns").list_topics())
    assert (error["Code"], status) == ("SignatureDoesNotMatch", 403)
    unsigned = requests.post(auth_server.endpoint + "/", data={"Action": "ListTopics", "Version": "2010-03-31"}, timeout=10)
    assert unsigned.status_code == 403 and "MissingAuthenticationToken" in unsigned.text
    assert sns.publish(TopicArn=topic, Message="hi")["MessageId"]

    ses = client(auth_server, service="ses")
    ses.verify_email_identity(EmailAddress="shop@example.com")
    error, status = error_of(lambda: client(auth_server, SENDER, "ses").send_email(
        Source="shop@example.com", Destination={"ToAddresses": ["a@example.org"]},
        Message={"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "t"}}}))
    assert (error["Code"], status) == ("AccessDenied", 403)
    error, status = error_of(lambda: client(auth_server, SENDER, "sesv2").list_email_identities())
    assert (error["Code"], status) == ("AccessDeniedException", 403)
    assert client(auth_server, service="sesv2").list_email_identities()["EmailIdentities"]
