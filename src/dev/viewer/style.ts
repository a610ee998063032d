/** The viewer's stylesheet (no external fonts or frameworks). */
export const VIEWER_CSS = String.raw`
:root { --bg: #f7f7f5; --fg: #1d1d1f; --muted: #6b6b70; --line: #e2e2de; --card: #fff;
  --llm: #6d4aff; --tool: #0a8f6a; --other: #8a6d00; --err: #c62828; --ok: #2e7d32;
  --retriever: #b4531a; --embedding: #7a5c99; --agent: #1f6fb2; --chain: #5b6b7a; --trajectory: #2b2b30; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; background: var(--bg); color: var(--fg); }
a { color: #3558d8; text-decoration: none; } a:hover { text-decoration: underline; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.top { display: flex; align-items: center; gap: 24px; padding: 10px 20px; background: #1d1d1f; color: #fff; }
.top a { color: #ddd; } .top nav a { margin-right: 14px; padding: 4px 2px; } .top nav a.active { color: #fff; border-bottom: 2px solid #fff; }
.brand { font-weight: 700; color: #fff !important; } .brand span { font-weight: 400; opacity: .7; }
.ws { margin-left: auto; opacity: .7; font-size: 12px; }
main { padding: 16px 20px 40px; }
h1 { font-size: 20px; margin: 6px 0 12px; } h2 { font-size: 16px; margin: 0 0 10px; } h3 { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 14px 0 4px; }
.muted { color: var(--muted); }
.source { font-size: 11px; color: var(--muted); border: 1px solid var(--line); border-radius: 4px; padding: 0 5px; margin-left: 6px; }
.crumbs { margin: 0; font-size: 13px; }
.filters { display: flex; flex-wrap: wrap; gap: 8px; margin-bottom: 12px; align-items: center; }
.filters input, .filters select, .keyform input { padding: 5px 8px; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
button { padding: 5px 12px; border: 1px solid #3558d8; background: #3558d8; color: #fff; border-radius: 6px; cursor: pointer; }
button.more { margin-top: 10px; background: #fff; color: #3558d8; }
table.list { width: 100%; border-collapse: collapse; background: var(--card); border: 1px solid var(--line); border-radius: 8px; }
table.list th, table.list td { text-align: left; padding: 7px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
table.list th { font-size: 12px; color: var(--muted); font-weight: 600; }
tr.clickable { cursor: pointer; } tr.clickable:hover { background: #f0f3ff; }
td.preview { max-width: 320px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; color: var(--muted); }
.status { display: inline-block; font-size: 11px; padding: 1px 7px; border-radius: 10px; font-weight: 600; }
.status.ok { background: #e6f4ea; color: var(--ok); } .status.error { background: #fdecea; color: var(--err); } .status.unset { background: #eee; color: var(--muted); }
.badge { display: inline-block; font-size: 10.5px; padding: 0 6px; border-radius: 4px; font-weight: 700; color: #fff; margin-right: 6px; text-transform: uppercase; }
.badge.llm { background: var(--llm); } .badge.tool { background: var(--tool); } .badge.other { background: var(--other); }
.badge.retriever { background: var(--retriever); } .badge.embedding { background: var(--embedding); } .badge.agent { background: var(--agent); }
.badge.chain { background: var(--chain); } .badge.trajectory { background: var(--trajectory); }
.split { display: grid; grid-template-columns: minmax(380px, 1.1fr) minmax(320px, 1fr); gap: 16px; align-items: start; }
.tree { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 6px 0; }
/* off-screen rows skip layout and paint: keeps a 2,000-span tree responsive */
.node { content-visibility: auto; contain-intrinsic-size: auto 27px; display: grid; grid-template-columns: minmax(180px, 1.3fr) 1fr 70px; gap: 8px; align-items: center; padding: 4px 10px; cursor: pointer; }
.node:hover { background: #f3f3f0; } .node.err .name { color: var(--err); }
.label { display: flex; align-items: center; white-space: nowrap; overflow: hidden; } .indent { display: inline-block; flex: none; border-right: 1px dotted #ccc; height: 14px; margin-right: 6px; }
.name { overflow: hidden; text-overflow: ellipsis; } .label .status { margin-left: 6px; }
.timeline { position: relative; height: 10px; background: #f1f1ee; border-radius: 3px; overflow: hidden; }
.bar { display: block; height: 10px; border-radius: 3px; opacity: .8; background: var(--other); } .bar.llm { background: var(--llm); } .bar.tool { background: var(--tool); }
.bar.retriever { background: var(--retriever); } .bar.embedding { background: var(--embedding); } .bar.agent { background: var(--agent); } .bar.chain { background: var(--chain); } .bar.trajectory { background: var(--trajectory); }
.dur { text-align: right; color: var(--muted); font-size: 12px; }
.panel { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px; position: sticky; top: 10px; max-height: calc(100vh - 20px); overflow: auto; }
.panel dl { display: grid; grid-template-columns: 120px 1fr; gap: 3px 10px; margin: 0; } .panel dt { color: var(--muted); } .panel dd { margin: 0; word-break: break-all; }
pre { background: #f6f6f3; border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; margin: 0; white-space: pre-wrap; word-break: break-word; max-height: 360px; overflow: auto; }
.turns { display: flex; flex-direction: column; gap: 10px; }
.turn { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.turn .io { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
.fail-box { background: #fdecea; color: var(--err); padding: 10px 14px; border-radius: 8px; }
.keyform { max-width: 480px; display: flex; flex-direction: column; gap: 8px; }
.live { font-size: 12px; color: #aaa; } .live.on { color: #7ee2a8; }
button.secondary { background: #fff; color: #3558d8; } button.danger { background: var(--err); border-color: var(--err); }
button:disabled { opacity: .5; cursor: default; } button.small { padding: 2px 8px; font-size: 12px; }
.titlebar { display: flex; align-items: center; gap: 16px; } .titlebar h1 { margin-right: auto; }
td.num, th.num { text-align: right; white-space: nowrap; }
th.sortable { cursor: pointer; user-select: none; white-space: nowrap; } th.sortable::after { content: " ↕"; opacity: .35; }
th.sorted[aria-sort="descending"]::after { content: " ↓"; opacity: 1; } th.sorted[aria-sort="ascending"]::after { content: " ↑"; opacity: 1; }
tr.fresh { animation: fresh 2s ease-out; } @keyframes fresh { from { background: #fff6c9; } to { background: transparent; } }
.toolbar { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 10px; } .toolbar .spacer { flex: 1; }
.toolbar .search { padding: 5px 8px; border: 1px solid var(--line); border-radius: 6px; min-width: 260px; }
.toggle { display: inline-block; width: 14px; flex: none; color: var(--muted); cursor: pointer; text-align: center; } .toggle.none { cursor: default; }
.node.match .name { background: #fff1a8; border-radius: 3px; } .node.err { background: #fff5f5; } .node[hidden] { display: none; }
.node.selected, .node.err.selected { background: #e9edff; box-shadow: inset 3px 0 0 #3558d8; }
.split > .side { align-self: stretch; } /* lets the sticky panel follow a long tree */
.cost-tag { font-size: 11px; color: var(--muted); margin-left: 6px; }
.panel-head { display: flex; justify-content: space-between; align-items: start; gap: 8px; } pre.raw { margin-bottom: 10px; }
.msgs { display: flex; flex-direction: column; gap: 6px; }
.msg { border: 1px solid var(--line); border-left-width: 4px; border-radius: 6px; padding: 6px 10px; background: #fff; }
.msg .role { font-size: 11px; font-weight: 700; text-transform: uppercase; color: var(--muted); letter-spacing: .04em; }
.msg .content { white-space: pre-wrap; word-break: break-word; }
.msg.role-system { border-left-color: #999; background: #fafafa; } .msg.role-user { border-left-color: #3558d8; }
.msg.role-assistant { border-left-color: var(--llm); background: #f7f5ff; } .msg.role-tool { border-left-color: var(--tool); background: #f2fbf7; }
.tool-call { margin-top: 6px; } .tool-call .tag { font-size: 10.5px; font-weight: 700; color: #fff; background: var(--tool); border-radius: 4px; padding: 0 5px; margin-right: 6px; }
.event { margin: 6px 0; } .event.exception { color: var(--err); } pre.stack { color: var(--fg); font-size: 11.5px; }
.cmp { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; margin-bottom: 14px; }
.cmp-card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
table.compare .label { display: flex; align-items: center; } tr.only-a { background: #fff4f4; } tr.only-b { background: #f1fbf4; }
.only { font-size: 11px; font-weight: 600; color: var(--muted); margin-left: 8px; }
td.delta.up { color: var(--err); } td.delta.down { color: var(--ok); } td.differs { color: #b4531a; font-weight: 600; }
`;
