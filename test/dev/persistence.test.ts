import { stat } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startDevServer } from "../../src/dev/index.js";
import { openPglite } from "../../src/dev/store/pglite.js";
import { freshDataDir, getJson, otlpBody, otlpSpan, postTraces, spanId, traceId } from "./helpers.js";

describe("data dir", () => {
  it("keeps spans, the key and the workspace across a restart", async () => {
    const dataDir = await freshDataDir();
    const first = await startDevServer({ dataDir });
    expect(first.apiKey).toMatch(/^bl_pk_dev_[0-9a-f]{40}$/);
    expect((await postTraces(first, otlpBody([otlpSpan({ trace: 1, span: 1, name: "survives" })]))).status).toBe(200);
    await first.close();

    const second = await startDevServer({ dataDir });
    try {
      expect(second.apiKey).toBe(first.apiKey);
      expect(second.workspaceId).toBe(first.workspaceId);
      expect((await getJson(second, `/spans/${spanId(1)}`)).body.name).toBe("survives");
      const runs = (await getJson(second, `/workspaces/${second.workspaceId}/traces`)).body.items;
      expect(runs.map((r: { trace_id: string }) => r.trace_id)).toEqual([traceId(1)]);
    } finally {
      await second.close();
    }
    expect((await stat(join(dataDir, "credentials.json"))).mode & 0o777).toBe(0o600);
  });

  it("refuses a second live server on the same data dir", async () => {
    const dataDir = await freshDataDir();
    const server = await startDevServer({ dataDir });
    try {
      await expect(startDevServer({ dataDir })).rejects.toThrow(/Another dev server \(pid \d+\) is using/);
    } finally {
      await server.close();
    }
    // the lock is released on close
    const again = await startDevServer({ dataDir });
    await again.close();
  });

  it("records applied schema migrations once", async () => {
    const dataDir = await freshDataDir();
    await (await startDevServer({ dataDir })).close();
    await (await startDevServer({ dataDir })).close();
    const db = await openPglite(join(dataDir, "db"));
    try {
      expect(await db.query("select version, name from schema_migrations")).toEqual([{ version: 1, name: "spans and trace summaries" }]);
    } finally {
      await db.close();
    }
  });
});
