import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { type DevServer, startDevServer } from "../../src/dev/server.js";
import type { WindowOptions } from "../../src/sync/window.js";
import type { FakeLangfuse } from "./fake-langfuse.js";
import { FIXTURE_KEYS } from "./fixtures.js";
import { DATASET_NOW, WINDOW } from "./helpers.js";
import { ManualClock } from "./manual-clock.js";

const MIN = 60_000;
const tick = () => new Promise<void>((r) => setTimeout(r, 10));
type Json = Record<string, any>;

/**
 * `bentolabs dev` (real store, real HTTP routes, scheduler on a manual clock) importing from a
 * fake Langfuse, driven and read over HTTP only: the import runs when the schedule says so.
 */
export async function startDevImport(fake: FakeLangfuse, window: Partial<WindowOptions> = {}, now = DATASET_NOW) {
  const dataDir = mkdtempSync(join(tmpdir(), "bento-rescan-"));
  const clock = new ManualClock(now);
  const server: DevServer = await startDevServer({ dataDir, sync: { clock, importer: { window: { ...WINDOW, ...window } } } });
  const ws = server.workspaceId;
  async function api(method: string, path: string, body?: unknown): Promise<Json> {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(res.status, `${method} ${path}`).toBeLessThan(300);
    return (await res.json()) as Json;
  }
  await api("PATCH", `/workspaces/${ws}/sync-settings`, { frequency_minutes: 15 });
  const credential = await api("POST", `/workspaces/${ws}/credentials`, {
    source_type: "langfuse",
    config: { ...FIXTURE_KEYS, base_url: fake.url },
  });
  const reports = async () => (await api("GET", `/workspaces/${ws}/sync-reports?limit=100`)).items as Json[];
  let runs = 0;

  /**
   * Let the next scheduled import run (the first is due at once, then every 15 minutes) and return
   * its report. While waiting, checks that `sync status` never reports a finished run whose
   * report is not listed yet.
   */
  async function nextImport(): Promise<Json> {
    if (runs > 0) await clock.advance(15 * MIN, tick);
    else await clock.flush(tick);
    for (let i = 0; i < 400; i++) {
      const status = await api("GET", `/credentials/${credential.id}/sync/status`);
      const listed = await reports();
      if (status.last_run_finished_at) expect(listed.map((r) => r.finished_at)).toContain(status.last_run_finished_at);
      if (listed.length > runs && status.status !== "running") {
        runs = listed.length;
        return listed[0]!;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error("the import did not finish");
  }

  /** Everything the read API says about the imported runs: the trace list and each trace's spans. */
  async function readAll(): Promise<{ traces: Json[]; spans: Record<string, Json[]> }> {
    const traces = (await api("GET", `/workspaces/${ws}/traces?limit=500`)).items as Json[];
    const spans: Record<string, Json[]> = {};
    for (const t of traces)
      spans[t.trace_id] = ((await api("GET", `/traces/${t.trace_id}/spans`)).items as Json[]).sort((a, b) =>
        a.span_id.localeCompare(b.span_id),
      );
    return { traces: traces.sort((a, b) => a.trace_id.localeCompare(b.trace_id)), spans };
  }

  async function close() {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { server, clock, api, credential, nextImport, readAll, close };
}
