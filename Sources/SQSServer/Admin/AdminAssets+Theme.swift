extension AdminAssets {
    /// The dark theme (following the browser's `prefers-color-scheme`) and the styles of the
    /// consumer tools and charts; appended to `admin.css`. Every pair of text and background
    /// colours keeps a contrast of at least 4.5:1 (the browser tests check it).
    static let themeCSS = #"""
        :root { color-scheme: light dark; --muted: #5c6475; --accent: #2459c9; --green: #17703d; --amber: #8a5300; --on-accent: #ffffff; --code-bg: #eceff4; --head-bg: #fafbfc; --row-line: #eef0f4;
          --row-hover: #f8faff; --field-bg: #ffffff; --field-line: #cfd4de; --button-hover: #f3f5f8; --chip-text: #4a5263; --tabs-bg: #eef1f5;
          --tab-active: #ffffff; --dlq-bg: #fcfaff; --dlq-line: #dcd0f6; --danger-line: #f1c6c2; --flash-error: #8c1d17; --flash-notice: #14623a; }
        @media (prefers-color-scheme: dark) {
          :root { --bg: #0f131a; --panel: #171c25; --text: #e6e9ef; --muted: #a3abbb; --line: #2b3342; --accent: #86adff; --accent-soft: #1c2a45;
            --green: #6fd9a0; --green-soft: #15301f; --amber: #f0b45a; --amber-soft: #352812; --red: #ff8f86; --red-soft: #3a1a18;
            --violet: #c0aaff; --violet-soft: #2a2140; --on-accent: #0b1220; --code-bg: #232a36; --head-bg: #1b212b; --row-line: #232a36;
            --row-hover: #1d2431; --field-bg: #10151d; --field-line: #3a4354; --button-hover: #222a37; --chip-text: #c9cfdb; --tabs-bg: #1f2631;
            --tab-active: #2c3545; --dlq-bg: #1a1726; --dlq-line: #3b3157; --danger-line: #5a2b28; --flash-error: #ffb4ad; --flash-notice: #9be3b9; }
        }
        .ids code { background: var(--code-bg); }
        .card.danger { border-color: var(--danger-line); }
        .card.dlq { border-color: var(--dlq-line); background: var(--dlq-bg); }
        .dlq-note { background: var(--dlq-bg); border-color: var(--dlq-line); }
        table.grid th { background: var(--head-bg); }
        table.grid td { border-bottom-color: var(--row-line); }
        table.grid tbody tr:hover { background: var(--row-hover); }
        .badge { background: var(--code-bg); color: var(--chip-text); }
        .badge.disabled, .badge.status-cancelled { background: var(--code-bg); color: var(--muted); }
        .tabs { background: var(--tabs-bg); }
        .tabs a.active { background: var(--tab-active); }
        .empty { border-color: var(--line); }
        .flash.error { color: var(--flash-error); border-color: var(--danger-line); }
        .flash.notice { color: var(--flash-notice); border-color: var(--line); }
        input, select, textarea, button, .button { background: var(--field-bg); border-color: var(--field-line); color: var(--text); }
        button:hover, .button:hover { background: var(--button-hover); }
        button.primary { background: var(--accent); border-color: var(--accent); color: var(--on-accent); }
        button.primary:hover { background: var(--accent); filter: brightness(0.92); }
        button.danger { background: var(--field-bg); color: var(--red); }
        button.danger:hover { background: var(--red-soft); }
        .crumbs span { color: var(--muted); }
        .message-tools { display: flex; flex-wrap: wrap; gap: 10px 24px; align-items: flex-end; justify-content: space-between; margin-bottom: 10px; }
        th.select, td.select { width: 1%; padding-right: 0 !important; }
        code.handle { word-break: break-all; font-size: 0.78rem; }
        .received-actions { display: flex; flex-wrap: wrap; gap: 10px 18px; align-items: flex-end; margin-top: 10px; }
        .inline-result { font-weight: 550; }
        .inline-result.ok { color: var(--green); }
        .inline-result.failed { color: var(--red); }
        .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 420px), 1fr)); gap: 16px; }
        figure.chart { margin: 0; min-width: 0; }
        figure.chart figcaption { font-weight: 600; font-size: 0.92rem; margin-bottom: 4px; }
        figure.chart svg { width: 100%; height: auto; display: block; overflow: visible; }
        figure.chart .axis { stroke: var(--line); stroke-width: 1; }
        figure.chart text { fill: var(--muted); font-size: 11px; font-family: inherit; }
        figure.chart polyline { fill: none; stroke-width: 2; stroke-linejoin: round; }
        .chart-legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 0.84rem; color: var(--text); margin-top: 4px; padding: 0; list-style: none; }
        .chart-legend li::before { content: ""; display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; background: currentColor; vertical-align: -1px; }
        .chart-legend li span { color: var(--text); }
        .tone-accent { stroke: var(--accent); fill: var(--accent); color: var(--accent); }
        .tone-green { stroke: var(--green); fill: var(--green); color: var(--green); }
        .tone-red { stroke: var(--red); fill: var(--red); color: var(--red); }
        .tone-amber { stroke: var(--amber); fill: var(--amber); color: var(--amber); }
        .tone-violet { stroke: var(--violet); fill: var(--violet); color: var(--violet); }
        figure.chart polyline.tone-accent, figure.chart polyline.tone-green, figure.chart polyline.tone-red,
        figure.chart polyline.tone-amber, figure.chart polyline.tone-violet { fill: none; }
        .table-wrap table.grid form { white-space: nowrap; }
        .masked { letter-spacing: 1px; color: var(--muted); }
        .ids code { word-break: break-all; }
        .card .live { color: var(--muted); }
        ul.batch-messages { margin: 0 0 8px; padding-left: 18px; word-break: break-all; }
        /* The mappings table turns into stacked rows when its box is narrow, so no button is clipped. */
        .table-wrap:has(tr[id^="mapping-"]) { container-type: inline-size; }
        @container (max-width: 760px) {
          table.grid thead { display: none; }
          table.grid, table.grid tbody, table.grid tr, table.grid td { display: block; width: 100%; }
          table.grid tr { border-bottom: 1px solid var(--line); padding: 6px 0; }
          table.grid tbody tr:last-child { border-bottom: none; }
          table.grid td { border: none; padding: 3px 12px; text-align: left !important; white-space: normal; }
          table.grid td .sub { word-break: break-all; }
          table.grid td[data-label]::before { content: attr(data-label) ": "; color: var(--muted); }
        }
        @media (max-width: 640px) {
          .top { flex-wrap: wrap; height: auto; min-height: 52px; gap: 4px 12px; padding: 8px 12px; }
          .brand { white-space: nowrap; }
          .top nav { flex-wrap: wrap; }
          .top nav a { padding: 6px 8px; }
          main { padding: 14px 12px 40px; }
          .stats { grid-template-columns: repeat(2, minmax(0, 1fr)); }
          input.filter { width: 100%; }
          .inline-form label { min-width: 0; max-width: 100%; }
          .inline-form input:not([type=checkbox]), .inline-form select { max-width: 100%; }
        }
        """#
}
