extension AdminTemplates {
    /// What "Receive" on a queue's page got: each message with its receipt handle, and forms
    /// that delete it or change its visibility by that handle.
    static let received = #"""
        <div class="crumbs"><a href="/admin">Queues</a> <span>/</span> <a href="{{queueHref}}">{{name}}</a> <span>/</span> received</div>
        <div class="page-head"><h1>Received from {{name}} <span class="count">{{count}}</span></h1><span class="spacer"></span>
          <form method="post" action="{{receiveAction}}" id="receive-again"><input type="hidden" name="_csrf" value="{{csrf}}">
            <input type="hidden" name="maxNumberOfMessages" value="{{maxNumberOfMessages}}"><button type="submit">Receive again</button></form>
          <a class="button" href="{{queueHref}}">Back to the queue</a></div>
        <p class="hint">These messages were received as a consumer receives them (ReceiveMessage): they are in flight and their receive count went up.
          Delete them or change their visibility with their receipt handle, as a consumer would.</p>
        {{^hasMessages}}<div class="empty">No message was available.</div>{{/hasMessages}}
        {{#messages}}
        <section class="card received" data-message-id="{{messageId}}">
          <div class="card-head"><h2 class="mono"><a href="{{href}}">{{messageId}}</a></h2><span class="badge state-inFlight">in flight</span>
            <span class="spacer"></span><span class="muted small">received {{receiveCount}}×, hidden until {{visibleUntil}}</span></div>
          <table class="kv"><tr><th>Receipt handle</th><td><code class="handle">{{receiptHandle}}</code></td></tr>
          {{#attributes}}<tr><th>{{name}}</th><td class="mono">{{value}}</td></tr>{{/attributes}}</table>
          <pre class="body">{{body}}</pre>
          <div class="received-actions">
            <form method="post" action="{{deleteAction}}" class="inline-form" data-inline>
              <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="receiptHandle" value="{{receiptHandle}}">
              <input type="hidden" name="messageId" value="{{messageId}}">
              <button type="submit" class="danger">Delete</button>
            </form>
            <form method="post" action="{{visibilityAction}}" class="inline-form" data-inline>
              <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="receiptHandle" value="{{receiptHandle}}">
              <input type="hidden" name="messageId" value="{{messageId}}">
              <label>Visibility timeout (s) <input type="number" name="visibilityTimeout" min="0" max="43200" value="0" class="short" required></label>
              <button type="submit">Change visibility</button>
            </form>
            <span class="inline-result" role="status"></span>
          </div>
        </section>
        {{/messages}}
        """#

    /// The queue page's consumer card: receive, and delete the queue (typing its name confirms).
    static let consumerTools = #"""
        <section class="card" id="receive-card">
          <h2>Poll like a consumer</h2>
          <form method="post" action="{{actionBase}}/receive" class="inline-form" id="receive-form">
            <input type="hidden" name="_csrf" value="{{csrf}}">
            <label>Max messages <input type="number" name="maxNumberOfMessages" min="1" max="10" value="1" class="short"></label>
            <label>Visibility timeout (s) <input type="number" name="visibilityTimeout" min="0" max="43200" placeholder="queue's" class="short"></label>
            <label>Wait (s) <input type="number" name="waitTimeSeconds" min="0" max="20" value="0" class="short"></label>
            <button type="submit" class="primary">Receive</button>
            <span class="muted small">A real ReceiveMessage: receive counts go up and messages go in flight.</span>
          </form>
        </section>
        """#

    static let deleteQueue = #"""
        <section class="card danger" id="delete-queue-card">
          <h2>Delete queue</h2>
          <form method="post" action="{{actionBase}}/delete" class="inline-form" id="delete-queue-form">
            <input type="hidden" name="_csrf" value="{{csrf}}">
            <span>Deletes the queue and its messages (DeleteQueue).</span>
            <label>Type <strong>{{name}}</strong> to confirm <input name="confirmName" autocomplete="off" required></label>
            <button type="submit" class="danger">Delete queue</button>
          </form>
        </section>
        """#

    /// The bar over the message list: search, and what to do with the checked messages.
    static let messageTools = #"""
        <div class="message-tools">
          <form method="get" action="{{actionBase}}" role="search" class="inline-form" id="search-form">
            {{#stateValue}}<input type="hidden" name="state" value="{{stateValue}}">{{/stateValue}}
            <label>Search body or attributes <input type="search" name="search" value="{{search}}" class="filter" id="message-search"></label>
            <button type="submit">Search</button>
            {{#search}}<a class="button" href="{{clearSearchHref}}">Clear</a>{{/search}}
          </form>
          {{#hasMessages}}
          <form method="post" action="{{actionBase}}/bulk" class="inline-form" id="bulk-form">
            <input type="hidden" name="_csrf" value="{{csrf}}">
            <span class="muted small" id="selected-count">0 selected</span>
            <button type="submit" name="op" value="delete" class="danger">Delete selected</button>
            <label>Move to <input name="target" id="move-target" list="move-targets" placeholder="queue name" autocomplete="off"></label>
            <datalist id="move-targets">{{#otherQueues}}<option value="{{.}}">{{/otherQueues}}</datalist>
            <button type="submit" name="op" value="move">Move selected</button>
          </form>
          {{/hasMessages}}
        </div>
        {{#searchText}}<p class="hint" id="search-summary">{{searchText}}</p>{{/searchText}}
        """#
}
