import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevServer } from "../../src/dev/index.js";
import { DatabaseUnavailableError, describeDatabaseUrl, openPostgres } from "../../src/dev/store/postgres.js";
import { getJson, otlpBody, otlpSpan, postTraces, spanId, traceId } from "./helpers.js";
import { startPostgres } from "./postgres-server.js";

let pg: Awaited<ReturnType<typeof startPostgres>>;
beforeAll(async () => {
  pg = await startPostgres();
}, 60_000);
afterAll(() => pg?.stop());

describe("--database-url (real PostgreSQL)", () => {
  it("migrates, ingests idempotently, serves the read API and persists across restarts", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "bentolabs-dev-pg-"));
    const first = await startDevServer({ dataDir, databaseUrl: pg.url });
    expect(first.storage).toBe(`PostgreSQL at postgres://postgres@127.0.0.1:${new URL(pg.url).port}/postgres`);
    const batch = otlpBody([
      otlpSpan({ trace: 1, span: 10, name: "root", attrs: { "gen_ai.conversation.id": "c1", "gen_ai.user.id": "u1" } }),
      otlpSpan({
        trace: 1,
        span: 11,
        parent: 10,
        name: "tool",
        attrs: { "openinference.span.kind": "tool", "gen_ai.usage.input_tokens": 3 },
      }),
    ]);
    expect((await postTraces(first, batch)).status).toBe(200);
    expect((await postTraces(first, batch, { gzip: true })).status).toBe(200);
    await first.close();

    const second = await startDevServer({ dataDir, databaseUrl: pg.url });
    try {
      const runs = (await getJson(second, `/workspaces/${second.workspaceId}/traces`)).body.items;
      expect(runs.map((r: any) => [r.trace_id, r.span_count, r.input_tokens])).toEqual([[traceId(1), 2, 3]]);
      expect((await getJson(second, `/spans/${spanId(11)}`)).body).toMatchObject({ kind: "tool", parent_span_id: spanId(10) });
      expect((await getJson(second, `/workspaces/${second.workspaceId}/sessions/c1`)).body.turns).toBe(1);
      expect((await getJson(second, `/workspaces/${second.workspaceId}/users`)).body.items[0].user_id).toBe("u1");
      // migration 3 created pg_trgm and the search index on a real server too; search and the paged tree answer
      expect((await getJson(second, "/health")).body.search_index).toBe(true);
      expect(
        (await getJson(second, `/workspaces/${second.workspaceId}/traces?q=${encodeURIComponent(runs[0].name)}`)).body.items.length,
      ).toBeGreaterThan(0);
      expect((await getJson(second, `/traces/${runs[0].trace_id}/nodes`)).body.total).toBe(runs[0].span_count);
    } finally {
      await second.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("never shows the password of a database URL", () => {
    expect(describeDatabaseUrl("postgres://bento:s3cret@db.local:5432/bento")).toBe(
      "PostgreSQL at postgres://bento:***@db.local:5432/bento",
    );
  });

  it("fails a transaction whose connection the server ends as DatabaseUnavailableError, without crashing, and goes on", async () => {
    const db = await openPostgres(pg.url);
    try {
      // the backend ends itself: the query fails, then the connection closes with no query running
      // (an `error` event the pool does not listen to while the client is checked out)
      const ended = db.transaction((tx) => tx.query("select pg_terminate_backend(pg_backend_pid())"));
      await expect(ended).rejects.toBeInstanceOf(DatabaseUnavailableError);
      await expect(ended).rejects.toThrow(/PostgreSQL is unavailable: terminating connection/);
      const copied = db.copyTransaction!(
        "select pg_terminate_backend(pg_backend_pid()); create temp table t (n int); copy t from stdin",
        "1\n",
      );
      await expect(copied).rejects.toBeInstanceOf(DatabaseUnavailableError);
      await new Promise((r) => setTimeout(r, 100)); // a late `error` event would surface here as an unhandled error
      expect(await db.transaction((tx) => tx.query<{ n: number }>("select 1 as n"))).toEqual([{ n: 1 }]);
    } finally {
      await db.close();
    }
  });

  it("answers 503 with retry-after while PostgreSQL is down, and keeps serving", async () => {
    const own = await startPostgres();
    const dataDir = await mkdtemp(join(tmpdir(), "bentolabs-dev-pg-"));
    const server = await startDevServer({ dataDir, databaseUrl: own.url, searchIndex: false });
    try {
      await own.stop();
      const res = await fetch(`${server.url}/v1/traces`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${server.apiKey}` },
        body: JSON.stringify(otlpBody([otlpSpan({ trace: 2, span: 20, name: "root" })])),
      });
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("1");
      const text = await res.text();
      expect(text).toContain("database_unavailable");
      expect(text).toMatch(/PostgreSQL is unavailable: .*Retry this batch/);
      // the process is still up and answers what needs no database
      expect((await fetch(`${server.url}/v1/traces`, { method: "GET" })).status).toBeLessThan(500);
    } finally {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
