import { stat } from "node:fs/promises";
import { request } from "node:http";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startDevServer } from "../../src/dev/index.js";
import { MIGRATIONS } from "../../src/dev/store/migrations.js";
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

  it("finishes and keeps a request that is in flight when close() starts", async () => {
    const dataDir = await freshDataDir();
    const server = await startDevServer({ dataDir });
    const body = JSON.stringify(otlpBody([otlpSpan({ trace: 2, span: 2, name: "in-flight" })]));
    const req = request(`${server.url}/v1/traces`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${server.apiKey}`, "content-length": Buffer.byteLength(body) },
    });
    const answered = new Promise<number>((resolve, reject) => {
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
    });
    req.write(body.slice(0, 20));
    await new Promise((r) => setTimeout(r, 100));
    const closed = server.close();
    req.end(body.slice(20));
    expect(await answered).toBe(200);
    await closed;

    const again = await startDevServer({ dataDir });
    try {
      expect((await getJson(again, `/spans/${spanId(2)}`)).body.name).toBe("in-flight");
    } finally {
      await again.close();
    }
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
      expect(await db.query("select version, name from schema_migrations order by version")).toEqual(
        MIGRATIONS.map((m) => ({ version: m.version, name: m.name })),
      );
      expect(MIGRATIONS.map((m) => m.version)).toEqual([1, 2, 3, 4, 5]);
    } finally {
      await db.close();
    }
  });
});
