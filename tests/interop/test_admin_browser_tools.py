"""The admin page's consumer tools, charts, links, layout, dark theme and accessibility, in
headless Chromium (Selenium) against the real binary."""

from __future__ import annotations

import json
import sys
import time

import pytest
import requests

from conftest import queue_attrs
from test_admin_browser import XSS, _assert_no_alert, browser, shots  # noqa: F401 (fixtures)

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException  # noqa: E402


def _gone(element):
    """A wait condition: `element` has left the document (its page was replaced).

    `EC.staleness_of` expects a stale-element error, but when the node goes while chromedriver is
    looking at it, chromedriver can answer with an "unknown error" saying the node does not belong
    to the document instead (it happened once in a run of the whole suite): that means gone too."""
    def predicate(_driver):
        try:
            element.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return True
            raise
    return predicate

# A runtime answering {} to every event, and failing the batches with "fail me" in them.
OK_RUNTIME = r'''
import json, os, urllib.request

opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
base = "http://%s/2018-06-01/runtime" % os.environ["AWS_LAMBDA_RUNTIME_API"]
while True:
    with opener.open(base + "/invocation/next", timeout=None) as r:
        request_id = r.headers["Lambda-Runtime-Aws-Request-Id"]
        event = r.read().decode()
    print("processed", flush=True)
    outcome = "error" if "fail me" in event else "response"
    answer = urllib.request.Request(base + "/invocation/%s/%s" % (request_id, outcome), data=b"{}", method="POST")
    opener.open(answer, timeout=30).read()
'''

# The contrast ratio of each element's own text against its effective background (WCAG 2).
CONTRAST_SCRIPT = r'''
function parse(c) { var m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null;
  var p = m[1].split(",").map(function (x) { return parseFloat(x); }); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; }
function lum(c) { return [c.r, c.g, c.b].map(function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
  .reduce(function (s, v, i) { return s + v * [0.2126, 0.7152, 0.0722][i]; }, 0); }
function background(el) { for (var e = el; e; e = e.parentElement) { var c = parse(getComputedStyle(e).backgroundColor);
  if (c && c.a > 0.5) return c; } return parse(getComputedStyle(document.documentElement).backgroundColor) || { r: 255, g: 255, b: 255, a: 1 }; }
var failures = [];
document.querySelectorAll("body *").forEach(function (el) {
  var own = Array.prototype.some.call(el.childNodes, function (n) { return n.nodeType === 3 && n.textContent.trim(); });
  if (!own || el.closest("svg, [hidden], option, select")) return;
  var style = getComputedStyle(el); if (style.visibility === "hidden" || style.display === "none" || el.getClientRects().length === 0) return;
  var fg = parse(style.color), bg = background(el); if (!fg) return;
  var a = lum(fg) + 0.05, b = lum(bg) + 0.05, ratio = Math.max(a, b) / Math.min(a, b);
  if (ratio < 4.5) failures.push(el.tagName + "." + el.className + " '" + el.textContent.trim().slice(0, 30) + "' " + style.color + " on " +
    JSON.stringify(bg) + " = " + ratio.toFixed(2));
});
return failures;
'''

# Form controls without a label, and buttons without text.
LABEL_SCRIPT = r'''
var failures = [];
document.querySelectorAll("input, select, textarea").forEach(function (el) {
  if (el.type === "hidden") return;
  if ((el.labels && el.labels.length) || el.getAttribute("aria-label") || el.getAttribute("aria-labelledby")) return;
  failures.push(el.outerHTML.slice(0, 120));
});
document.querySelectorAll("button, a.button").forEach(function (el) {
  if (!(el.textContent.trim() || el.getAttribute("aria-label"))) failures.push(el.outerHTML.slice(0, 120));
});
return failures;
'''

# Elements wider than the viewport, or sticking out of it to the right (outside scrollable boxes).
OVERFLOW_SCRIPT = r'''
var width = document.documentElement.clientWidth, failures = [];
if (document.documentElement.scrollWidth > width + 1) failures.push("page scrolls sideways: " + document.documentElement.scrollWidth + " > " + width);
document.querySelectorAll("body *").forEach(function (el) {
  var r = el.getBoundingClientRect(); if (r.width === 0) return;
  for (var p = el.parentElement; p; p = p.parentElement) { var o = getComputedStyle(p).overflowX; if (o === "auto" || o === "scroll" || o === "hidden") return; }
  if (r.width > width + 1 || r.right > width + 1) failures.push(el.tagName + "#" + el.id + "." + el.className + " " + Math.round(r.left) + "-" + Math.round(r.right));
});
return failures.slice(0, 10);
'''

# Each button of the mappings tables: fully inside the viewport and inside every clipping box around it.
BUTTONS_VISIBLE_SCRIPT = r'''
var failures = [], buttons = document.querySelectorAll("tr[id^=mapping-] button");
buttons.forEach(function (button) {
  var r = button.getBoundingClientRect();
  if (r.left < 0 || r.right > document.documentElement.clientWidth + 1) failures.push("outside the viewport: " + r.left + "-" + r.right);
  for (var p = button.parentElement; p; p = p.parentElement) {
    var o = getComputedStyle(p).overflowX; if (o === "visible") continue;
    var c = p.getBoundingClientRect(); if (r.left < c.left - 1 || r.right > c.right + 1) failures.push("clipped by " + p.tagName + "." + p.className);
  }
});
return { count: buttons.length, failures: failures };
'''


def _config(tmp_path):
    folder = tmp_path / "worker"
    folder.mkdir()
    (folder / "bootstrap.py").write_text(OK_RUNTIME)
    config = tmp_path / "admin.yaml"
    config.write_text(f"""queues:
  - name: WorkQueue
functions:
  - name: Worker
    command: ["{sys.executable}", "-u", "bootstrap.py"]
    workingDirectory: {folder}
    environment: {{API_SECRET: "hunter2", DB_PASSWORD: "pw1", GREETING: "hello", SERVICE_KEY: "k1", AUTH_TOKEN: "t1"}}
    timeout: 10
eventSourceMappings:
  - queue: WorkQueue
    function: Worker
    batchSize: 10
    maximumBatchingWindowInSeconds: 0
""")
    return config


def _dark(driver, on: bool):
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark" if on else "light"}]})


def test_search_select_move_delete_poll_and_delete_queue(server, sqs, make_queue, browser, shots):  # noqa: F811
    wait = WebDriverWait(browser, 10)
    url = make_queue("tools")
    other = make_queue("tools-target")
    name, other_name = url.rsplit("/", 1)[1], other.rsplit("/", 1)[1]
    for i in range(6):
        attrs = {"tenant": {"DataType": "String", "StringValue": "acme" if i % 2 else "globex"}}
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"n": i, "note": "needle" if i < 2 else "hay"}), MessageAttributes=attrs)
    sqs.send_message(QueueUrl=url, MessageBody=XSS)

    # Search by body text, then by attribute value (server-side).
    browser.get(f"{server.endpoint}/admin/queues/us-east-1/000000000000/{name}")
    box = wait.until(EC.presence_of_element_located((By.ID, "message-search")))
    box.send_keys("NEEDLE")
    browser.find_element(By.CSS_SELECTOR, "#search-form button[type=submit]").click()
    wait.until(EC.presence_of_element_located((By.ID, "search-summary")))
    previews = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "table.messages .body-preview")]
    assert len(previews) == 2 and all("needle" in p for p in previews), previews
    assert "2 matching" in browser.find_element(By.ID, "search-summary").text
    browser.get(f"{server.endpoint}/admin/queues/us-east-1/000000000000/{name}?search=acme")
    assert len(browser.find_elements(By.CSS_SELECTOR, "table.messages tbody tr")) == 3
    browser.get(f"{server.endpoint}/admin/queues/us-east-1/000000000000/{name}?search=%3Cimg")
    assert [e.text for e in browser.find_elements(By.CSS_SELECTOR, "table.messages .body-preview")] == [XSS]
    _assert_no_alert(browser)

    # Select the two "needle" messages and move them to the other queue, attributes and all.
    browser.get(f"{server.endpoint}/admin/queues/us-east-1/000000000000/{name}?search=needle")
    wait.until(EC.presence_of_element_located((By.ID, "select-all"))).click()
    assert browser.find_element(By.ID, "selected-count").text == "2 selected"
    browser.find_element(By.ID, "move-target").send_keys(other_name)
    browser.find_element(By.CSS_SELECTOR, "#bulk-form button[value=move]").click()
    notice = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".flash.notice")))
    assert f"Moved 2 of 2 selected messages to {other_name}" in notice.text
    moved = sqs.receive_message(QueueUrl=other, MaxNumberOfMessages=10, MessageAttributeNames=["All"])["Messages"]
    assert sorted(json.loads(m["Body"])["n"] for m in moved) == [0, 1]
    assert {m["MessageAttributes"]["tenant"]["StringValue"] for m in moved} == {"acme", "globex"}
    assert queue_attrs(sqs, url, "ApproximateNumberOfMessages")["ApproximateNumberOfMessages"] == "5"

    # Select one message and delete it (the page asks first).
    row = next(r for r in browser.find_elements(By.CSS_SELECTOR, "table.messages tbody tr") if XSS in r.text)
    row.find_element(By.CSS_SELECTOR, "input[type=checkbox]").click()
    browser.find_element(By.CSS_SELECTOR, "#bulk-form button[value=delete]").click()
    alert = wait.until(EC.alert_is_present())
    assert "Delete 1 selected" in alert.text
    alert.accept()
    notice = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".flash.notice")))
    assert "Deleted 1 of 1" in notice.text
    assert queue_attrs(sqs, url, "ApproximateNumberOfMessages")["ApproximateNumberOfMessages"] == "4"

    # Poll like a consumer: two messages with their receipt handles; delete one, make the other visible.
    form = browser.find_element(By.ID, "receive-form")
    count = form.find_element(By.NAME, "maxNumberOfMessages")
    count.clear()
    count.send_keys("2")
    form.find_element(By.NAME, "visibilityTimeout").send_keys("600")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    cards = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "section.received"))
    assert len(cards) == 2
    handles = [c.find_element(By.CSS_SELECTOR, "code.handle").text for c in cards]
    assert all(len(h) > 20 for h in handles)
    assert queue_attrs(sqs, url, "ApproximateNumberOfMessagesNotVisible")["ApproximateNumberOfMessagesNotVisible"] == "2"
    browser.save_screenshot(str(shots / "admin-received.png"))
    cards[0].find_element(By.CSS_SELECTOR, "button.danger").click()
    wait.until(lambda d: "deleted" in cards[0].find_element(By.CSS_SELECTOR, ".inline-result").text.lower())
    timeout = cards[1].find_element(By.NAME, "visibilityTimeout")
    timeout.clear()
    timeout.send_keys("0")
    cards[1].find_element(By.XPATH, ".//button[text()='Change visibility']").click()
    wait.until(lambda d: "Visibility changed" in cards[1].find_element(By.CSS_SELECTOR, ".inline-result").text)
    assert queue_attrs(sqs, url, "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible") == {
        "ApproximateNumberOfMessages": "3", "ApproximateNumberOfMessagesNotVisible": "0"}

    # A stale receipt handle is refused with SQS's error, on the page.
    cards[0].find_element(By.XPATH, ".//button[text()='Change visibility']").click()
    wait.until(lambda d: "failed" in cards[0].find_element(By.CSS_SELECTOR, ".inline-result").get_attribute("class"))

    # Receive again, with the same settings: two more messages go in flight.
    browser.find_element(By.CSS_SELECTOR, "#receive-again button").click()
    wait.until(_gone(cards[0]))
    assert len(browser.find_elements(By.CSS_SELECTOR, "section.received")) == 2
    assert queue_attrs(sqs, url, "ApproximateNumberOfMessagesNotVisible")["ApproximateNumberOfMessagesNotVisible"] == "2"

    # The charts of the last hour count what happened this minute.
    browser.get(f"{server.endpoint}/admin/queues/us-east-1/000000000000/{name}")
    rates = json.loads(browser.find_element(By.ID, "rates-chart").get_attribute("data-chart"))
    assert len(rates["series"][0]["values"]) == 60 and sum(rates["series"][0]["values"]) >= 7
    assert sum(rates["series"][1]["values"]) >= 2 and sum(rates["series"][2]["values"]) >= 1
    depth = json.loads(browser.find_element(By.ID, "depth-chart").get_attribute("data-chart"))
    assert depth["series"][0]["values"][-1] is not None
    assert len(browser.find_elements(By.CSS_SELECTOR, "#rates-chart svg polyline")) >= 3

    # Delete the queue: the wrong name is refused, the right one deletes it.
    form = browser.find_element(By.ID, "delete-queue-form")
    form.find_element(By.NAME, "confirmName").send_keys("not-" + name)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    error = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".flash.error")))
    assert "to confirm" in error.text
    form = browser.find_element(By.ID, "delete-queue-form")
    form.find_element(By.NAME, "confirmName").send_keys(name)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    notice = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".flash.notice")))
    assert f"Queue {name} deleted" in notice.text and browser.current_url.split("?")[0].endswith("/admin")
    with pytest.raises(sqs.exceptions.QueueDoesNotExist):
        sqs.get_queue_url(QueueName=name)
    _assert_no_alert(browser)


def test_admin_tools_refuse_cross_site_and_missing_token(server, sqs, make_queue):
    url = make_queue("guarded")
    name = url.rsplit("/", 1)[1]
    action = f"{server.endpoint}/admin/queues/us-east-1/000000000000/{name}/delete"
    hostile = requests.post(action, data={"confirmName": name, "_csrf": "x"}, headers={"Origin": "http://evil.example"}, timeout=10)
    assert hostile.status_code == 403
    token = requests.get(f"{server.endpoint}/admin/api/csrf", timeout=10).json()
    csrf = token["csrfToken"]
    no_token = requests.post(action, data={"confirmName": name}, headers={"Origin": server.endpoint}, timeout=10)
    assert no_token.status_code == 403
    receive = requests.post(action.replace("/delete", "/receive"), data={"_csrf": csrf, "maxNumberOfMessages": "11"},
                            headers={"Origin": server.endpoint, "Accept": "application/json"}, timeout=10)
    assert receive.status_code == 400 and "maxNumberOfMessages" in receive.json()["message"]
    sqs.get_queue_url(QueueName=name)


def _axe_violations(driver):
    """axe-core's violations (serious or critical) on the current page, when axe-selenium-python is installed."""
    try:
        from axe_selenium_python import Axe
    except ImportError:
        return None
    axe = Axe(driver)
    axe.inject()
    # The axe-core bundled with axe-selenium-python 2.1.6 flags autocomplete="off" (valid HTML, on the log filter).
    results = axe.run(options=json.dumps({"resultTypes": ["violations"], "rules": {"autocomplete-valid": {"enabled": False}}}))
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}: {v['nodes'][0]['target']})" for v in results["violations"]
            if v["impact"] in ("serious", "critical")]


def _page_checks(driver, label):
    overflow = driver.execute_script(OVERFLOW_SCRIPT)
    assert overflow == [], f"{label}: {overflow}"
    labels = driver.execute_script(LABEL_SCRIPT)
    assert labels == [], f"{label}: {labels}"
    contrast = driver.execute_script(CONTRAST_SCRIPT)
    assert contrast == [], f"{label}: {contrast}"
    axe = _axe_violations(driver)
    assert not axe, f"{label}: {axe}"


def test_layout_dark_theme_accessibility_and_links(server_factory, tmp_path, browser, shots):  # noqa: F811
    srv = server_factory(config=_config(tmp_path))
    import boto3

    sqs = boto3.client("sqs", endpoint_url=srv.endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
    work = sqs.get_queue_url(QueueName="WorkQueue")["QueueUrl"]
    sqs.create_queue(QueueName="Parked")
    parked = sqs.get_queue_url(QueueName="Parked")["QueueUrl"]
    sqs.send_message(QueueUrl=parked, MessageBody="waiting")
    message_id = sqs.send_message(QueueUrl=work, MessageBody='{"job": 1}')["MessageId"]
    deadline = time.time() + 15
    while sqs.get_queue_attributes(QueueUrl=work, AttributeNames=["All"])["Attributes"]["ApproximateNumberOfMessages"] != "0" or \
            sqs.get_queue_attributes(QueueUrl=work, AttributeNames=["All"])["Attributes"]["ApproximateNumberOfMessagesNotVisible"] != "0":
        assert time.time() < deadline, "the mapping did not process the message"
        time.sleep(0.1)
    wait = WebDriverWait(browser, 10)
    listed = requests.get(f"{srv.endpoint}/admin/api/invocations", params={"function": "Worker"}, timeout=10).json()["invocations"]
    assert any(message_id in invocation["messageIds"] for invocation in listed), listed

    # The function page: settings with secrets masked, charts, and the invocation linked to its message and mapping.
    browser.get(f"{srv.endpoint}/admin/functions/Worker")
    env = wait.until(EC.presence_of_element_located((By.ID, "function-environment"))).text
    assert "GREETING hello" in env
    for secret in ("hunter2", "pw1", "k1", "t1"):
        assert secret not in browser.page_source
    settings = browser.find_element(By.ID, "function-settings").text
    assert "bootstrap.py" in settings and str(tmp_path / "worker") in settings
    counts = json.loads(browser.find_element(By.ID, "invocations-chart").get_attribute("data-chart"))
    assert sum(counts["series"][0]["values"]) >= 1
    assert browser.find_elements(By.CSS_SELECTOR, "#duration-chart svg polyline, #duration-chart svg circle")
    browser.find_element(By.CSS_SELECTOR, "table.grid a[href^='/admin/invocations/']").click()
    source = wait.until(EC.presence_of_element_located((By.ID, "invocation-source")))
    assert message_id in source.text
    mapping_href = browser.find_element(By.ID, "mapping-link").get_attribute("href")
    assert "/admin/functions/Worker#mapping-" in mapping_href
    invocation_url = browser.current_url
    browser.get(mapping_href)
    uuid = mapping_href.rsplit("#mapping-", 1)[1]
    assert browser.find_element(By.ID, f"mapping-{uuid}").is_displayed()

    # A message whose invocation failed stays in its queue; its page links to that invocation.
    failed_id = sqs.send_message(QueueUrl=work, MessageBody="fail me")["MessageId"]
    deadline = time.time() + 15
    while sqs.get_queue_attributes(QueueUrl=work, AttributeNames=["All"])["Attributes"]["ApproximateNumberOfMessagesNotVisible"] != "1":
        assert time.time() < deadline, "the mapping did not receive the message"
        time.sleep(0.1)
    browser.get(f"{srv.endpoint}/admin/queues/us-east-1/000000000000/WorkQueue/messages/{failed_id}")
    link = WebDriverWait(browser, 15).until(
        lambda d: d.refresh() or d.find_elements(By.CSS_SELECTOR, "#message-invocations a[href^='/admin/invocations/']"))[0]
    link.click()
    assert failed_id in wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "ul.batch-messages"))).text
    assert browser.current_url != invocation_url

    # Test events are remembered per function.
    browser.get(f"{srv.endpoint}/admin/functions/Worker")
    event = browser.find_element(By.CSS_SELECTOR, "textarea[name=event]")
    event.clear()
    event.send_keys('{"remember": "me"}')
    before = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.CSS_SELECTOR, "form[action$='/invoke'] button[type=submit]").click()
    # The form posts and navigates: wait for its answer to replace the page, so that loading the
    # function page below does not cancel the post while it is still in flight.
    wait.until(_gone(before))
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "main h1")))
    browser.get(f"{srv.endpoint}/admin/functions/Worker")
    recent = Select(wait.until(EC.presence_of_element_located((By.ID, "recent-events"))))
    recent.select_by_index(1)
    assert json.loads(browser.find_element(By.CSS_SELECTOR, "textarea[name=event]").get_attribute("value")) == {"remember": "me"}

    # Two widths, light and dark: nothing wider than the viewport, the mappings' buttons fully visible,
    # labels on every control, text contrast of at least 4.5:1.
    pages = {
        "queues": f"{srv.endpoint}/admin",
        "queue": f"{srv.endpoint}/admin/queues/us-east-1/000000000000/Parked",
        "functions": f"{srv.endpoint}/admin/functions",
        "function": f"{srv.endpoint}/admin/functions/Worker",
    }
    for width in (1280, 390):
        browser.set_window_size(width, 900)
        inner = browser.execute_script("return window.innerWidth")
        browser.set_window_size(width + (width - inner), 900)
        for dark in (False, True):
            _dark(browser, dark)
            for label, page in pages.items():
                browser.get(page)
                wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "main h1")))
                assert browser.execute_script("return window.innerWidth") == width
                is_dark = browser.execute_script("return matchMedia('(prefers-color-scheme: dark)').matches")
                assert is_dark == dark
                body = browser.execute_script("return getComputedStyle(document.body).backgroundColor")
                assert (body == "rgb(15, 19, 26)") == dark, body
                _page_checks(browser, f"{label} at {width}px{' dark' if dark else ''}")
                if label in ("functions", "function"):
                    result = browser.execute_script(BUTTONS_VISIBLE_SCRIPT)
                    assert result["count"] >= 1 and result["failures"] == [], (label, width, result)
                browser.save_screenshot(str(shots / f"admin-{label}-{width}{'-dark' if dark else ''}.png"))
    _dark(browser, False)
    _assert_no_alert(browser)
