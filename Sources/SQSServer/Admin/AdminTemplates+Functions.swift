extension AdminTemplates {
    static let functions = #"""
        <div class="page-head"><h1>Functions <span class="count">{{functionCount}}</span></h1></div>
        {{#hasFunctions}}
        <div class="table-wrap">
        <table class="grid">
          <thead><tr><th>Name</th><th>Kind</th><th>Runtime</th><th class="num">Timeout</th><th class="num">Memory</th><th class="num">Recent</th><th>Last outcome</th></tr></thead>
          <tbody>{{#functions}}
          <tr><td><a class="qname" href="{{href}}">{{name}}</a></td><td>{{kind}}</td><td class="mono">{{runtime}}</td>
          <td class="num">{{timeout}} s</td><td class="num">{{memorySize}} MB</td><td class="num">{{recent}}</td>
          <td>{{#lastStatus}}<span class="badge outcome-{{lastStatus}}">{{lastStatus}}</span>{{/lastStatus}}</td></tr>
          {{/functions}}</tbody>
        </table>
        </div>
        {{/hasFunctions}}
        {{^hasFunctions}}<div class="empty">No functions. Declare them in the config file, or register them in code.</div>{{/hasFunctions}}
        <h2 class="section">Event-source mappings</h2>
        {{>mappingsTable}}
        <h2 class="section">Recent invocations</h2>
        {{>invocationsTable}}
        """#

    static let function = #"""
        <div class="crumbs"><a href="/admin/functions">Functions</a> <span>/</span> {{name}}</div>
        <div class="page-head"><h1>{{name}}</h1> <span class="badge">{{kind}}</span></div>
        <div class="ids"><span>ARN <code>{{arn}}</code></span><span>Runtime <code>{{runtime}}</code></span>{{#handler}}<span>Handler <code>{{handler}}</code></span>{{/handler}}<span>Timeout <code>{{timeout}} s</code></span></div>
        <div class="columns">
          <section class="card">
            <h2>Test</h2>
            <p class="hint">Invokes the function once with this event, like the console's Test button. No message is received or deleted.</p>
            <form method="post" action="{{invokeAction}}" class="stack">
              <input type="hidden" name="_csrf" value="{{csrf}}">
              <label>Event <textarea name="event" rows="16" class="mono">{{sampleEvent}}</textarea></label>
              <div><button type="submit" class="primary">Invoke</button></div>
            </form>
          </section>
          <section class="card">
            <h2>Event-source mappings</h2>
            {{>mappingsTable}}
          </section>
        </div>
        {{#logsAPI}}
        <h2 class="section">Logs <span class="muted small mono">{{logGroup}}</span></h2>
        <section class="card" id="function-logs" data-logs="{{logsAPI}}">
          <div class="log-toolbar">
            <input type="search" id="log-filter" class="filter log-filter" autocomplete="off" spellcheck="false" aria-label="Filter pattern"
              placeholder="Filter pattern, as in filter-log-events: ERROR -timeout, { $.level = &quot;ERROR&quot; }, [ip, user, ...]">
            <span class="live" id="log-status" title="New lines appear every 2 s">live tail</span>
          </div>
          <p class="error-text small" id="log-error" hidden></p>
          <pre class="logs log-tail" id="log-tail" aria-live="polite"></pre>
          <h3 class="small">Log streams</h3>
          <div class="table-wrap"><table class="grid"><thead><tr><th>Stream</th><th>First event</th><th>Last event</th></tr></thead>
          <tbody id="log-streams"></tbody></table></div>
        </section>
        {{/logsAPI}}
        <h2 class="section">Recent invocations</h2>
        {{>invocationsTable}}
        """#

    static let mappingsTable = #"""
        {{#hasMappings}}
        <div class="table-wrap">
        <table class="grid">
          <thead><tr><th>Queue</th><th>Function</th><th class="num">Batch</th><th class="num">Window</th><th>State</th><th>Last result</th><th></th></tr></thead>
          <tbody>{{#mappings}}
          <tr><td>{{#queueHref}}<a href="{{queueHref}}">{{queueName}}</a>{{/queueHref}}{{^queueHref}}{{queueName}}{{/queueHref}}<div class="sub mono">{{shortId}}</div></td>
          <td><a href="{{functionHref}}">{{functionName}}</a></td><td class="num">{{batchSize}}</td><td class="num">{{window}} s</td>
          <td><span class="badge {{stateClass}}">{{state}}</span></td><td class="small">{{lastResult}}</td>
          <td><form method="post" action="{{toggleAction}}"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit" class="small">{{toggleLabel}}</button></form></td></tr>
          {{/mappings}}</tbody>
        </table>
        </div>
        {{/hasMappings}}
        {{^hasMappings}}<div class="empty">No event-source mappings.</div>{{/hasMappings}}
        """#

    static let invocationsTable = #"""
        {{#hasInvocations}}
        <div class="table-wrap">
        <table class="grid">
          <thead><tr><th>Time</th><th>Function</th><th class="num">Batch</th><th class="num">Duration</th><th>Outcome</th><th>Source</th><th>Error</th></tr></thead>
          <tbody>{{#invocations}}
          <tr><td class="nowrap"><a href="{{href}}">{{time}}</a></td><td>{{functionName}}</td><td class="num">{{batchSize}}</td>
          <td class="num">{{duration}} ms</td><td><span class="badge outcome-{{status}}">{{status}}</span></td><td class="small">{{source}}</td>
          <td class="small error-text">{{error}}</td></tr>
          {{/invocations}}</tbody>
        </table>
        </div>
        {{/hasInvocations}}
        {{^hasInvocations}}<div class="empty">No invocations yet.</div>{{/hasInvocations}}
        """#

    static let invocation = #"""
        <div class="crumbs"><a href="/admin/functions">Functions</a> <span>/</span> <a href="{{functionHref}}">{{functionName}}</a> <span>/</span> invocation {{id}}</div>
        <div class="page-head"><h1>Invocation {{id}}</h1> <span class="badge outcome-{{status}}">{{status}}</span></div>
        <table class="kv wide">{{#details}}<tr><th>{{name}}</th><td class="mono">{{value}}</td></tr>{{/details}}</table>
        {{#error}}<div class="flash error">{{error}}</div>{{/error}}
        <div class="columns">
          <section class="card"><h2>Event</h2><pre class="body">{{event}}</pre></section>
          <section class="card"><h2>Response</h2><pre class="body">{{response}}</pre></section>
        </div>
        <section class="card"><h2>Log lines</h2>
          {{#hasLogs}}<pre class="logs">{{#logLines}}{{.}}
        {{/logLines}}</pre>{{/hasLogs}}
          {{^hasLogs}}<p class="muted">The function printed nothing.</p>{{/hasLogs}}
        </section>
        """#
}
