import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevServer } from "../../src/dev/index.js";
import { describeDatabaseUrl } from "../../src/dev/store/postgres.js";
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
});
