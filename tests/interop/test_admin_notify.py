"""The admin page's Topics and Mailbox tabs in headless Chromium: a mail's HTML is shown in a
sandboxed frame where its scripts do not run, and a topic page publishes through its form."""

from __future__ import annotations

import json
import uuid

import pytest

from sns_helpers import client, queue_arn, receive, wait_for
from test_admin_browser import _assert_no_alert, browser, shots  # noqa: F401  (fixtures)

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

HOSTILE_HTML = '<p id="hello">Hello <b>there</b></p><img src=x onerror="alert(1)"><script>alert(2); parent.document.title="owned"</script>'


def test_mailbox_shows_html_in_a_sandboxed_frame(server, browser, shots):  # noqa: F811
    ses = client("ses", server.endpoint)
    sender = f"admin-{uuid.uuid4().hex[:8]}@example.com"
    ses.verify_email_identity(EmailAddress=sender)
    subject = f"Hostile {uuid.uuid4().hex[:6]}"
    ses.send_email(Source=sender, Destination={"ToAddresses": ["ann@example.org"]},
                   Message={"Subject": {"Data": subject}, "Body": {"Text": {"Data": "plain part"}, "Html": {"Data": HOSTILE_HTML}}})
    browser.get(f"{server.endpoint}/admin/mailbox")
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.ID, "mails")))
    browser.find_element(By.LINK_TEXT, subject).click()
    frame = WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, "iframe.mail-html")))
    assert frame.get_attribute("sandbox") == ""
    assert "plain part" in browser.find_element(By.ID, "mail-text").text
    assert "Content-Type: multipart/alternative" in browser.find_element(By.ID, "mail-raw").text
    browser.switch_to.frame(frame)
    assert browser.find_element(By.ID, "hello").text == "Hello there"
    browser.switch_to.default_content()
    _assert_no_alert(browser)
    assert browser.title != "owned"
    browser.save_screenshot(str(shots / "admin-mail.png"))


def test_topic_page_lists_subscriptions_and_publishes(server, browser, shots):  # noqa: F811
    sns = client("sns", server.endpoint)
    sqs = server.client()
    name = f"admin-topic-{uuid.uuid4().hex[:6]}"
    topic = sns.create_topic(Name=name)["TopicArn"]
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn(sqs, url),
                  Attributes={"FilterPolicy": json.dumps({"color": ["red"]}), "RawMessageDelivery": "true"})
    browser.get(f"{server.endpoint}/admin/topics")
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.LINK_TEXT, name))).click()
    table = WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.ID, "subscriptions")))
    assert '{"color": ["red"]}' in table.text and "confirmed" in table.text
    browser.find_element(By.NAME, "subject").send_keys("from the admin page")
    browser.find_element(By.NAME, "message").send_keys("published by hand")
    browser.find_element(By.NAME, "attributes").send_keys('{"color": "red"}')
    browser.find_element(By.CSS_SELECTOR, "form[action$='/publish'] button[type=submit]").click()
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".flash.notice")))
    assert "Published message" in browser.find_element(By.CSS_SELECTOR, ".flash.notice").text
    assert [m["Body"] for m in receive(sqs, url, 1)] == ["published by hand"]
    browser.get(browser.current_url.split("?")[0])
    deliveries = wait_for("the delivery row", lambda: browser.find_elements(By.ID, "deliveries"))
    assert "delivered" in deliveries[0].text
    browser.save_screenshot(str(shots / "admin-topic.png"))
