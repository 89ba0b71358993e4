extension AdminTemplates {
    /// The queue page's charts (drawn by `admin-extras.js`).
    static let queueCharts = #"""
        {{#hasCharts}}
        <section class="card" id="queue-charts">
          <h2>Last hour</h2>
          <div class="charts">
            <figure class="chart" id="rates-chart" data-chart="{{ratesChart}}"><figcaption>Messages per minute</figcaption></figure>
            <figure class="chart" id="depth-chart" data-chart="{{depthChart}}"><figcaption>Depth (sampled each minute)</figcaption></figure>
          </div>
        </section>
        {{/hasCharts}}
        """#

    /// The function page's settings and charts.
    static let functionExtras = #"""
        <div class="columns">
          <section class="card" id="function-settings">
            <h2>Settings</h2>
            <table class="kv">
              {{#command}}<tr><th>Command</th><td class="mono">{{command}}</td></tr>{{/command}}
              {{#folder}}<tr><th>Folder</th><td class="mono">{{folder}}</td></tr>{{/folder}}
              <tr><th>Memory</th><td>{{memorySize}} MB</td></tr>
            </table>
            <h2>Environment</h2>
            {{#hasEnvironment}}<table class="kv" id="function-environment">{{#environment}}<tr><th class="mono">{{name}}</th>
              <td class="mono{{#masked}} masked{{/masked}}"{{#masked}} title="Masked: the name looks like a secret"{{/masked}}>{{value}}</td></tr>{{/environment}}</table>{{/hasEnvironment}}
            {{^hasEnvironment}}<p class="muted">None.</p>{{/hasEnvironment}}
          </section>
          <section class="card" id="function-charts">
            <h2>Last hour</h2>
            <figure class="chart" id="invocations-chart" data-chart="{{invocationsChart}}"><figcaption>Invocations and errors per minute</figcaption></figure>
            <figure class="chart" id="duration-chart" data-chart="{{durationChart}}"><figcaption>Duration percentiles</figcaption></figure>
          </section>
        </div>
        """#
}

extension AdminTemplates {
    /// The invocation page's source: the mapping and the messages of the batch.
    static let invocationLinks = #"""
        {{#mappingUUID}}
        <section class="card" id="invocation-source">
          <h2>Source</h2>
          <p>Mapping <a class="mono" href="{{mappingHref}}" id="mapping-link">{{mappingUUID}}</a>{{#batchQueue}} on <a href="{{batchQueueHref}}">{{batchQueue}}</a>{{/batchQueue}}</p>
          {{#hasBatchMessages}}
          <h2>Messages in the batch</h2>
          <ul class="batch-messages">{{#batchMessages}}<li class="mono">{{#href}}<a href="{{href}}">{{messageId}}</a>{{/href}}{{^href}}{{messageId}}{{/href}}</li>{{/batchMessages}}</ul>
          <p class="hint">A message deleted after a successful invocation is no longer in the queue; its page says so.</p>
          {{/hasBatchMessages}}
        </section>
        {{/mappingUUID}}
        """#

    /// The message page's invocations.
    static let messageInvocations = #"""
        {{#lambdaEnabled}}
        <section class="card" id="message-invocations">
          <h2>Invocations that received it</h2>
          {{#hasProcessors}}<table class="grid compact"><thead><tr><th>Invocation</th><th>Function</th><th>Time</th><th>Outcome</th></tr></thead><tbody>
          {{#processors}}<tr><td><a href="{{href}}">#{{id}}</a></td><td>{{functionName}}</td><td class="nowrap">{{time}}</td>
          <td><span class="badge outcome-{{status}}">{{status}}</span></td></tr>{{/processors}}</tbody></table>{{/hasProcessors}}
          {{^hasProcessors}}<p class="muted">No recent invocation received this message.</p>{{/hasProcessors}}
        </section>
        {{/lambdaEnabled}}
        """#
}
