function escapeAttr(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The viewer's HTML shell; `viewer.js` renders everything from the read API. */
export function renderPage(opts: { workspaceId: string; apiKey: string | undefined }): string {
  const keyMeta = opts.apiKey ? `\n  <meta name="bentolabs-api-key" content="${escapeAttr(opts.apiKey)}">` : "";
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="bentolabs-workspace" content="${escapeAttr(opts.workspaceId)}">${keyMeta}
  <title>Bento dev · trajectories</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/assets/viewer.css">
  <script src="/assets/viewer.js" defer></script>
</head>
<body>
  <header class="top">
    <a class="brand" href="#/runs">Bento <span>dev</span></a>
    <nav>
      <a href="#/runs" data-nav="runs">Runs</a>
      <a href="#/sessions" data-nav="sessions">Sessions</a>
      <a href="#/users" data-nav="users">Users</a>
      <a href="#" data-refresh title="Reload this view">↻ Refresh</a>
    </nav>
    <span class="live" data-live data-testid="live-indicator">○ offline</span>
    <span class="ws">workspace <code>${escapeAttr(opts.workspaceId)}</code></span>
  </header>
  <main id="app"><p class="muted">Loading…</p></main>
</body>
</html>
`;
}
