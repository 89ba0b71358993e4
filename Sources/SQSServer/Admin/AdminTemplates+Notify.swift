extension AdminTemplates {
    static let topics = #"""
        <div class="page-head"><h1>Topics <span class="count">{{topicCount}}</span></h1></div>
        {{#hasTopics}}
        <div class="table-wrap">
        <table class="grid">
          <thead><tr><th>Name</th><th>Type</th><th class="num">Confirmed</th><th class="num">Pending</th><th>ARN</th></tr></thead>
          <tbody>{{#topics}}
          <tr><td><a class="qname" href="{{href}}">{{name}}</a></td><td>{{type}}</td><td class="num">{{confirmed}}</td><td class="num">{{pending}}</td><td class="mono small">{{arn}}</td></tr>
          {{/topics}}</tbody>
        </table>
        </div>
        {{/hasTopics}}
        {{^hasTopics}}<div class="empty">No topics. Create one with <code>aws sns create-topic --name …</code>.</div>{{/hasTopics}}
        <h2 class="section">Recent deliveries</h2>
        {{>deliveriesTable}}
        """#

    static let topic = #"""
        <div class="crumbs"><a href="/admin/topics">Topics</a> <span>/</span> {{name}}</div>
        <div class="page-head"><h1>{{name}}</h1> <span class="badge">{{type}}</span></div>
        <div class="ids"><span>ARN <code>{{arn}}</code></span></div>
        <div class="columns">
          <section class="card">
            <h2>Publish</h2>
            <form method="post" action="{{publishAction}}" class="stack">
              <input type="hidden" name="_csrf" value="{{csrf}}">
              <label>Subject <input type="text" name="subject" maxlength="100"></label>
              <label>Message <textarea name="message" rows="8" class="mono" required></textarea></label>
              <label>Attributes (JSON: {"name": "value"}) <input type="text" name="attributes" class="mono" placeholder='{"color": "red"}'></label>
              {{#fifo}}<label>Message group id <input type="text" name="groupId" required></label>
              <label>Deduplication id <input type="text" name="deduplicationId"></label>{{/fifo}}
              <div><button type="submit" class="primary">Publish</button></div>
            </form>
          </section>
          <section class="card">
            <h2>Attributes</h2>
            <table class="kv">{{#attributes}}<tr><th>{{name}}</th><td class="mono small">{{value}}</td></tr>{{/attributes}}</table>
          </section>
        </div>
        <h2 class="section">Subscriptions</h2>
        {{#hasSubscriptions}}
        <div class="table-wrap">
        <table class="grid" id="subscriptions">
          <thead><tr><th>Protocol</th><th>Endpoint</th><th>State</th><th>Raw</th><th>Filter policy</th><th>ARN</th></tr></thead>
          <tbody>{{#subscriptions}}
          <tr><td>{{protocol}}</td><td class="mono small">{{endpoint}}</td><td><span class="badge {{stateClass}}">{{state}}</span></td><td>{{raw}}</td>
          <td class="mono small">{{filterPolicy}}{{#filterScope}}<div class="sub">scope: {{filterScope}}</div>{{/filterScope}}</td><td class="mono small">{{arn}}</td></tr>
          {{/subscriptions}}</tbody>
        </table>
        </div>
        {{/hasSubscriptions}}
        {{^hasSubscriptions}}<div class="empty">No subscriptions.</div>{{/hasSubscriptions}}
        <h2 class="section">Recent deliveries</h2>
        {{>deliveriesTable}}
        """#

    static let deliveriesTable = #"""
        {{#hasDeliveries}}
        <div class="table-wrap">
        <table class="grid compact" id="deliveries">
          <thead><tr><th>Time</th><th>Topic</th><th>Protocol</th><th>Endpoint</th><th>Outcome</th><th class="num">Attempts</th><th>Detail</th></tr></thead>
          <tbody>{{#deliveries}}
          <tr><td class="small">{{time}}</td><td>{{topic}}</td><td>{{protocol}}</td><td class="mono small">{{endpoint}}</td>
          <td><span class="badge outcome-{{statusClass}}">{{status}}</span></td><td class="num">{{attempts}}</td><td class="small">{{detail}}</td></tr>
          {{/deliveries}}</tbody>
        </table>
        </div>
        {{/hasDeliveries}}
        {{^hasDeliveries}}<div class="empty">No deliveries yet.</div>{{/hasDeliveries}}
        """#

    static let mailbox = #"""
        <div class="page-head"><h1>Mailbox <span class="count">{{mailCount}}</span></h1>
        {{#hasMails}}<form method="post" action="/admin/mailbox/delete" class="inline"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit" class="small danger">Delete all</button></form>{{/hasMails}}</div>
        <p class="hint">Every mail SES sends and every SNS email delivery lands here; nothing leaves this machine. Also at <code>GET /_aws/ses</code>.</p>
        {{#hasMails}}
        <div class="table-wrap">
        <table class="grid" id="mails">
          <thead><tr><th>Time</th><th>From</th><th>To</th><th>Subject</th><th>Source</th></tr></thead>
          <tbody>{{#mails}}
          <tr><td class="small">{{time}}</td><td class="small">{{from}}</td><td class="small">{{to}}</td><td><a href="{{href}}">{{subject}}</a></td><td class="small mono">{{origin}}</td></tr>
          {{/mails}}</tbody>
        </table>
        </div>
        {{/hasMails}}
        {{^hasMails}}<div class="empty">No mail yet.</div>{{/hasMails}}
        <h2 class="section">Text messages</h2>
        {{#hasSMS}}
        <div class="table-wrap">
        <table class="grid compact" id="sms">
          <thead><tr><th>Time</th><th>To</th><th>Message</th><th>Topic</th></tr></thead>
          <tbody>{{#sms}}<tr><td class="small">{{time}}</td><td class="mono">{{phone}}</td><td>{{message}}</td><td class="small mono">{{topic}}</td></tr>{{/sms}}</tbody>
        </table>
        </div>
        {{/hasSMS}}
        {{^hasSMS}}<div class="empty">No text messages. <code>GET /_aws/sns/sms-messages</code> lists them too.</div>{{/hasSMS}}
        """#

    static let mail = #"""
        <div class="crumbs"><a href="/admin/mailbox">Mailbox</a> <span>/</span> {{subject}}</div>
        <div class="page-head"><h1>{{subject}}</h1>
        <form method="post" action="{{deleteAction}}" class="inline"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit" class="small danger">Delete</button></form></div>
        <table class="kv">{{#headers}}<tr><th>{{name}}</th><td class="mono small">{{value}}</td></tr>{{/headers}}</table>
        {{#html}}
        <section class="card">
          <h2>HTML</h2>
          <iframe class="mail-html" title="HTML part" sandbox referrerpolicy="no-referrer" srcdoc="{{html}}"></iframe>
        </section>
        {{/html}}
        {{#text}}
        <section class="card"><h2>Text</h2><pre class="mono" id="mail-text">{{text}}</pre></section>
        {{/text}}
        <section class="card"><h2>Raw</h2><pre class="mono small" id="mail-raw">{{raw}}</pre></section>
        """#
}
