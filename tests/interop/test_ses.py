"""SES v1 (Query) and v2 (REST-JSON) through boto3 and the AWS CLI, and the local mailbox that
every mail lands in (`/_aws/ses`, LocalStack's shape). No mail leaves the machine."""

from __future__ import annotations

import base64
import json
import uuid

import pytest
import requests
from botocore.exceptions import ClientError

from conftest import run_aws_cli
from sns_helpers import client, mails


def address(tag: str) -> str:
    return f"{tag}-{uuid.uuid4().hex[:8]}@example.com"


def test_unverified_senders_are_rejected_and_verified_ones_land_in_the_mailbox(server):
    ses = client("ses", server.endpoint)
    sender = address("shop")
    message = {"Subject": {"Data": "Your order"}, "Body": {"Text": {"Data": "Thanks!"}, "Html": {"Data": "<p>Thanks!</p>"}}}
    with pytest.raises(ClientError) as error:
        ses.send_email(Source=sender, Destination={"ToAddresses": ["ann@example.org"]}, Message=message)
    assert error.value.response["Error"]["Code"] == "MessageRejected"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error.value.response["Error"]["Message"] == (
        f"Email address is not verified. The following identities failed the check in region US-EAST-1: {sender}")
    ses.verify_email_identity(EmailAddress=sender)
    assert sender in ses.list_identities(IdentityType="EmailAddress")["Identities"]
    attributes = ses.get_identity_verification_attributes(Identities=[sender])["VerificationAttributes"]
    assert attributes[sender]["VerificationStatus"] == "Success"
    message_id = ses.send_email(Source=sender, Destination={"ToAddresses": ["ann@example.org"], "CcAddresses": ["bob@example.org"]},
                                Message=message)["MessageId"]
    [mail] = mails(server.endpoint, email=sender)
    assert mail["Id"] == message_id and mail["Source"] == sender and mail["Region"] == "us-east-1"
    assert mail["Destination"] == {"ToAddresses": ["ann@example.org"], "CcAddresses": ["bob@example.org"]}
    assert mail["Subject"] == "Your order"
    assert mail["Body"] == {"text_part": "Thanks!", "html_part": "<p>Thanks!</p>"}
    assert "multipart/alternative" in mail["RawData"] and mail["Timestamp"].endswith("Z")
    assert mails(server.endpoint, id=message_id)[0]["Id"] == message_id
    # A verified domain covers every address in it.
    domain = f"{uuid.uuid4().hex[:8]}.example.net"
    assert ses.verify_domain_identity(Domain=domain)["VerificationToken"]
    ses.send_email(Source=f"noreply@{domain}", Destination={"ToAddresses": ["x@example.org"]}, Message=message)
    quota = ses.get_send_quota()
    assert quota["Max24HourSend"] == 200.0 and quota["SentLast24Hours"] >= 2
    ses.delete_identity(Identity=sender)
    with pytest.raises(ClientError):
        ses.send_email(Source=sender, Destination={"ToAddresses": ["ann@example.org"]}, Message=message)
    # DELETE empties one mail, then all.
    assert requests.delete(f"{server.endpoint}/_aws/ses", params={"id": message_id}, timeout=10).status_code == 204
    assert mails(server.endpoint, id=message_id) == []


def test_raw_email_is_read_into_its_parts(server):
    ses = client("ses", server.endpoint)
    sender = address("raw")
    ses.verify_email_address(EmailAddress=sender)
    raw = (f"From: Raw Sender <{sender}>\r\nTo: dest@example.org\r\nSubject: =?UTF-8?B?{base64.b64encode('Grüße'.encode()).decode()}?=\r\n"
           "MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=XX\r\n\r\n"
           "--XX\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nplain body\r\n"
           "--XX\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n<i>html body</i>\r\n--XX--\r\n")
    message_id = ses.send_raw_email(RawMessage={"Data": raw.encode()})["MessageId"]
    [mail] = mails(server.endpoint, id=message_id)
    assert mail["Subject"] == "Grüße"
    assert mail["Destination"]["ToAddresses"] == ["dest@example.org"]
    assert mail["Body"] == {"text_part": "plain body", "html_part": "<i>html body</i>"}
    assert mail["RawData"] == raw


def test_sesv2_simple_raw_and_template_content(server):
    v2 = client("sesv2", server.endpoint)
    sender = address("v2")
    identity = v2.create_email_identity(EmailIdentity=sender)
    assert identity["IdentityType"] == "EMAIL_ADDRESS" and identity["VerifiedForSendingStatus"] is True
    with pytest.raises(ClientError) as error:
        v2.create_email_identity(EmailIdentity=sender)
    assert error.value.response["Error"]["Code"] == "AlreadyExistsException"
    assert sender in [i["IdentityName"] for i in v2.list_email_identities()["EmailIdentities"]]
    simple = v2.send_email(FromEmailAddress=sender, Destination={"ToAddresses": ["a@example.org"]},
                           Content={"Simple": {"Subject": {"Data": "v2 simple"}, "Body": {"Text": {"Data": "hi"}}}})["MessageId"]
    assert mails(server.endpoint, id=simple)[0]["Subject"] == "v2 simple"
    template = f"welcome-{uuid.uuid4().hex[:6]}"
    v2.create_email_template(TemplateName=template, TemplateContent={"Subject": "Welcome {{name}}", "Text": "Hello {{name}}, you have {{count}} items",
                                                                     "Html": "<h1>Hello {{name}}</h1>"})
    assert v2.get_email_template(TemplateName=template)["TemplateContent"]["Subject"] == "Welcome {{name}}"
    with pytest.raises(ClientError) as error:
        v2.get_email_template(TemplateName="nope-" + template)
    assert error.value.response["Error"]["Code"] == "NotFoundException"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    templated = v2.send_email(FromEmailAddress=sender, Destination={"ToAddresses": ["b@example.org"]},
                              Content={"Template": {"TemplateName": template, "TemplateData": json.dumps({"name": "Ann", "count": 3})}})["MessageId"]
    mail = mails(server.endpoint, id=templated)[0]
    assert mail["Subject"] == "Welcome Ann"
    assert mail["Body"] == {"text_part": "Hello Ann, you have 3 items", "html_part": "<h1>Hello Ann</h1>"}
    raw = f"From: {sender}\r\nTo: c@example.org\r\nSubject: raw v2\r\n\r\nraw text\r\n"
    raw_id = v2.send_email(Content={"Raw": {"Data": raw.encode()}})["MessageId"]
    assert mails(server.endpoint, id=raw_id)[0]["Body"]["text_part"] == "raw text"
    with pytest.raises(ClientError) as error:
        v2.send_email(FromEmailAddress=address("nobody"), Destination={"ToAddresses": ["a@example.org"]},
                      Content={"Simple": {"Subject": {"Data": "x"}, "Body": {"Text": {"Data": "x"}}}})
    assert error.value.response["Error"]["Code"] == "MessageRejected"
    v2.delete_email_template(TemplateName=template)
    v2.delete_email_identity(EmailIdentity=sender)
    assert sender not in [i["IdentityName"] for i in v2.list_email_identities()["EmailIdentities"]]


def test_allow_unverified_flag_and_a_mailbox_that_survives_a_restart(server_factory, tmp_path):
    srv = server_factory(data_dir=tmp_path / "data", extra_args=("--ses-allow-unverified",))
    ses = client("ses", srv.endpoint)
    message_id = ses.send_email(Source="anyone@example.com", Destination={"ToAddresses": ["a@example.org"]},
                                Message={"Subject": {"Data": "no verification"}, "Body": {"Text": {"Data": "ok"}}})["MessageId"]
    srv.terminate()
    srv.start()
    assert [m["Id"] for m in mails(srv.endpoint)] == [message_id]
    assert requests.delete(f"{srv.endpoint}/_aws/ses", timeout=10).status_code == 204
    assert mails(srv.endpoint) == []


def test_config_file_verifies_identities(server_factory, tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("ses:\n  identities: [team@example.com, example.io]\n")
    srv = server_factory(config=config)
    ses = client("ses", srv.endpoint)
    assert sorted(ses.list_identities()["Identities"]) == ["example.io", "team@example.com"]
    ses.send_email(Source="bot@example.io", Destination={"ToAddresses": ["a@example.org"]},
                   Message={"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "t"}}})


def test_ses_through_the_aws_cli(server, cli_env):
    sender = address("cli")
    run_aws_cli(server.endpoint, cli_env, "ses", "verify-email-identity", "--email-address", sender)
    sent = run_aws_cli(server.endpoint, cli_env, "ses", "send-email", "--from", sender, "--to", "ann@example.org",
                       "--subject", "From the CLI", "--text", "plain", "--html", "<b>html</b>")
    [mail] = mails(server.endpoint, email=sender)
    assert mail["Id"] == sent["MessageId"] and mail["Subject"] == "From the CLI"
    assert mail["Body"] == {"text_part": "plain", "html_part": "<b>html</b>"}
    assert sender in run_aws_cli(server.endpoint, cli_env, "ses", "list-identities")["Identities"]
    v2 = run_aws_cli(server.endpoint, cli_env, "sesv2", "send-email", "--from-email-address", sender,
                     "--destination", "ToAddresses=bob@example.org",
                     "--content", json.dumps({"Simple": {"Subject": {"Data": "v2 cli"}, "Body": {"Text": {"Data": "v2"}}}}))
    assert mails(server.endpoint, id=v2["MessageId"])[0]["Subject"] == "v2 cli"
