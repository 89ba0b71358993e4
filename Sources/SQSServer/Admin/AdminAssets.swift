/// The admin page's stylesheet and script, served by sqslite itself at `/admin/assets/…`
/// (nothing is fetched from the internet; the CSP allows only these).
enum AdminAssets {
    /// The asset at `name`, with its content type.
    static func asset(named name: Substring) -> (contentType: String, body: String)? {
        switch name {
        case "admin.css": ("text/css; charset=utf-8", css)
        case "admin.js": ("text/javascript; charset=utf-8", script)
        default: nil
        }
    }

    static let css = #"""
        :root {
          --bg: #f6f7f9; --panel: #ffffff; --text: #1d2330; --muted: #6b7385; --line: #e3e6ec; --accent: #2f6fed;
          --accent-soft: #e8f0fe; --green: #1f8a4c; --green-soft: #e3f5ea; --amber: #a86400; --amber-soft: #fdf1dc;
          --red: #c4322b; --red-soft: #fce8e6; --violet: #6a43c9; --violet-soft: #efe9fb; --radius: 8px;
          --mono: ui-monospace, "SF Mono", "JetBrains Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace;
        }
        * { box-sizing: border-box; }
        [hidden] { display: none !important; }
        html { font-size: 14px; }
        body { margin: 0; background: var(--bg); color: var(--text);
          font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "DejaVu Sans", sans-serif; line-height: 1.45; }
        a { color: var(--accent); text-decoration: none; }
        a:hover { text-decoration: underline; }
        code, .mono { font-family: var(--mono); font-size: 0.92em; }
        .top { display: flex; align-items: center; gap: 24px; padding: 0 24px; height: 52px; background: #161b26; color: #e8ebf2; position: sticky; top: 0; z-index: 5; }
        .brand { color: #fff; font-weight: 650; font-size: 1.15rem; letter-spacing: 0.2px; }
        .brand:hover { text-decoration: none; }
        .logo { color: #7aa7ff; }
        .top nav { display: flex; gap: 4px; }
        .top nav a { color: #b9c1d3; padding: 6px 12px; border-radius: 6px; }
        .top nav a:hover { background: #232a3a; text-decoration: none; color: #fff; }
        .top nav a.active { background: #2a3347; color: #fff; }
        .spacer { flex: 1; }
        .live { font-size: 0.8rem; color: #9aa3b5; display: inline-flex; align-items: center; gap: 6px; }
        .live::before { content: ""; width: 8px; height: 8px; border-radius: 50%; background: #6b7385; }
        .live.ok::before { background: #3ccf7a; box-shadow: 0 0 0 3px rgba(60, 207, 122, 0.18); }
        .live.failed::before { background: #e5534b; }
        main { max-width: 1320px; margin: 0 auto; padding: 20px 24px 48px; }
        h1 { font-size: 1.45rem; margin: 0; font-weight: 650; word-break: break-all; }
        h2 { font-size: 1.02rem; margin: 0 0 12px; font-weight: 620; }
        h2.section { margin: 28px 0 10px; }
        .card h2 + h2, .card table + h2, .card p + h2 { margin-top: 18px; }
        .page-head { display: flex; align-items: center; gap: 12px; margin: 4px 0 14px; flex-wrap: wrap; }
        .count { color: var(--muted); font-weight: 500; font-size: 1rem; margin-left: 4px; }
        .crumbs { color: var(--muted); margin-bottom: 6px; font-size: 0.92rem; }
        .crumbs span { margin: 0 4px; color: #b3b9c6; }
        .ids { display: flex; flex-wrap: wrap; gap: 6px 22px; color: var(--muted); margin-bottom: 16px; font-size: 0.9rem; }
        .ids code { color: var(--text); background: #eceff4; padding: 2px 6px; border-radius: 4px; }
        .card { background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius); padding: 16px 18px; margin: 16px 0;
          box-shadow: 0 1px 2px rgba(16, 24, 40, 0.04); min-width: 0; }
        .card.narrow { max-width: 420px; margin: 60px auto; }
        .card.danger { border-color: #f1c6c2; }
        .card.dlq { border-color: #dcd0f6; background: #fcfaff; }
        .card-head { display: flex; align-items: center; gap: 12px; margin-bottom: 8px; flex-wrap: wrap; }
        .card-head h2 { margin: 0; }
        .columns { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
        .columns.wide-left { grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); }
        .columns > .card { margin: 0; }
        .columns + .card, .card + .columns { margin-top: 16px; }
        @media (max-width: 980px) { .columns, .columns.wide-left { grid-template-columns: 1fr; } }
        .stats { display: grid; grid-template-columns: repeat(7, minmax(0, 1fr)); gap: 10px; margin-bottom: 12px; }
        @media (max-width: 980px) { .stats { grid-template-columns: repeat(4, minmax(0, 1fr)); } }
        .stat { background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius); padding: 10px 14px; }
        .stat .label { display: block; color: var(--muted); font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.4px; }
        .stat .value { display: block; font-size: 1.5rem; font-weight: 620; font-variant-numeric: tabular-nums; }
        .table-wrap { overflow-x: auto; background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius); }
        .card .table-wrap { border: none; border-radius: 0; }
        table.grid { width: 100%; border-collapse: collapse; }
        table.grid th { text-align: left; font-weight: 600; color: var(--muted); font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.35px;
          padding: 9px 12px; border-bottom: 1px solid var(--line); background: #fafbfc; white-space: nowrap; }
        table.grid td { padding: 9px 12px; border-bottom: 1px solid #eef0f4; vertical-align: top; }
        table.grid tbody tr:last-child td { border-bottom: none; }
        table.grid tbody tr:hover { background: #f8faff; }
        table.grid.compact td, table.grid.compact th { padding: 6px 10px; }
        .num { text-align: right !important; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .strong { font-weight: 650; }
        .nowrap { white-space: nowrap; }
        .small { font-size: 0.86rem; }
        .sub { color: var(--muted); font-size: 0.8rem; }
        .muted { color: var(--muted); }
        .hint { color: var(--muted); font-size: 0.86rem; margin: 0 0 10px; }
        .qname { font-weight: 600; }
        .links a { margin-right: 4px; }
        .arrow { color: var(--muted); }
        .body-preview { font-family: var(--mono); font-size: 0.86rem; max-width: 560px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
        .body-preview a { color: var(--text); }
        .badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 0.78rem; font-weight: 600; background: #eceff4; color: #4a5263; white-space: nowrap; }
        .badge.fifo { background: var(--violet-soft); color: var(--violet); }
        .badge.standard { background: var(--accent-soft); color: var(--accent); }
        .badge.state-visible, .badge.enabled, .badge.outcome-success, .badge.status-completed { background: var(--green-soft); color: var(--green); }
        .badge.state-inFlight, .badge.status-running, .badge.outcome-partialFailure { background: var(--amber-soft); color: var(--amber); }
        .badge.state-delayed { background: var(--accent-soft); color: var(--accent); }
        .badge.outcome-error, .badge.outcome-timeout, .badge.status-failed { background: var(--red-soft); color: var(--red); }
        .badge.disabled, .badge.status-cancelled { background: #eceff4; color: var(--muted); }
        .tabs { display: inline-flex; background: #eef1f5; border-radius: 7px; padding: 2px; }
        .tabs a { padding: 4px 10px; border-radius: 5px; color: var(--muted); font-size: 0.88rem; }
        .tabs a:hover { text-decoration: none; color: var(--text); }
        .tabs a.active { background: #fff; color: var(--text); box-shadow: 0 1px 2px rgba(0, 0, 0, 0.08); }
        .pager { display: flex; gap: 8px; justify-content: flex-end; margin-top: 10px; }
        .empty { padding: 28px; text-align: center; color: var(--muted); background: var(--panel); border: 1px dashed #d5d9e2; border-radius: var(--radius); }
        .card .empty { border: none; padding: 20px; }
        .flash { padding: 10px 14px; border-radius: var(--radius); margin-bottom: 14px; border: 1px solid; white-space: pre-wrap; }
        .flash.error { background: var(--red-soft); border-color: #f3bcb7; color: #8c1d17; }
        .flash.notice { background: var(--green-soft); border-color: #b9e4c9; color: #14623a; }
        .dlq-note { background: #fbf9ff; border: 1px solid #e6dcf9; padding: 8px 12px; border-radius: var(--radius); }
        pre.body, pre.logs { margin: 0; padding: 12px 14px; background: #0f1420; color: #e3e8f3; border-radius: 6px; overflow: auto; max-height: 560px;
          font-family: var(--mono); font-size: 0.86rem; line-height: 1.5; white-space: pre-wrap; word-break: break-word; }
        pre.logs { background: #111827; }
        .log-toolbar { display: flex; align-items: center; gap: 12px; margin-bottom: 10px; }
        input.log-filter { flex: 1; width: auto; font-family: var(--mono); }
        pre.log-tail { min-height: 120px; max-height: 480px; }
        .log-line { white-space: pre-wrap; word-break: break-word; }
        .log-time { color: #8b93a7; }
        table.kv { border-collapse: collapse; width: 100%; margin-bottom: 6px; }
        table.kv th { text-align: left; font-weight: 500; color: var(--muted); padding: 5px 12px 5px 0; white-space: nowrap; vertical-align: top; width: 1%; font-size: 0.9rem; }
        table.kv td { padding: 5px 0; word-break: break-all; }
        table.kv.wide { background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius); margin-bottom: 16px; }
        table.kv.wide th, table.kv.wide td { padding: 6px 14px; }
        .type { font-size: 0.76rem; color: var(--muted); border: 1px solid var(--line); border-radius: 4px; padding: 0 4px; }
        .error-text { color: var(--red); }
        form { margin: 0; }
        .stack { display: flex; flex-direction: column; gap: 10px; }
        .stack label { display: flex; flex-direction: column; gap: 4px; font-weight: 500; font-size: 0.9rem; }
        .row { display: flex; gap: 10px; flex-wrap: wrap; align-items: flex-end; }
        .row label { flex: 1; min-width: 120px; }
        .inline-form { display: flex; gap: 12px; align-items: flex-end; flex-wrap: wrap; }
        .inline-form label { display: flex; flex-direction: column; gap: 4px; font-size: 0.9rem; font-weight: 500; }
        .inline-form label.check { flex-direction: row; align-items: center; gap: 6px; padding-bottom: 8px; }
        .attributes .attr-name { font-family: var(--mono); font-size: 0.84rem; color: var(--muted); }
        fieldset { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px 10px; display: flex; flex-direction: column; gap: 6px; }
        legend { color: var(--muted); font-size: 0.85rem; padding: 0 4px; }
        .attr-row input, .attr-row select { flex: 1; min-width: 0; }
        .attr-row select { flex: 0 0 110px; }
        input, select, textarea { font: inherit; color: var(--text); background: #fff; border: 1px solid #cfd4de; border-radius: 6px; padding: 6px 9px; }
        textarea { font-family: var(--mono); font-size: 0.88rem; resize: vertical; }
        input:focus, select:focus, textarea:focus { outline: none; border-color: var(--accent); box-shadow: 0 0 0 3px rgba(47, 111, 237, 0.15); }
        input.short { width: 90px; }
        input.filter { width: 260px; }
        button, .button { font: inherit; font-weight: 550; border: 1px solid #cfd4de; background: #fff; color: var(--text); border-radius: 6px;
          padding: 6px 14px; cursor: pointer; display: inline-block; }
        button:hover, .button:hover { background: #f3f5f8; text-decoration: none; }
        button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
        button.primary:hover { background: #2459c9; }
        button.danger { background: #fff; border-color: #e7a29c; color: var(--red); }
        button.danger:hover { background: var(--red-soft); }
        form.inline { display: inline-block; margin-left: 12px; }
        iframe.mail-html { width: 100%; min-height: 420px; border: 1px solid #ddd; border-radius: 6px; background: #fff; }
        pre#mail-text, pre#mail-raw { white-space: pre-wrap; word-break: break-word; max-height: 520px; overflow: auto; }
        button.small, .button.small { padding: 3px 10px; font-size: 0.86rem; }
        """#

    static let script = #"""
        "use strict";
        (function () {
          var LIST_API = "/admin/api/queues";
          var PAGE_SIZE = 100;

          function formatAge(seconds) {
            seconds = Number(seconds) || 0;
            if (seconds <= 0) return "–";
            if (seconds < 60) return seconds + "s";
            if (seconds < 3600) return Math.floor(seconds / 60) + "m " + (seconds % 60) + "s";
            if (seconds < 86400) return Math.floor(seconds / 3600) + "h " + Math.floor((seconds % 3600) / 60) + "m";
            return Math.floor(seconds / 86400) + "d " + Math.floor((seconds % 86400) / 3600) + "h";
          }

          function update(selector, value) {
            document.querySelectorAll(selector).forEach(function (element) {
              var text = element.dataset.format === "age" ? formatAge(value) : String(value);
              if (element.textContent !== text) {
                element.textContent = text;
                element.classList.add("changed");
              }
            });
          }

          function queueHref(id) {
            return "/admin/queues/" + String(id).split("/").map(encodeURIComponent).join("/");
          }

          function arnLink(arn) {
            var parts = String(arn).split(":");
            var link = document.createElement("a");
            link.textContent = parts.length >= 6 ? parts.slice(5).join(":") : arn;
            if (parts.length >= 6) link.href = queueHref(parts[3] + "/" + parts[4] + "/" + parts.slice(5).join(":"));
            return link;
          }

          function span(className, text) {
            var element = document.createElement("span");
            element.className = className;
            element.textContent = text;
            return element;
          }

          // A row of the queue list, built from the API's document (text only, never markup).
          function queueRow(queue) {
            var row = document.createElement("tr");
            row.dataset.name = queue.name;
            row.dataset.id = queue.id;
            var name = document.createElement("td");
            var link = document.createElement("a");
            link.className = "qname";
            link.href = queueHref(queue.id);
            link.textContent = queue.name;
            var sub = document.createElement("div");
            sub.className = "sub";
            sub.textContent = queue.region + " · " + queue.account;
            name.append(link, sub);
            var type = document.createElement("td");
            type.appendChild(span("badge " + (queue.fifo ? "fifo" : "standard"), queue.fifo ? "FIFO" : "Standard"));
            row.append(name, type);
            [["visible", "num strong"], ["inFlight", "num"], ["delayed", "num"], ["oldestMessageAgeSeconds", "num", "age"],
              ["sentPerMinute", "num"], ["receivedPerMinute", "num"], ["deletedPerMinute", "num"]].forEach(function (column) {
              var cell = document.createElement("td");
              cell.className = column[1];
              cell.dataset.queue = queue.id;
              cell.dataset.field = column[0];
              if (column[2]) cell.dataset.format = column[2];
              cell.textContent = column[2] === "age" ? formatAge(queue[column[0]]) : String(queue[column[0]]);
              row.appendChild(cell);
            });
            var links = document.createElement("td");
            links.className = "links";
            if (queue.deadLetterTargetArn) {
              links.append(span("arrow", "→"), " ", arnLink(queue.deadLetterTargetArn), " ", span("sub", "after " + queue.maxReceiveCount));
            }
            (queue.deadLetterSourceArns || []).forEach(function (arn) {
              links.append(span("arrow", "←"), " ", arnLink(arn), " ");
            });
            row.appendChild(links);
            return row;
          }

          function listHref(offset, limit, filter) {
            var params = new URLSearchParams();
            if (filter) params.set("filter", filter);
            if (offset > 0) params.set("offset", String(offset));
            if (limit !== PAGE_SIZE) params.set("limit", String(limit));
            var query = params.toString();
            return "/admin" + (query ? "?" + query : "");
          }

          function filterText() {
            var input = document.getElementById("filter");
            return input ? input.value.trim() : "";
          }

          // The queue list's rows become the page the server sent; rows still listed are kept
          // (moved, not rebuilt), so what a user points at stays in place.
          function showQueuePage(table, payload) {
            var body = table.tBodies[0];
            var existing = {};
            Array.prototype.forEach.call(body.rows, function (row) { existing[row.dataset.id] = row; });
            var visible = Array.prototype.filter.call(body.rows, function (row) { return !row.hidden; });
            var same = visible.length === body.rows.length && visible.length === payload.queues.length &&
              payload.queues.every(function (queue, index) { return visible[index].dataset.id === queue.id; });
            if (!same) {
              var keep = {};
              payload.queues.forEach(function (queue) {
                var row = existing[queue.id] || queueRow(queue);
                row.hidden = false;
                keep[queue.id] = true;
                body.appendChild(row);
              });
              Object.keys(existing).forEach(function (id) { if (!keep[id]) existing[id].remove(); });
            }
            var shown = payload.queues.length;
            var count = document.getElementById("queues-count");
            if (count) count.textContent = String(payload.total);
            var text = document.getElementById("queues-page-text");
            if (text) text.textContent = shown ? (payload.offset + 1) + "–" + (payload.offset + shown) + " of " + payload.total : "";
            var previous = document.getElementById("queues-previous");
            if (previous) {
              previous.hidden = payload.offset <= 0;
              previous.href = listHref(Math.max(0, payload.offset - payload.limit), payload.limit, filterText());
            }
            var next = document.getElementById("queues-next");
            if (next) {
              next.hidden = payload.offset + shown >= payload.total;
              next.href = listHref(payload.offset + shown, payload.limit, filterText());
            }
          }

          // The live URL, with the queue list's page and filter when it is the list.
          function liveURL(base) {
            var table = document.getElementById("queues-table");
            if (base !== LIST_API || !table) return base;
            var params = new URLSearchParams();
            params.set("offset", table.dataset.offset || "0");
            params.set("limit", table.dataset.limit || String(PAGE_SIZE));
            if (filterText()) params.set("filter", filterText());
            return base + "?" + params.toString();
          }

          // One poll; the promise always resolves, once the answer is applied or has failed.
          function refresh(url, status) {
            return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
              .then(function (response) {
                if (!response.ok) throw new Error(String(response.status));
                return response.json();
              })
              .then(function (payload) {
                var table = document.getElementById("queues-table");
                if (payload.queues && table) showQueuePage(table, payload);
                var queues = payload.queues || (payload.id ? [payload] : []);
                queues.forEach(function (queue) {
                  Object.keys(queue).forEach(function (field) {
                    var value = queue[field];
                    if (value === null || typeof value === "object") return;
                    update('[data-queue="' + CSS.escape(queue.id) + '"][data-field="' + field + '"]', value);
                  });
                  (queue.moveTasks || []).forEach(function (task) {
                    update('[data-task="' + CSS.escape(task.taskId) + '"][data-field="status"]', task.status);
                    update('[data-task="' + CSS.escape(task.taskId) + '"][data-field="approximateNumberOfMessagesMoved"]', task.approximateNumberOfMessagesMoved);
                  });
                });
                if (status) { status.classList.add("ok"); status.classList.remove("failed"); }
              })
              .catch(function () {
                if (status) { status.classList.add("failed"); status.classList.remove("ok"); }
              });
          }

          // Polls every 2 s with `refresh` (a function returning a promise that always resolves),
          // never two at once: the next poll is scheduled when the previous answer is in, however
          // slow the server is; a hidden tab does not poll. Returns a function that polls now.
          function startPolling(refresh) {
            var inFlight = false;
            var again = false;
            var timer = null;
            function schedule(delay) {
              timer = setTimeout(function () {
                timer = null;
                if (document.hidden) schedule(2000); else poll();
              }, delay);
            }
            function poll() {
              if (inFlight) { again = true; return; }
              if (timer) { clearTimeout(timer); timer = null; }
              inFlight = true;
              refresh().then(function () {
                inFlight = false;
                var soon = again;
                again = false;
                schedule(soon ? 0 : 2000);
              });
            }
            poll();
            return poll;
          }

          // The function page's live tail: the newest lines matching the filter pattern (the
          // server parses it as filter-log-events does), then every 2 s the lines written since.
          // Lines are added as text, never as HTML.
          var MAX_LOG_LINES = 1000;
          function startLogTail(section) {
            var api = section.dataset.logs;
            var filter = document.getElementById("log-filter");
            var tail = document.getElementById("log-tail");
            var streams = document.getElementById("log-streams");
            var error = document.getElementById("log-error");
            var status = document.getElementById("log-status");
            var token = null;
            var generation = 0;
            function time(ms) { return new Date(ms).toISOString().replace("T", " ").slice(0, 23); }
            function url() {
              var params = new URLSearchParams();
              if (filter.value.trim()) params.set("filter", filter.value.trim());
              if (token) params.set("after", token);
              return api + "?" + params.toString();
            }
            function showStreams(list) {
              streams.textContent = "";
              list.forEach(function (stream) {
                var row = streams.insertRow();
                row.dataset.stream = stream.logStreamName;
                [stream.logStreamName, stream.firstEventTimestamp, stream.lastEventTimestamp].forEach(function (value, index) {
                  var cell = row.insertCell();
                  cell.className = index === 0 ? "mono" : "nowrap small";
                  cell.textContent = index === 0 ? value : (value ? time(value) : "");
                });
              });
            }
            function append(events) {
              var atBottom = tail.scrollTop + tail.clientHeight >= tail.scrollHeight - 4;
              events.forEach(function (event) {
                var line = document.createElement("div");
                line.className = "log-line";
                line.dataset.eventId = event.eventId;
                line.title = event.logStreamName;
                var stamp = document.createElement("span");
                stamp.className = "log-time";
                stamp.textContent = time(event.timestamp) + "  ";
                line.appendChild(stamp);
                line.appendChild(document.createTextNode(event.message));
                tail.appendChild(line);
              });
              while (tail.childElementCount > MAX_LOG_LINES) tail.firstElementChild.remove();
              if (atBottom) tail.scrollTop = tail.scrollHeight;
            }
            function refresh() {
              var mine = generation;
              return fetch(url(), { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
                .then(function (response) {
                  return response.json().then(function (payload) {
                    if (!response.ok) throw new Error(payload.message || String(response.status));
                    return payload;
                  });
                })
                .then(function (payload) {
                  if (mine !== generation) return;
                  error.hidden = true;
                  token = payload.nextToken || token;
                  showStreams(payload.streams);
                  append(payload.events);
                  status.classList.add("ok"); status.classList.remove("failed");
                })
                .catch(function (problem) {
                  if (mine !== generation) return;
                  error.textContent = problem.message;
                  error.hidden = false;
                  status.classList.add("failed"); status.classList.remove("ok");
                });
            }
            var pollNow = startPolling(refresh);
            var debounce = null;
            filter.addEventListener("input", function () {
              if (debounce) clearTimeout(debounce);
              debounce = setTimeout(function () {
                generation += 1;
                token = null;
                tail.textContent = "";
                pollNow();
              }, 300);
            });
          }

          document.addEventListener("DOMContentLoaded", function () {
            var live = document.body.dataset.live;
            var pollNow = null;
            if (live) {
              var liveStatus = document.getElementById("live-status");
              pollNow = startPolling(function () { return refresh(liveURL(live), liveStatus); });
            }
            var logs = document.getElementById("function-logs");
            if (logs) startLogTail(logs);

            document.querySelectorAll("input[data-filter]").forEach(function (input) {
              var table = document.getElementById(input.dataset.filter);
              var debounce = null;
              input.addEventListener("input", function () {
                var needle = input.value.trim().toLowerCase();
                if (table) {
                  table.querySelectorAll("tbody tr").forEach(function (row) {
                    row.hidden = needle !== "" && (row.dataset.name || "").toLowerCase().indexOf(needle) === -1;
                  });
                }
                // Then ask the server, which filters every queue, not just this page.
                if (debounce) clearTimeout(debounce);
                debounce = setTimeout(function () {
                  if (table) table.dataset.offset = "0";
                  if (pollNow) pollNow();
                }, 300);
              });
            });

            document.querySelectorAll("form[data-confirm]").forEach(function (form) {
              form.addEventListener("submit", function (event) {
                if (!window.confirm(form.dataset.confirm)) event.preventDefault();
              });
            });
          });
        })();
        """#
}
