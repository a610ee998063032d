// `npm run demo`: start the local Bento dev server in-process, run the example agent against it,
// and print the trajectories, sessions and users read back through the read API.
// `npm run demo -- --keep` leaves the server running so you can browse them in the viewer.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderSpanTree, startDevServer } from "@bentolabs/sdk/dev";

const keep = process.argv.includes("--keep");
const dataDir = await mkdtemp(join(tmpdir(), "bentolabs-demo-"));
const server = await startDevServer({ dataDir });
process.env.BENTOLABS_API_KEY = server.apiKey;
process.env.BENTOLABS_BASE_URL = server.url;

const bento = await import("@bentolabs/sdk");
const { runAgent } = await import("./agent.mjs");
await runAgent();
const flushed = await bento.flush();

const get = async (path) => {
  const res = await fetch(server.url + path, { headers: { authorization: `Bearer ${server.apiKey}` } });
  if (!res.ok) throw new Error(`GET ${path} -> ${res.status} ${await res.text()}`);
  return res.json();
};

const ws = `/workspaces/${server.workspaceId}`;
const runs = (await get(`${ws}/traces?limit=50`)).items.reverse();
console.log(`\nflush: ${JSON.stringify(flushed)}; ${runs.length} trajectories stored by the dev server at ${server.url}\n`);
for (const run of runs) {
  const who = [run.user_id && `user ${run.user_id}`, run.session_id && `session ${run.session_id}`].filter(Boolean).join(", ");
  console.log(`trajectory ${run.trace_id} (${who}) status=${run.status}`);
  console.log(renderSpanTree((await get(`/traces/${run.trace_id}/tree`)).roots).replace(/^/gm, "  "));
}
const sessions = (await get(`${ws}/sessions`)).items;
console.log(`\nsessions: ${sessions.map((s) => `${s.session_id} (${s.turns} turns)`).join(", ")}`);
const users = (await get(`${ws}/users`)).items;
console.log(`users: ${users.map((u) => `${u.user_id} (${u.run_count} runs)`).join(", ")}`);

if (keep) {
  console.log(`\nViewer: ${server.url}/   (API key ${server.apiKey}; Ctrl-C to stop)`);
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
} else {
  await server.close();
  if (runs.length === 0) process.exitCode = 1;
}
