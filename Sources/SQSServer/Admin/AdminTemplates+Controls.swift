extension AdminTemplates {
    /// The "Test controls" page: the clock, fault rules and the call record (`/admin/controls`).
    static let controls = #"""
        <div class="page-head"><h1>Test controls</h1></div>
        <p class="hint">What test suites do through <code>/_sqslite/…</code>: move the server's clock, inject faults, reset, and see every API call.</p>
        <div class="columns">
          <section class="card" id="clock">
            <h2>Clock</h2>
            <table class="kv">
              <tr><th>Server time</th><td class="mono" id="clock-now">{{nowIso}}</td></tr>
              <tr><th>Ahead of the wall clock</th><td class="mono">{{offset}}</td></tr>
              <tr><th>State</th><td>{{#controllable}}{{#frozen}}<span class="badge state-delayed">frozen</span>{{/frozen}}{{^frozen}}<span class="badge enabled">running</span>{{/frozen}}{{/controllable}}{{^controllable}}<span class="badge disabled">not controllable</span>{{/controllable}}</td></tr>
            </table>
            {{#controllable}}
            <form method="post" action="/admin/controls/clock/advance" class="inline-form">
              <input type="hidden" name="_csrf" value="{{csrf}}">
              <label>Advance by (seconds) <input type="number" name="seconds" min="0" step="any" required value="60" class="short"></label>
              <button type="submit" class="primary">Advance</button>
            </form>
            <div class="row">
              <form method="post" action="/admin/controls/clock/{{#frozen}}resume{{/frozen}}{{^frozen}}freeze{{/frozen}}">
                <input type="hidden" name="_csrf" value="{{csrf}}">
                <button type="submit">{{#frozen}}Resume{{/frozen}}{{^frozen}}Freeze{{/frozen}}</button>
              </form>
            </div>
            {{/controllable}}
            {{^controllable}}<p class="hint">Start sqslite with <code>--controllable-clock</code> to move time.</p>{{/controllable}}
          </section>
          <section class="card danger">
            <h2>Reset</h2>
            <p class="hint">Deletes every queue and message, every event-source mapping, every log group, the fault rules and the call record. The clock stays as it is.</p>
            <form method="post" action="/admin/controls/reset" data-confirm="Delete every queue, mapping and log group?">
              <input type="hidden" name="_csrf" value="{{csrf}}">
              <button type="submit" class="danger">Reset everything</button>
            </form>
          </section>
        </div>

        <section class="card" id="faults">
          <div class="card-head"><h2>Fault rules</h2>
          {{#hasRules}}<form method="post" action="/admin/controls/faults/clear"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit" class="small danger">Clear all</button></form>{{/hasRules}}</div>
          {{#hasRules}}
          <div class="table-wrap">
          <table class="grid compact" id="faults-table">
            <thead><tr><th>Id</th><th>Service</th><th>Action</th><th>Queue / function</th><th>Effect</th><th class="num">Probability</th><th class="num">Count</th><th class="num">Hits</th><th></th></tr></thead>
            <tbody>{{#rules}}
            <tr><td class="mono">{{id}}</td><td>{{service}}</td><td>{{action}}</td><td>{{target}}</td><td>{{effect}}</td>
            <td class="num">{{probability}}</td><td class="num">{{count}}</td><td class="num strong">{{hits}}</td>
            <td><form method="post" action="/admin/controls/faults/{{id}}/delete"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit" class="small">Remove</button></form></td></tr>
            {{/rules}}</tbody>
          </table>
          </div>
          {{/hasRules}}
          {{^hasRules}}<div class="empty">No fault rules: every request runs normally.</div>{{/hasRules}}
          <h2 class="section">Add a rule</h2>
          <form method="post" action="/admin/controls/faults" class="inline-form">
            <input type="hidden" name="_csrf" value="{{csrf}}">
            <label>Service <select name="service"><option>sqs</option><option>lambda</option><option>logs</option></select></label>
            <label>Action <input name="action" placeholder="any, or SendMessage, Send*"></label>
            <label>Queue / function <input name="target" placeholder="any, or orders*"></label>
            <label>Error <input name="error" list="fault-errors" placeholder="none (delay only)">
              <datalist id="fault-errors">{{#errors}}<option value="{{.}}">{{/errors}}</datalist></label>
            <label>Delay (ms) <input name="latencyMs" placeholder="500 or 50-500" class="short"></label>
            <label>Probability <input type="number" name="probability" min="0" max="1" step="any" value="1" class="short"></label>
            <label>Count <input type="number" name="count" min="1" placeholder="∞" class="short"></label>
            <label>Invocations <select name="invocations"><option value="">—</option><option value="error">fail</option><option value="timeout">time out</option></select></label>
            <button type="submit" class="primary">Add</button>
          </form>
          <p class="hint">Invocations applies to a Lambda function (service lambda, its name as the target): its next Count invocations fail or time out.</p>
        </section>

        <section class="card" id="calls">
          <div class="card-head"><h2>Calls <span class="count">{{callCount}}</span></h2>
            <form method="post" action="/admin/controls/calls/clear"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit" class="small">Clear</button></form></div>
          <form method="get" action="/admin/controls" class="inline-form">
            <label>Service <input name="service" value="{{filterService}}" class="short" placeholder="any"></label>
            <label>Action <input name="action" value="{{filterAction}}" placeholder="any"></label>
            <label>Queue / function <input name="queue" value="{{filterQueue}}" placeholder="any"></label>
            <button type="submit">Filter</button>
          </form>
          {{#hasCalls}}
          <div class="table-wrap">
          <table class="grid compact" id="calls-table">
            <thead><tr><th>Time</th><th>Service</th><th>Action</th><th>Queue / function</th><th class="num">Status</th><th>Error</th><th class="num">ms</th><th>Caller</th><th>Request id</th></tr></thead>
            <tbody>{{#calls}}
            <tr><td class="mono small nowrap">{{time}}</td><td>{{service}}</td><td>{{action}}</td><td>{{resource}}</td>
            <td class="num">{{status}}</td><td class="error-text">{{errorCode}}</td><td class="num">{{duration}}</td><td class="mono small">{{principal}}</td><td class="mono small">{{requestId}}</td></tr>
            {{/calls}}</tbody>
          </table>
          </div>
          <p class="hint">The newest {{shown}} first{{#dropped}}; {{dropped}} older calls left the ring (raise --call-record-size to keep more){{/dropped}}.</p>
          {{/hasCalls}}
          {{^hasCalls}}<div class="empty">No calls recorded{{#filtered}} that match{{/filtered}}.</div>{{/hasCalls}}
        </section>
        """#
}
