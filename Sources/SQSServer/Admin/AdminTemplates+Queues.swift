extension AdminTemplates {
    static let queues = #"""
        <div class="page-head">
          <h1>Queues <span class="count" id="queues-count">{{count}}</span></h1>
          <span class="spacer"></span>
          <form method="get" action="/admin" role="search">
            <input type="search" id="filter" name="filter" value="{{filter}}" class="filter" placeholder="Filter by name…" aria-label="Filter queues by name" data-filter="queues-table">
          </form>
        </div>
        {{#hasQueues}}
        <div class="table-wrap">
        <table class="grid" id="queues-table" data-offset="{{offset}}" data-limit="{{limit}}">
          <thead><tr>
            <th>Name</th><th>Type</th><th class="num">Visible</th><th class="num">In flight</th><th class="num">Delayed</th>
            <th class="num">Oldest</th><th class="num" title="Sent in the last minute">Sent/min</th>
            <th class="num" title="Received in the last minute">Recv/min</th><th class="num" title="Deleted in the last minute">Del/min</th>
            <th>Dead-letter</th>
          </tr></thead>
          <tbody>
          {{#queues}}
          <tr data-name="{{name}}" data-id="{{id}}">
            <td><a class="qname" href="{{href}}">{{name}}</a><div class="sub">{{region}} · {{account}}</div></td>
            <td><span class="badge {{typeClass}}">{{type}}</span></td>
            <td class="num strong" data-queue="{{id}}" data-field="visible">{{visible}}</td>
            <td class="num" data-queue="{{id}}" data-field="inFlight">{{inFlight}}</td>
            <td class="num" data-queue="{{id}}" data-field="delayed">{{delayed}}</td>
            <td class="num" data-queue="{{id}}" data-field="oldestMessageAgeSeconds" data-format="age">{{oldest}}</td>
            <td class="num" data-queue="{{id}}" data-field="sentPerMinute">{{sentPerMinute}}</td>
            <td class="num" data-queue="{{id}}" data-field="receivedPerMinute">{{receivedPerMinute}}</td>
            <td class="num" data-queue="{{id}}" data-field="deletedPerMinute">{{deletedPerMinute}}</td>
            <td class="links">
              {{#target}}<span class="arrow" title="Failed messages go to">→</span> <a href="{{href}}">{{name}}</a> <span class="sub">after {{maxReceiveCount}}</span>{{/target}}
              {{#sources}}<span class="arrow" title="Dead-letter queue of">←</span> <a href="{{href}}">{{name}}</a> {{/sources}}
            </td>
          </tr>
          {{/queues}}
          </tbody>
        </table>
        </div>
        <div class="pager" id="queues-pager">
          <span class="muted" id="queues-page-text">{{pageText}}</span>
          <a class="button small" id="queues-previous" href="{{previousHref}}"{{^previousHref}} hidden{{/previousHref}}>Previous</a>
          <a class="button small" id="queues-next" href="{{nextHref}}"{{^nextHref}} hidden{{/nextHref}}>Next</a>
        </div>
        {{/hasQueues}}
        {{^hasQueues}}<div class="empty">{{#filter}}No queue name contains “{{filter}}”.{{/filter}}{{^filter}}No queues yet. Create one below, or with any SQS client.{{/filter}}</div>{{/hasQueues}}
        <section class="card">
          <h2>Create a queue</h2>
          <form method="post" action="/admin/queues" class="inline-form">
            <input type="hidden" name="_csrf" value="{{csrf}}">
            <label>Name <input name="name" required maxlength="80" pattern="[A-Za-z0-9_\-]+(\.fifo)?" placeholder="orders"></label>
            <label class="check"><input type="checkbox" name="fifo" value="true"> FIFO</label>
            <label>Dead-letter queue
              <input name="deadLetterTarget" list="queue-names" placeholder="none (name or ARN)">
              <datalist id="queue-names">{{#queues}}<option value="{{name}}">{{/queues}}</datalist>
            </label>
            <label>Max receives <input type="number" name="maxReceiveCount" min="1" max="1000" value="5" class="short"></label>
            <button type="submit" class="primary">Create</button>
          </form>
        </section>
        """#

    static let queue = #"""
        <div class="crumbs"><a href="/admin">Queues</a> <span>/</span> {{name}}</div>
        <div class="page-head">
          <h1>{{name}}</h1> <span class="badge {{typeClass}}">{{type}}</span>
          <span class="spacer"></span>
          <a class="button" href="{{peekHref}}" title="LocalStack-compatible peek API">Peek API</a>
        </div>
        <div class="ids"><span>URL <code>{{url}}</code></span><span>ARN <code>{{arn}}</code></span></div>
        <div class="stats">
          <div class="stat"><span class="label">Visible</span><span class="value" data-queue="{{id}}" data-field="visible">{{visible}}</span></div>
          <div class="stat"><span class="label">In flight</span><span class="value" data-queue="{{id}}" data-field="inFlight">{{inFlight}}</span></div>
          <div class="stat"><span class="label">Delayed</span><span class="value" data-queue="{{id}}" data-field="delayed">{{delayed}}</span></div>
          <div class="stat"><span class="label">Oldest</span><span class="value" data-queue="{{id}}" data-field="oldestMessageAgeSeconds" data-format="age">{{oldest}}</span></div>
          <div class="stat"><span class="label">Sent/min</span><span class="value" data-queue="{{id}}" data-field="sentPerMinute">{{sentPerMinute}}</span></div>
          <div class="stat"><span class="label">Recv/min</span><span class="value" data-queue="{{id}}" data-field="receivedPerMinute">{{receivedPerMinute}}</span></div>
          <div class="stat"><span class="label">Del/min</span><span class="value" data-queue="{{id}}" data-field="deletedPerMinute">{{deletedPerMinute}}</span></div>
        </div>
        {{#target}}<p class="dlq-note">Messages received more than <strong>{{maxReceiveCount}}</strong> times move to the dead-letter queue <a href="{{href}}">{{name}}</a>.</p>{{/target}}
        {{#isDLQ}}
        <section class="card dlq">
          <h2>Dead-letter queue</h2>
          <p>Receives the failed messages of {{#sources}}<a href="{{href}}">{{name}}</a> {{/sources}}</p>
          <form method="post" action="{{actionBase}}/redrive" class="inline-form" data-confirm="Move every message back to its source queue?">
            <input type="hidden" name="_csrf" value="{{csrf}}">
            <button type="submit" class="primary">Redrive to source</button>
            <span class="muted">A message move task, as StartMessageMoveTask starts it.</span>
          </form>
          {{#hasTasks}}
          <table class="grid compact"><thead><tr><th>Task</th><th>Status</th><th class="num">Moved</th><th class="num">To move</th><th>Started</th></tr></thead>
          <tbody>{{#tasks}}<tr><td><code>{{shortId}}</code></td><td><span class="badge {{statusClass}}" data-task="{{taskId}}" data-field="status">{{status}}</span></td>
          <td class="num" data-task="{{taskId}}" data-field="approximateNumberOfMessagesMoved">{{moved}}</td><td class="num">{{toMove}}</td><td>{{started}}</td></tr>{{/tasks}}</tbody></table>
          {{/hasTasks}}
        </section>
        {{/isDLQ}}
        {{>queueCharts}}
        <section class="card">
          <div class="card-head">
            <h2>Messages</h2>
            <nav class="tabs">{{#filters}}<a href="{{href}}"{{#active}} class="active"{{/active}}>{{label}}</a>{{/filters}}</nav>
            <span class="spacer"></span>
            <span class="muted">{{pageText}}</span>
            <a class="button small" href="{{selfHref}}">Refresh</a>
          </div>
          <p class="hint">Listing messages never receives them: visibility and receive counts stay as they are.</p>
          {{>messageTools}}
          {{#hasMessages}}
          <div class="table-wrap">
          <table class="grid messages">
            <thead><tr><th class="select"><input type="checkbox" id="select-all" aria-label="Select every message on this page"></th><th>Message</th><th>State</th><th>Sent</th><th class="num">Receives</th>{{#fifo}}<th>Group</th><th>Sequence</th>{{/fifo}}<th>Body</th></tr></thead>
            <tbody>
            {{#messages}}
            <tr data-message-id="{{messageId}}">
              <td class="select"><input type="checkbox" name="id" value="{{messageId}}" form="bulk-form" aria-label="Select message {{shortId}}"></td>
              <td><a class="mono" href="{{href}}">{{shortId}}</a></td>
              <td><span class="badge state-{{stateClass}}">{{stateLabel}}</span></td>
              <td class="nowrap" title="{{sentISO}}">{{sentText}}</td>
              <td class="num">{{receiveCount}}</td>
              {{#fifo}}<td class="mono">{{group}}</td><td class="mono small">{{sequence}}</td>{{/fifo}}
              <td class="body-preview"><a href="{{href}}">{{preview}}</a></td>
            </tr>
            {{/messages}}
            </tbody>
          </table>
          </div>
          <div class="pager">{{#previousHref}}<a class="button small" href="{{previousHref}}">← Previous</a>{{/previousHref}}{{#nextHref}}<a class="button small" href="{{nextHref}}">Next →</a>{{/nextHref}}</div>
          {{/hasMessages}}
          {{^hasMessages}}<div class="empty">No messages{{#filtered}} in this state{{/filtered}}{{#search}} matching “{{search}}”{{/search}}.</div>{{/hasMessages}}
        </section>
        {{>consumerTools}}
        <div class="columns">
          <section class="card">
            <h2>Send a message</h2>
            <form method="post" action="{{actionBase}}/send" class="stack" id="send-form">
              <input type="hidden" name="_csrf" value="{{csrf}}">
              <label>Body <textarea name="body" rows="6" required placeholder='{"hello": "world"}'></textarea></label>
              <div class="row">
                <label>Delay (s) <input type="number" name="delaySeconds" min="0" max="900" placeholder="{{delayDefault}}" class="short"></label>
                {{#fifo}}
                <label>Group id <input name="messageGroupId" required value="default"></label>
                <label>Deduplication id <input name="messageDeduplicationId" placeholder="{{#contentDedup}}content-based{{/contentDedup}}{{^contentDedup}}required{{/contentDedup}}"></label>
                {{/fifo}}
              </div>
              <fieldset>
                <legend>Message attributes</legend>
                {{#attributeRows}}
                <div class="row attr-row">
                  <input name="attr{{n}}.name" placeholder="Name" aria-label="Attribute {{n}} name">
                  <select name="attr{{n}}.type" aria-label="Attribute {{n}} type"><option>String</option><option>Number</option><option>Binary</option></select>
                  <input name="attr{{n}}.value" placeholder="Value (base64 for Binary)" aria-label="Attribute {{n}} value">
                </div>
                {{/attributeRows}}
              </fieldset>
              <div><button type="submit" class="primary">Send</button></div>
            </form>
          </section>
          <section class="card">
            <h2>Attributes</h2>
            <form method="post" action="{{actionBase}}/attributes" class="stack attributes">
              <input type="hidden" name="_csrf" value="{{csrf}}">
              {{#editable}}
              <label><span class="attr-name">{{name}}</span>
                {{#multiline}}<textarea name="{{name}}" rows="3" class="mono">{{value}}</textarea>{{/multiline}}
                {{^multiline}}<input name="{{name}}" value="{{value}}" class="mono">{{/multiline}}
              </label>
              {{/editable}}
              <div><button type="submit">Save attributes</button></div>
            </form>
            <table class="kv">{{#readOnly}}<tr><th>{{name}}</th><td class="mono">{{value}}</td></tr>{{/readOnly}}</table>
          </section>
        </div>
        <section class="card danger">
          <h2>Purge</h2>
          <form method="post" action="{{actionBase}}/purge" class="inline-form" data-confirm="Delete every message of {{name}}?">
            <input type="hidden" name="_csrf" value="{{csrf}}">
            <span>Deletes every message in the queue (PurgeQueue).</span>
            <button type="submit" class="danger">Purge queue</button>
          </form>
        </section>
        {{>deleteQueue}}
        """#

    static let message = #"""
        <div class="crumbs"><a href="/admin">Queues</a> <span>/</span> <a href="{{queueHref}}">{{queueName}}</a> <span>/</span> message</div>
        <div class="page-head">
          <h1 class="mono">{{messageId}}</h1> <span class="badge state-{{stateClass}}">{{stateLabel}}</span>
          <span class="spacer"></span>
          <form method="post" action="{{deleteAction}}" data-confirm="Delete this message?">
            <input type="hidden" name="_csrf" value="{{csrf}}">
            <button type="submit" class="danger">Delete message</button>
          </form>
        </div>
        <div class="columns wide-left">
          <section class="card">
            <div class="card-head"><h2>Body</h2>{{#isJSON}}<span class="badge">JSON</span>{{/isJSON}}<span class="spacer"></span><span class="muted">{{size}} bytes</span></div>
            <pre class="body" id="message-body">{{body}}</pre>
          </section>
          <section class="card">
            <h2>Details</h2>
            <table class="kv">{{#details}}<tr><th>{{name}}</th><td class="mono">{{value}}</td></tr>{{/details}}</table>
            <h2>Message attributes</h2>
            {{#hasAttributes}}<table class="kv">{{#attributes}}<tr><th>{{name}}</th><td><span class="type">{{type}}</span> <span class="mono">{{value}}</span></td></tr>{{/attributes}}</table>{{/hasAttributes}}
            {{^hasAttributes}}<p class="muted">None.</p>{{/hasAttributes}}
            <h2>System attributes</h2>
            <table class="kv">{{#system}}<tr><th>{{name}}</th><td class="mono">{{value}}</td></tr>{{/system}}</table>
          </section>
        </div>
        {{>messageInvocations}}
        """#
}
