"""The admin page in a real browser: headless Chromium (Debian's chromium + chromium-driver)
driven by Selenium against the real binary."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import queue_attrs

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

XSS = "<img src=x onerror=alert(1)>"


def _chromium() -> tuple[str, str] | None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None)
    return (browser, driver) if browser and driver else None


@pytest.fixture
def browser():
    found = _chromium()
    if not found:
        pytest.skip("chromium and chromium-driver are not installed")
    options = webdriver.ChromeOptions()
    options.binary_location = found[0]
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1440,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=found[1]), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where screenshots go: $SQSLITE_SCREENSHOT_DIR, else the test's temporary folder."""
    folder = Path(os.environ.get("SQSLITE_SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _assert_no_alert(driver):
    try:
        alert = driver.switch_to.alert
    except NoAlertPresentException:
        return
    text = alert.text
    alert.dismiss()
    pytest.fail(f"a script ran: alert({text!r})")


def test_browse_a_queue_open_a_message_and_send_one(server, sqs, make_queue, browser, shots):
    wait = WebDriverWait(browser, 10)
    url = make_queue("browser")
    name = url.rsplit("/", 1)[1]
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"order": 42, "note": XSS}), MessageAttributes={
        "tenant": {"DataType": "String", "StringValue": "<b>acme</b>"}})
    sqs.send_message(QueueUrl=url, MessageBody="in flight")
    sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1, VisibilityTimeout=300, AttributeNames=["All"])
    before = queue_attrs(sqs, url, "All")

    # The queues table lists the queue; the filter narrows it down.
    browser.get(f"{server.endpoint}/admin")
    wait.until(EC.presence_of_element_located((By.ID, "queues-table")))
    browser.find_element(By.ID, "filter").send_keys(name)
    link = wait.until(EC.element_to_be_clickable((By.LINK_TEXT, name)))
    wait.until(lambda d: "ok" in d.find_element(By.ID, "live-status").get_attribute("class"))
    browser.save_screenshot(str(shots / "admin-queues.png"))
    link.click()

    # The queue page lists both messages, with their states, without receiving them.
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "table.messages")))
    states = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "table.messages .badge")]
    assert sorted(states) == ["in flight", "visible"]
    browser.save_screenshot(str(shots / "admin-queue.png"))

    # Open the JSON message: pretty-printed, and the markup in it is text.
    row = next(r for r in browser.find_elements(By.CSS_SELECTOR, "table.messages tbody tr") if "order" in r.text)
    row.find_element(By.CSS_SELECTOR, ".body-preview a").click()
    body = wait.until(EC.presence_of_element_located((By.ID, "message-body")))
    assert '"order" : 42' in body.text and XSS in body.text
    assert browser.find_elements(By.CSS_SELECTOR, "main img") == []
    assert "<b>acme</b>" in browser.find_element(By.TAG_NAME, "main").text
    _assert_no_alert(browser)
    browser.save_screenshot(str(shots / "admin-message.png"))

    # Send one from the form, with an attribute.
    browser.find_element(By.LINK_TEXT, name).click()
    form = wait.until(EC.presence_of_element_located((By.ID, "send-form")))
    form.find_element(By.NAME, "body").send_keys(XSS)
    form.find_element(By.NAME, "attr1.name").send_keys("source")
    form.find_element(By.NAME, "attr1.value").send_keys("browser")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    notice = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".flash.notice")))
    assert "sent" in notice.text
    previews = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".body-preview")]
    assert XSS in previews
    _assert_no_alert(browser)
    browser.save_screenshot(str(shots / "admin-queue-after-send.png"))

    # The sent message shows its body as text.
    row = next(r for r in browser.find_elements(By.CSS_SELECTOR, "table.messages tbody tr") if r.text.endswith(XSS))
    row.find_element(By.CSS_SELECTOR, ".body-preview a").click()
    body = wait.until(EC.presence_of_element_located((By.ID, "message-body")))
    assert body.text == XSS
    assert browser.find_elements(By.CSS_SELECTOR, "main img") == []
    _assert_no_alert(browser)

    # Browsing changed nothing but the one message sent; the SDK sees it as sent by the form.
    after = queue_attrs(sqs, url, "All")
    assert int(after["ApproximateNumberOfMessages"]) == int(before["ApproximateNumberOfMessages"]) + 1
    assert after["ApproximateNumberOfMessagesNotVisible"] == before["ApproximateNumberOfMessagesNotVisible"]
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"], AttributeNames=["All"])["Messages"]
    sent = next(m for m in got if m["Body"] == XSS)
    assert sent["MessageAttributes"]["source"]["StringValue"] == "browser"
    assert all(m["Attributes"]["ApproximateReceiveCount"] == "1" for m in got)


def test_functions_page_and_csp(server, browser, shots):
    browser.get(f"{server.endpoint}/admin/functions")
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, "main h1")))
    assert "Functions" in browser.find_element(By.CSS_SELECTOR, "main h1").text
    browser.save_screenshot(str(shots / "admin-functions.png"))
    # Inline script is refused by the page's Content-Security-Policy.
    browser.execute_script(
        "var s = document.createElement('script'); s.textContent = 'window.__inline = 1'; document.body.appendChild(s);")
    assert browser.execute_script("return window.__inline === undefined")


# A runtime that prints each event's "say" field, so the test chooses the log lines.
SAYING_RUNTIME = r'''
import json, os, urllib.request

opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
base = "http://%s/2018-06-01/runtime" % os.environ["AWS_LAMBDA_RUNTIME_API"]
while True:
    with opener.open(base + "/invocation/next", timeout=None) as r:
        request_id = r.headers["Lambda-Runtime-Aws-Request-Id"]
        event = json.loads(r.read() or b"{}")
    print(event.get("say", "nothing to say"), flush=True)
    answer = urllib.request.Request(base + "/invocation/%s/response" % request_id, data=b"{}", method="POST")
    opener.open(answer, timeout=30).read()
'''


def test_function_page_live_tail_with_a_filter_pattern(server_factory, tmp_path, browser, shots):
    import sys

    import boto3
    import requests

    folder = tmp_path / "sayer"
    folder.mkdir()
    (folder / "bootstrap.py").write_text(SAYING_RUNTIME)
    config = tmp_path / "sayer.yaml"
    config.write_text(f"""functions:
  - name: Sayer
    command: ["{sys.executable}", "-u", "bootstrap.py"]
    workingDirectory: {folder}
    timeout: 10
""")
    srv = server_factory(config=config)
    lam = boto3.client("lambda", endpoint_url=srv.endpoint, region_name="us-east-1", aws_access_key_id="test",
                       aws_secret_access_key="test")

    def say(text):
        assert lam.invoke(FunctionName="Sayer", Payload=json.dumps({"say": text}).encode())["StatusCode"] == 200

    say("hello from the first invocation")
    say(f"level=ERROR payment failed {XSS}")

    def tail_lines(driver=browser):
        """The live tail's lines, without their timestamps (read in one go, as the page replaces them)."""
        return driver.execute_script(
            "return Array.from(document.querySelectorAll('#log-tail .log-line')).map(function (line) {"
            " return line.lastChild.textContent; })")

    wait = WebDriverWait(browser, 15)
    browser.get(f"{srv.endpoint}/admin/functions/Sayer")
    wait.until(EC.presence_of_element_located((By.ID, "log-tail")))
    wait.until(lambda d: sum(line.startswith("REPORT RequestId") for line in tail_lines()) == 2)
    lines = tail_lines()
    assert lines[0].startswith("INIT_START Runtime Version: ")
    stamp = browser.find_element(By.CSS_SELECTOR, "#log-tail .log-line .log-time").text
    assert stamp[:4].isdigit() and stamp[10] == " "
    assert any(line.endswith(f"level=ERROR payment failed {XSS}") for line in lines), lines
    _assert_no_alert(browser)
    assert not browser.find_elements(By.CSS_SELECTOR, "#log-tail img")
    streams = browser.find_elements(By.CSS_SELECTOR, "#log-streams tr")
    assert len(streams) == 1 and "/[$LATEST]" in streams[0].text

    # The filter box takes CloudWatch filter patterns; new matching lines appear as they are written.
    browser.find_element(By.ID, "log-filter").send_keys('"payment failed" ?ERROR ?WARN')
    wait.until(lambda d: len(tail_lines()) == 1)
    say("level=WARN payment failed again")
    say("level=INFO payment ok")
    wait.until(lambda d: "level=WARN payment failed again" in tail_lines())
    assert tail_lines() == [f"level=ERROR payment failed {XSS}", "level=WARN payment failed again"]
    browser.save_screenshot(str(shots / "admin-function-logs.png"))

    # A space-delimited pattern; then one sqslite cannot parse is reported, not applied.
    box = browser.find_element(By.ID, "log-filter")
    box.clear()
    box.send_keys('[level = "level=WARN" || level = "level=INFO", ..., outcome = %ok|again%]')
    wait.until(lambda d: tail_lines() == ["level=WARN payment failed again", "level=INFO payment ok"])
    box.clear()
    box.send_keys("{ $.level = ")
    error = wait.until(EC.visibility_of_element_located((By.ID, "log-error")))
    assert "Invalid filter pattern" in error.text
    _assert_no_alert(browser)

    # The JSON API behind it.
    api = f"{srv.endpoint}/admin/api/functions/Sayer/logs"
    first = requests.get(api, params={"filter": "payment", "limit": 1}, timeout=10).json()
    assert first["logGroupName"] == "/aws/lambda/Sayer" and [e["message"] for e in first["events"]] == ["level=INFO payment ok"]
    say("payment three")
    deadline = __import__("time").time() + 10
    while True:
        since = requests.get(api, params={"filter": "payment", "after": first["nextToken"]}, timeout=10).json()
        if since["events"] or __import__("time").time() > deadline:
            break
    assert [e["message"] for e in since["events"]] == ["payment three"]
    bad = requests.get(api, params={"filter": "[a, a]"}, timeout=10)
    assert bad.status_code == 400 and bad.json()["message"] == "Invalid filter pattern: [a, a]"
    assert requests.get(f"{srv.endpoint}/admin/api/functions/Nope/logs", timeout=10).status_code == 404
