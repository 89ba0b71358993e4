import Mustache

/// The admin page's Mustache templates, registered from string literals (no bundle resources).
///
/// `{{name}}` HTML-escapes; the only unescaped section is the layout's `{{{content}}}`, which is
/// another rendered template.
enum AdminTemplates {
    /// Every template by name.
    static func library() -> MustacheLibrary {
        var library = MustacheLibrary()
        let templates: [(String, String)] = [
            ("layout", layout), ("login", login), ("queues", queues), ("queue", queue), ("message", message),
            ("functions", functions), ("function", function), ("invocation", invocation), ("notFound", notFound),
            ("mappingsTable", mappingsTable), ("invocationsTable", invocationsTable), ("topics", topics), ("topic", topic),
            ("deliveriesTable", deliveriesTable), ("mailbox", mailbox), ("mail", mail),
        ]
        for (name, text) in templates {
            do {
                try library.register(text, named: name)
            } catch {
                preconditionFailure("admin template \(name) does not parse: \(error)")
            }
        }
        return library
    }

    static let layout = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="csrf-token" content="{{csrf}}">
        <title>{{title}} · sqslite</title>
        <link rel="stylesheet" href="/admin/assets/admin.css">
        <script src="/admin/assets/admin.js" defer></script>
        </head>
        <body{{#live}} data-live="{{live}}"{{/live}}>
        <header class="top">
          <a class="brand" href="/admin"><span class="logo">◆</span> sqslite</a>
          <nav>
            <a href="/admin"{{#navQueues}} class="active"{{/navQueues}}>Queues</a>
            <a href="/admin/functions"{{#navFunctions}} class="active"{{/navFunctions}}>Functions</a>
            {{#hasNotify}}<a href="/admin/topics"{{#navTopics}} class="active"{{/navTopics}}>Topics</a>
            <a href="/admin/mailbox"{{#navMailbox}} class="active"{{/navMailbox}}>Mailbox</a>{{/hasNotify}}
          </nav>
          <span class="spacer"></span>
          {{#live}}<span class="live" id="live-status" title="Numbers refresh every 2 s">live</span>{{/live}}
        </header>
        <main>
        {{#error}}<div class="flash error" role="alert">{{error}}</div>{{/error}}
        {{#notice}}<div class="flash notice" role="status">{{notice}}</div>{{/notice}}
        {{{content}}}
        </main>
        </body>
        </html>
        """#

    static let login = #"""
        <section class="card narrow">
          <h1>Admin token</h1>
          <p class="muted">This sqslite was started with <code>--admin-token</code>.</p>
          <form method="post" action="/admin/login" class="stack">
            <label>Token <input type="password" name="token" autofocus required></label>
            <button type="submit" class="primary">Sign in</button>
          </form>
        </section>
        """#

    static let notFound = #"""
        <section class="card narrow"><h1>Not found</h1><p>{{what}}</p><p><a href="/admin">Back to the queues</a></p></section>
        """#
}
