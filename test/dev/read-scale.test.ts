import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../../src/dev/index.js";
import type { SpanRow } from "../../src/dev/span-row.js";
import { createStore, type Store } from "../../src/dev/store/index.js";
import { MIGRATIONS } from "../../src/dev/store/migrations.js";
import { openPglite } from "../../src/dev/store/pglite.js";
import { listTraces } from "../../src/dev/store/read-traces.js";
import { indexable, likePattern, probeSearch } from "../../src/dev/store/search.js";
import { type SqlDatabase, type SqlRunner, sqlParams } from "../../src/dev/store/sql.js";
import { refreshStatistics, staleTables } from "../../src/dev/store/statistics.js";
import { BASE_MS, freshDataDir, getJson, otlpBody, otlpSpan, postTraces, spanId, spanRow, traceId } from "./helpers.js";

let server: DevServer;

// run 1: a 30-span tree (root → 3 steps → 9 tools each); runs 2..61: two spans each, run 40 mentions "Zebra_50%"
function tree() {
  const t = BASE_MS;
  const spans = [otlpSpan({ trace: 1, span: 1, name: "root", startMs: t, durationMs: 9000 })];
  for (let step = 0; step < 3; step++) {
    const id = 100 + step;
    spans.push(otlpSpan({ trace: 1, span: id, parent: 1, name: `step-${step}`, startMs: t + step * 1000 + 1, durationMs: 900 }));
    for (let k = 0; k < 9; k++) {
      spans.push(
        otlpSpan({
          trace: 1,
          span: id * 100 + k,
          parent: id,
          name: `tool-${step}-${k}`,
          startMs: t + step * 1000 + 10 + k,
          attrs: { "input.value": `input ${step}-${k} `.repeat(50), "gen_ai.request.model": "gpt-4o", "gen_ai.usage.input_tokens": 10 },
        }),
      );
    }
  }
  return spans;
}

function small(i: number) {
  const t = BASE_MS + i * 60_000;
  return [
    otlpSpan({ trace: i, span: i * 10, name: `run-${i}`, startMs: t, attrs: { "input.value": `common words for run ${i}` } }),
    otlpSpan({
      trace: i,
      span: i * 10 + 1,
      parent: i * 10,
      name: "llm",
      startMs: t + 1,
      attrs: { "output.value": i === 40 ? "a Zebra_50% appears" : `reply ${i} with common words` },
    }),
  ];
}

beforeAll(async () => {
  server = await startDevServer({ dataDir: await freshDataDir() });
  const spans = [...tree(), ...Array.from({ length: 60 }, (_, i) => small(i + 2)).flat()];
  expect((await postTraces(server, otlpBody(spans))).status).toBe(200);
}, 60_000);

afterAll(async () => {
  await server?.close();
});

describe("trajectory pages (/traces/{id}/nodes)", () => {
  it("pages every span once, in tree order, with depth and children counts and without payloads", async () => {
    const seen: any[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: any } = await getJson(
        server,
        `/traces/${traceId(1)}/nodes?limit=7${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(31);
      expect(res.body.trace.trace_id).toBe(traceId(1));
      expect(res.body.items.length).toBeLessThanOrEqual(7);
      seen.push(...res.body.items);
      cursor = res.body.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(5);
    expect(new Set(seen.map((s) => s.span_id)).size).toBe(31);
    expect(seen.slice(0, 3).map((s) => [s.name, s.depth, s.child_count])).toEqual([
      ["root", 0, 3],
      ["step-0", 1, 9],
      ["tool-0-0", 2, 0],
    ]);
    expect(seen[11]).toMatchObject({ name: "step-1", depth: 1, parent_span_id: spanId(1), kind: "llm" });
    expect(seen[0].kind).toBe("trajectory");
    const tool = seen.find((s) => s.name === "tool-2-8");
    expect(tool).toMatchObject({ model: "gpt-4o", input_tokens: 10, depth: 2 });
    expect(tool.cost_usd).toBeGreaterThan(0);
    for (const key of ["input", "output", "attributes", "events", "messages"]) expect(tool).not.toHaveProperty(key);
    // the payload is one request away
    expect((await getJson(server, `/spans/${tool.span_id}`)).body.input).toContain("input 2-8");
  });

  it("answers a whole trajectory in one page up to 2,000 spans, 500 by default", async () => {
    const res = await getJson(server, `/traces/${traceId(1)}/nodes?limit=2000`);
    expect(res.body.items.length).toBe(31);
    expect(res.body.next_cursor).toBeNull();
    expect((await getJson(server, `/traces/${traceId(1)}/nodes`)).body.items.length).toBe(31);
  });

  it("rejects a bad limit or cursor and an unknown trace with a message saying what to do", async () => {
    const big = await getJson(server, `/traces/${traceId(1)}/nodes?limit=2001`);
    expect(big.status).toBe(400);
    expect(big.body.message).toContain("limit must be an integer from 1 to 2000");
    const bad = await getJson(server, `/traces/${traceId(1)}/nodes?cursor=nope`);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain("pass next_cursor unchanged");
    const gone = Buffer.from(JSON.stringify([spanId(999)])).toString("base64url");
    const stale = await getJson(server, `/traces/${traceId(1)}/nodes?cursor=${gone}`);
    expect(stale.status).toBe(400);
    expect(stale.body.message).toContain("start again without a cursor");
    expect((await getJson(server, `/traces/${traceId(999)}/nodes`)).status).toBe(404);
  });
});

describe("run search", () => {
  const search = async (q: string) =>
    (await getJson(server, `/workspaces/${server.workspaceId}/traces?limit=100&q=${encodeURIComponent(q)}`)).body.items.map(
      (t: { trace_id: string }) => t.trace_id,
    );

  it("finds a rare term through the trigram index, taking %, _ and case literally", async () => {
    expect(await search("zebra_50%")).toEqual([traceId(40)]);
    expect(await search("zebra_5%")).toEqual([]);
    expect(await search("zebraX50")).toEqual([]);
  });

  it("finds common and short terms newest first", async () => {
    const all = await search("common words");
    expect(all.length).toBe(60);
    expect(all[0]).toBe(traceId(61));
    expect(await search("ly")).toEqual(expect.arrayContaining([traceId(2), traceId(61)]));
    expect(await search("tool-1-3")).toEqual([traceId(1)]);
  });
});

describe("search plans", () => {
  let store: Store;
  let db: SqlDatabase;
  beforeAll(async () => {
    db = await openPglite(`${await freshDataDir()}/db`);
    store = await createStore(db, "ws", { searchQuietMs: 1e9 }); // indexed only when the test says so
    const rows: SpanRow[] = [];
    for (let i = 0; i < 40; i++) rows.push(row(i, i % 4 === 0 ? "Needle in run" : "plain hay", i === 7 ? "tiny RARE bit" : "more hay"));
    await store.write(rows, new Date());
  });
  afterAll(() => store?.close());

  it("gives the same page through the index, a probe over its cap, and the scan, before and after indexing", async () => {
    expect(store.search.pending).toBe(40); // nothing indexed yet: the probe scans the tail
    await samePages();
    await store.indexSearch();
    expect(store.search.pending).toBe(0);
    expect(await db.query("select count(*)::int as n from span_search")).toEqual([{ n: 40 }]);
    await samePages();
    expect(store.search.indexed).toBe(true);
    expect(await probeSearch(db, "needle", 5)).toBeUndefined(); // 10 matching spans: over the cap, so the scan answers
    expect((await probeSearch(db, "needle", 50))?.length).toBe(10);
  });

  async function samePages() {
    for (const q of ["needle", "rare", "hay", "ay", "n r"]) {
      const scan = await listTraces(db, "ws", { limit: 5, q }, false);
      const indexed = await listTraces(db, "ws", { limit: 5, q }, true);
      expect(indexed, q).toEqual(scan);
      const next = await listTraces(db, "ws", { limit: 5, q, cursor: scan.next_cursor ?? undefined }, true);
      if (scan.next_cursor) expect(next, q).toEqual(await listTraces(db, "ws", { limit: 5, q, cursor: scan.next_cursor }, false));
    }
  }

  it("escapes LIKE patterns and only uses the index for terms with three letters or digits in a row", () => {
    expect(likePattern("50%_a\\b")).toBe("%50\\%\\_a\\\\b%");
    expect(indexable("ab")).toBe(false);
    expect(indexable("a b c")).toBe(false);
    expect(indexable("gpt")).toBe(true);
    expect(indexable("überall")).toBe(true);
  });
});

function row(i: number, input: string, output: string): SpanRow {
  const start = (BigInt(BASE_MS + i * 1000) * 1_000_000n).toString();
  return spanRow({
    trace_id: traceId(1000 + i),
    span_id: spanId(1000 + i),
    name: `run-${i}`,
    start_ns: start,
    end_ns: start,
    input,
    output,
  });
}

describe("deferred search index", () => {
  const ids = async (store: Store, q: string) => (await store.listTraces({ limit: 50, q })).items.map((t) => t.trace_id);
  const copies = async (db: SqlDatabase) => (await db.query<{ n: number }>("select count(*)::int as n from span_search"))[0]!.n;

  it("acknowledges writes before indexing, then indexes in the background once ingest is quiet", async () => {
    const db = await openPglite(`${await freshDataDir()}/db`);
    const store = await createStore(db, "ws", { searchQuietMs: 20 });
    try {
      await store.write([row(1, "hello Rare world", "x"), row(2, "plain", "y")], new Date());
      expect(store.search.pending).toBe(2);
      expect(await ids(store, "rare")).toEqual([traceId(1001)]);
      await expect.poll(() => store.search.pending).toBe(0);
      await expect.poll(() => copies(db)).toBe(2);
      expect(await ids(store, "rare")).toEqual([traceId(1001)]);
    } finally {
      await store.close();
    }
  });

  it("finds a span's new text and not its old one after it is re-sent, before and after re-indexing", async () => {
    const db = await openPglite(`${await freshDataDir()}/db`);
    const store = await createStore(db, "ws", { searchQuietMs: 1e9 });
    try {
      await store.write([row(1, "first Walrus", "x"), row(2, "plain", "y")], new Date());
      await store.indexSearch();
      await store.write([row(1, "then Narwhal", "x")], new Date());
      expect(store.search.pending).toBe(1);
      expect(await ids(store, "walrus")).toEqual([]); // its stale copy is checked against the span
      expect(await ids(store, "narwhal")).toEqual([traceId(1001)]); // the re-sent span is in the tail
      await store.indexSearch();
      expect(await db.query("select text from span_search where span_id = $1", [spanId(1001)])).toEqual([{ text: "run-1 then Narwhal x" }]);
      expect(await ids(store, "walrus")).toEqual([]);
      expect(await ids(store, "narwhal")).toEqual([traceId(1001)]);
      // re-sending the same text again does not put the span back in the tail
      await store.write([row(1, "then Narwhal", "x")], new Date());
      expect(await db.query("select count(*)::int as n from spans where search_seq > (select indexed_upto from search_state)")).toEqual([
        { n: 0 },
      ]);
    } finally {
      await store.close();
    }
  });

  it("numbers the spans of a store made before migration 4, searches them at once and indexes them after start", async () => {
    const dir = await freshDataDir();
    // an empty database, not the migrated template
    let db = await openPglite(`${dir}/v3`, { thread: false });
    await db.exec(
      "create table schema_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())",
    );
    for (const m of MIGRATIONS.slice(0, 3)) {
      await db.exec(m.sql);
      await db.query("insert into schema_migrations (version, name) values ($1, $2)", [m.version, m.name]);
    }
    await db.exec(`insert into spans (workspace_id, trace_id, span_id, name, start_ns, end_ns, input)
      values ('ws', '${traceId(1)}', '${spanId(1)}', 'old', 1, 2, 'an old Capybara'), ('ws', '${traceId(1)}', '${spanId(2)}', 'old', 1, 2, 'x');
      insert into traces (workspace_id, trace_id, name, start_ns, end_ns, span_count, status) values ('ws', '${traceId(1)}', 'old', 1, 2, 2, 'ok')`);
    await db.close();
    db = await openPglite(`${dir}/v3`);
    const store = await createStore(db, "ws", { searchQuietMs: 1e9 });
    try {
      expect(await db.query("select count(distinct search_seq)::int as n from spans")).toEqual([{ n: 2 }]);
      expect(store.search).toMatchObject({ indexed: true, pending: 2 });
      expect(await ids(store, "capybara")).toEqual([traceId(1)]);
      await store.indexSearch();
      expect(store.search.pending).toBe(0);
      expect(await copies(db)).toBe(2);
      expect(await ids(store, "capybara")).toEqual([traceId(1)]);
    } finally {
      await store.close();
    }
  });

  it("indexes a store that grew after its first step without scanning the spans for each copy", async () => {
    const db = await openPglite(`${await freshDataDir()}/db`);
    const store = await createStore(db, "ws", { searchQuietMs: 1e9 });
    try {
      // the first step runs while the store holds ten spans: plans made then must not stay in use
      await store.write(
        Array.from({ length: 10 }, (_, i) => row(i + 1, "first", "x")),
        new Date(),
      );
      await store.indexSearch();
      const rows = Array.from({ length: 2000 }, (_, i) => row(i + 11, `span ${i}`, "y"));
      for (let i = 0; i < rows.length; i += 500) await store.write(rows.slice(i, i + 500), new Date());
      await store.indexSearch();
      await db.query("select pg_stat_force_next_flush()");
      expect(await copies(db)).toBe(2010);
      const [spans] = await db.query<{ scanned: number }>(
        "select seq_tup_read::int as scanned from pg_stat_user_tables where relname = 'spans'",
      );
      // a foreign-key check by sequential scan read ~2 million rows here
      expect(spans!.scanned).toBeLessThan(100_000);
    } finally {
      await store.close();
    }
  });

  it("drops a span's copy with the span (a re-import, retention) and re-indexes all after off then on", async () => {
    const dir = await freshDataDir();
    let db = await openPglite(`${dir}/db`);
    let store = await createStore(db, "ws", { searchQuietMs: 1e9 });
    const kept = { ...row(1, "keep Lemur", "x"), input_tokens: 3 };
    await store.write([kept, { ...row(2, "gone Okapi", "y"), trace_id: traceId(1001) }], new Date(), "langfuse");
    await store.indexSearch();
    expect(await copies(db)).toBe(2);
    // a re-import whose set lacks span 1002 removes it, and its copy goes with it
    await store.write([kept], new Date(), "langfuse", { replaceTraces: true });
    expect(await copies(db)).toBe(1);
    expect(await db.query("select input_tokens::int, spans from trace_usage")).toEqual([{ input_tokens: 3, spans: 1 }]);
    expect(await ids(store, "okapi")).toEqual([]);
    const trimmed = await store.trimChunk({ maxSpans: 0 }, new Date());
    expect(trimmed.traces).toBe(1);
    expect(await copies(db)).toBe(0);
    // the run's summary and usage go with it
    expect(await db.query("select (select count(*) from traces)::int as runs, (select count(*) from trace_usage)::int as usage")).toEqual([
      { runs: 0, usage: 0 },
    ]);
    await store.write([row(3, "back Tapir", "z")], new Date());
    await store.indexSearch();
    await store.close();
    // off empties the copy; on again puts every span back in the tail, which the indexer fills
    db = await openPglite(`${dir}/db`);
    store = await createStore(db, "ws", { searchIndex: false });
    expect(await copies(db)).toBe(0);
    expect(await ids(store, "tapir")).toEqual([traceId(1003)]);
    await store.close();
    db = await openPglite(`${dir}/db`);
    store = await createStore(db, "ws", { searchQuietMs: 1e9 });
    try {
      expect(store.search).toMatchObject({ indexed: true, pending: 1 });
      expect(await ids(store, "tapir")).toEqual([traceId(1003)]);
      await store.indexSearch();
      expect(await copies(db)).toBe(1);
      expect(await ids(store, "tapir")).toEqual([traceId(1003)]);
    } finally {
      await store.close();
    }
  });
});

describe("without pg_trgm", () => {
  it("still migrates and searches (by scanning) and says why the index is missing", async () => {
    const dir = await freshDataDir();
    // a PGlite without the contrib extension loaded stands in for a PostgreSQL that refuses it
    const pg = await PGlite.create({ dataDir: `${dir}/plain` });
    const runner = (q: Pick<PGlite, "query" | "exec">): SqlRunner => ({
      query: async (text, params = []) => (await q.query<any>(text, sqlParams(params))).rows,
      exec: async (text) => void (await q.exec(text)),
    });
    const db: SqlDatabase = {
      ...runner(pg),
      description: "plain",
      transaction: (fn) => pg.transaction((tx) => fn(runner(tx))),
      close: () => pg.close(),
    };
    const store = await createStore(db, "ws");
    try {
      expect(store.search.indexed).toBe(false);
      expect(store.search.reason).toMatch(/pg_trgm/);
      await expectScanFindsRareTerm(store);
    } finally {
      await store.close();
    }
  });
});

/** Without the trigram index, search still finds a term inside one run's text (case-insensitive). */
async function expectScanFindsRareTerm(store: Awaited<ReturnType<typeof createStore>>) {
  await store.write([row(1, "hello Rare world", "x"), row(2, "hello", "y")], new Date());
  expect((await store.listTraces({ limit: 10, q: "rare" })).items.map((t) => t.trace_id)).toEqual([traceId(1001)]);
}

describe("--search-index off", () => {
  it("drops the trigram index, and search still answers by scanning", async () => {
    const db = await openPglite(`${await freshDataDir()}/db`);
    const store = await createStore(db, "ws", { searchIndex: false });
    try {
      expect(store.search).toEqual({ indexed: false, reason: "turned off (--search-index off)", pending: 0 });
      expect(await db.query("select 1 from pg_indexes where indexname = 'span_search_text'")).toEqual([]);
      await expectScanFindsRareTerm(store);
    } finally {
      await store.close();
    }
  });
});

describe("planner statistics", () => {
  it("writes run summaries and usage without scanning the stored runs, however many there are", async () => {
    // A foreign-key check on trace_usage, planned while `traces` was nearly empty, once read every
    // stored run for each usage row written: ingest slowed as runs accumulated (migration 5).
    const db = await openPglite(`${await freshDataDir()}/db`);
    const store = await createStore(db, "ws", { searchIndex: false });
    try {
      for (let batch = 0; batch < 30; batch++) {
        const rows = Array.from({ length: 10 }, (_, i) =>
          spanRow({ trace_id: traceId(batch * 10 + i + 1), span_id: spanId(batch * 10 + i + 1), model: "m", input_tokens: 5 }),
        );
        await store.write(rows, new Date());
      }
      await db.query("select pg_stat_force_next_flush()");
      const [traces] = await db.query<{ runs: number; scanned: string }>(
        "select (select count(*)::int from traces) as runs, seq_tup_read::text as scanned from pg_stat_user_tables where relname = 'traces'",
      );
      expect(traces).toEqual({ runs: 300, scanned: "0" });
      expect(await db.query("select count(*)::int as n, sum(input_tokens)::int as tokens from trace_usage")).toEqual([
        { n: 300, tokens: 1500 },
      ]);
    } finally {
      await store.close();
    }
  });

  it("analyzes tables never analyzed, then again only after enough changes", async () => {
    const db = await openPglite(`${await freshDataDir()}/db`);
    try {
      expect(await staleTables(db)).toEqual(expect.arrayContaining(["spans", "traces"]));
      await db.exec(
        "insert into traces (workspace_id, trace_id, name, start_ns, end_ns, span_count, status) values ('w', 't', 'n', 1, 2, 1, 'ok')",
      );
      expect((await refreshStatistics(db)).sort()).toEqual(["span_search", "spans", "traces"]);
      expect(await staleTables(db)).not.toContain("traces");
      const eager = { threshold: 0, fraction: 0, thresholdPages: 0 };
      expect(await staleTables(db, eager)).not.toContain("traces");
      // counted changes (once the counters are flushed)
      await db.exec("update traces set span_count = 2");
      await db.query("select pg_stat_force_next_flush()");
      expect(await staleTables(db, eager)).toContain("traces");
      await refreshStatistics(db, eager);
      // growth on disk, which needs no counters
      await db.exec(
        "insert into traces (workspace_id, trace_id, name, start_ns, end_ns, span_count, status) select 'w', 't' || g, repeat('n', 500), 1, 2, 1, 'ok' from generate_series(1, 200) g",
      );
      expect(await staleTables(db, { ...eager, threshold: 1e9 })).toContain("traces");
    } finally {
      await db.close();
    }
  });
});
