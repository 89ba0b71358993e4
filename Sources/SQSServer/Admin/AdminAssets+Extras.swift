extension AdminAssets {
    /// `admin-extras.js`: selecting messages, the receive page's in-place actions, the charts'
    /// SVG renderer and the function page's remembered test events. Everything is built with
    /// DOM calls and `textContent`, never from markup.
    static let extrasScript = #"""
        "use strict";
        (function () {
          var SVG = "http://www.w3.org/2000/svg";
          var EVENTS_KEPT = 5;

          function svg(name, attributes) {
            var element = document.createElementNS(SVG, name);
            Object.keys(attributes || {}).forEach(function (key) { element.setAttribute(key, String(attributes[key])); });
            return element;
          }

          function clock(ms) {
            var date = new Date(ms);
            return String(date.getHours()).padStart(2, "0") + ":" + String(date.getMinutes()).padStart(2, "0");
          }

          function niceMax(value) {
            if (value <= 1) return 1;
            var power = Math.pow(10, Math.floor(Math.log10(value)));
            var steps = [1, 2, 2.5, 5, 10];
            for (var i = 0; i < steps.length; i++) if (steps[i] * power >= value) return steps[i] * power;
            return 10 * power;
          }

          // A line chart: one polyline per series over evenly spaced minutes; gaps (null) break lines.
          function drawChart(figure) {
            var data;
            try { data = JSON.parse(figure.dataset.chart); } catch (error) { return; }
            var width = 600, height = 170, left = 44, right = 8, top = 8, bottom = 22;
            var count = Math.max(2, data.points || 0);
            var max = 0;
            data.series.forEach(function (series) {
              series.values.forEach(function (value) { if (value !== null && value > max) max = value; });
            });
            max = niceMax(max);
            var x = function (index) { return left + (width - left - right) * index / (count - 1); };
            var y = function (value) { return top + (height - top - bottom) * (1 - value / max); };
            var chart = svg("svg", { viewBox: "0 0 " + width + " " + height, role: "img", preserveAspectRatio: "none" });
            var title = svg("title");
            title.textContent = figure.querySelector("figcaption") ? figure.querySelector("figcaption").textContent : "chart";
            chart.appendChild(title);
            [0, max / 2, max].forEach(function (value) {
              chart.appendChild(svg("line", { class: "axis", x1: left, x2: width - right, y1: y(value), y2: y(value) }));
              var label = svg("text", { x: left - 6, y: y(value) + 4, "text-anchor": "end" });
              label.textContent = (Math.round(value * 100) / 100) + (data.unit || "");
              chart.appendChild(label);
            });
            var first = svg("text", { x: left, y: height - 4 });
            first.textContent = clock(data.start);
            var last = svg("text", { x: width - right, y: height - 4, "text-anchor": "end" });
            last.textContent = clock(data.start + (count - 1) * data.step);
            chart.append(first, last);
            var legend = document.createElement("ul");
            legend.className = "chart-legend";
            data.series.forEach(function (series, index) {
              var points = [];
              var tone = "tone-" + (series.tone || "accent");
              function flush() {
                if (points.length === 1) {
                  var xy = points[0].split(",");
                  chart.appendChild(svg("circle", { class: tone, cx: xy[0], cy: xy[1], r: 3 }));
                } else if (points.length) {
                  chart.appendChild(svg("polyline", { class: tone, points: points.join(" ") }));
                }
                points = [];
              }
              series.values.forEach(function (value, i) {
                if (value === null) { flush(); return; }
                points.push(x(i).toFixed(1) + "," + y(value).toFixed(1));
              });
              flush();
              var item = document.createElement("li");
              item.className = tone;
              var name = document.createElement("span");
              var latest = series.values.filter(function (value) { return value !== null; }).pop();
              name.textContent = series.name + (latest === undefined ? "" : " (" + latest + (data.unit || "") + " last)");
              item.appendChild(name);
              legend.appendChild(item);
            });
            figure.querySelectorAll("svg, ul.chart-legend").forEach(function (old) { old.remove(); });
            figure.append(chart, legend);
          }

          function selection() {
            var boxes = document.querySelectorAll('input[type=checkbox][name=id][form="bulk-form"]');
            var count = document.getElementById("selected-count");
            var checked = Array.prototype.filter.call(boxes, function (box) { return box.checked; }).length;
            if (count) count.textContent = checked + " selected";
            return checked;
          }

          // Forms marked data-inline post in place and show the answer beside them.
          function inlineForm(form) {
            form.addEventListener("submit", function (event) {
              event.preventDefault();
              var result = form.parentElement.querySelector(".inline-result");
              fetch(form.action, {
                method: "POST", credentials: "same-origin", headers: { Accept: "application/json" },
                body: new URLSearchParams(new FormData(form))
              }).then(function (response) { return response.json(); }).then(function (answer) {
                if (result) {
                  result.textContent = answer.message;
                  result.className = "inline-result " + (answer.ok ? "ok" : "failed");
                }
                if (answer.ok && /delete-received$/.test(form.action)) {
                  form.querySelectorAll("button").forEach(function (button) { button.disabled = true; });
                }
              }).catch(function (problem) {
                if (result) { result.textContent = String(problem); result.className = "inline-result failed"; }
              });
            });
          }

          // The function page's test form remembers the last events sent, per function.
          function rememberEvents(form) {
            var match = /\/admin\/functions\/([^/]+)\/invoke$/.exec(new URL(form.action, location.href).pathname);
            var textarea = form.querySelector("textarea[name=event]");
            if (!match || !textarea) return;
            var key = "sqslite.testEvents." + decodeURIComponent(match[1]);
            var events = [];
            try { events = JSON.parse(localStorage.getItem(key) || "[]"); } catch (error) { events = []; }
            if (!Array.isArray(events)) events = [];
            if (events.length) {
              var label = document.createElement("label");
              label.textContent = "Recent test events ";
              var select = document.createElement("select");
              select.id = "recent-events";
              var none = document.createElement("option");
              none.value = "";
              none.textContent = "choose one of the last " + events.length;
              select.appendChild(none);
              events.forEach(function (text, index) {
                var option = document.createElement("option");
                option.value = String(index);
                option.textContent = String(text).replace(/\s+/g, " ").slice(0, 80);
                select.appendChild(option);
              });
              select.addEventListener("change", function () {
                if (select.value !== "") textarea.value = events[Number(select.value)];
              });
              label.appendChild(select);
              form.insertBefore(label, form.querySelector("label"));
            }
            form.addEventListener("submit", function () {
              var text = textarea.value;
              var kept = [text].concat(events.filter(function (old) { return old !== text; })).slice(0, EVENTS_KEPT);
              try { localStorage.setItem(key, JSON.stringify(kept)); } catch (error) { /* storage full or off */ }
            });
          }

          document.addEventListener("DOMContentLoaded", function () {
            document.querySelectorAll("figure.chart[data-chart]").forEach(drawChart);
            document.querySelectorAll("form[data-inline]").forEach(inlineForm);
            document.querySelectorAll('form[action$="/invoke"]').forEach(rememberEvents);
            var all = document.getElementById("select-all");
            if (all) {
              all.addEventListener("change", function () {
                document.querySelectorAll('input[type=checkbox][name=id][form="bulk-form"]').forEach(function (box) { box.checked = all.checked; });
                selection();
              });
            }
            document.querySelectorAll('input[type=checkbox][name=id][form="bulk-form"]').forEach(function (box) {
              box.addEventListener("change", selection);
            });
            var bulk = document.getElementById("bulk-form");
            if (bulk) {
              bulk.addEventListener("submit", function (event) {
                var op = event.submitter ? event.submitter.value : "";
                var checked = selection();
                if (checked === 0) { event.preventDefault(); window.alert("Select at least one message."); return; }
                if (op === "delete" && !window.confirm("Delete " + checked + " selected messages?")) event.preventDefault();
              });
            }
          });
        })();
        """#
}
