import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../../src/dev/index.js";
import { freshDataDir, getJson } from "./helpers.js";

const run = promisify(execFile);
const WORKER = fileURLToPath(new URL("./fixtures/post-spans.mjs", import.meta.url));
const WORKERS = 4;
const TRACES = 200;
const PER_TRACE = 25; // 4 × 200 × 25 = 20,000 spans

let server: DevServer;
beforeAll(async () => {
  server = await startDevServer({ dataDir: await freshDataDir() });
});
afterAll(() => server?.close());

describe("concurrent ingest", () => {
  it("stores every span from 4 concurrent processes exactly once", { timeout: 60_000 }, async () => {
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: WORKERS }, (_, w) =>
        run(process.execPath, [WORKER, server.url, server.apiKey, String(w), String(TRACES), String(PER_TRACE), "250"]),
      ),
    );
    const elapsed = Date.now() - started;
    expect(results.map((r) => JSON.parse(r.stdout).acked)).toEqual([5000, 5000, 5000, 5000]);

    const runs: Array<{ trace_id: string; span_count: number; name: string }> = [];
    let cursor: string | null = null;
    do {
      const res = await getJson(server, `/workspaces/${server.workspaceId}/traces?limit=500${cursor ? `&cursor=${cursor}` : ""}`);
      runs.push(...res.body.items);
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(runs).toHaveLength(WORKERS * TRACES);
    expect(new Set(runs.map((r) => r.trace_id)).size).toBe(WORKERS * TRACES);
    expect(runs.every((r) => r.span_count === PER_TRACE && r.name === "run")).toBe(true);
    expect(runs.reduce((n, r) => n + r.span_count, 0)).toBe(20_000);
    const spans = (await getJson(server, `/traces/${runs[123]!.trace_id}/spans`)).body.items as Array<{ span_id: string }>;
    expect(new Set(spans.map((s) => s.span_id)).size).toBe(PER_TRACE);
    console.log(`[concurrency] 20,000 spans from ${WORKERS} processes stored in ${elapsed} ms`);
  });
});
