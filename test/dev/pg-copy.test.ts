import pgDriver from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SpanRow } from "../../src/dev/span-row.js";
import { createStore, PG_WRITERS } from "../../src/dev/store/index.js";
import { copyField, copyFrom } from "../../src/dev/store/pg-copy.js";
import { openPglite } from "../../src/dev/store/pglite.js";
import { openPostgres } from "../../src/dev/store/postgres.js";
import type { SqlDatabase, SqlRunner } from "../../src/dev/store/sql.js";
import { prepareWrite, runWrite } from "../../src/dev/store/write.js";
import { freshDataDir, spanId, traceId } from "./helpers.js";
import { startPostgres } from "./postgres-server.js";

const { Client } = pgDriver;
let pg: Awaited<ReturnType<typeof startPostgres>>;
beforeAll(async () => {
  pg = await startPostgres();
}, 60_000);
afterAll(() => pg?.stop());

// Everything the text COPY format treats specially, plus NUL (which PostgreSQL text cannot hold).
const AWKWARD = "tab\there, newline\nthere, cr\r, backslash \\ and \\N and \\t, nul \u0000 end, quote \" ', emoji 🧪, é";

function row(n: number, over: Partial<SpanRow> = {}): SpanRow {
  return {
    trace_id: traceId(1),
    span_id: spanId(n),
    parent_span_id: n === 1 ? null : spanId(1),
    name: n === 1 ? AWKWARD : `span-${n}`,
    otel_kind: 1,
    span_kind: null,
    status_code: "ok",
    status_message: null,
    start_ns: String(1767225600000000000n + BigInt(n) * 1000n),
    end_ns: String(1767225600000000000n + BigInt(n) * 1000n + 500n),
    user_id: n === 1 ? "u\t1" : null,
    session_id: null,
    model: "gpt-4o",
    provider: null,
    input: AWKWARD,
    output: "\\N",
    tags: ["a\tb", "c\\d"],
    input_tokens: n,
    output_tokens: null,
    attributes: { [AWKWARD]: AWKWARD, nested: { list: [1, "x\ny", null, true] } },
    resource: {},
    scope: { name: "s" },
    events: [{ name: "e\u0000", attributes: {} }],
    links: [],
    ...over,
  };
}

describe("PostgreSQL COPY ingest path", () => {
  it("escapes fields for the text COPY format", () => {
    expect(copyField(null)).toBe("\\N");
    expect(copyField("\\N")).toBe("\\\\N");
    expect(copyField("a\tb\nc\rd\\e\u0000f")).toBe("a\\tb\\nc\\rd\\\\e\uFFFDf");
    expect(copyField(42)).toBe("42");
  });

  it("stores every span and summary exactly as the embedded database's JSON path does", async () => {
    const rows = [row(1), row(2), row(3, { status_code: "error", input: null, attributes: {} })];
    const viaCopy = await createStore(await openPostgres(pg.url), "local");
    const viaJson = await createStore(await openPglite(`${await freshDataDir()}/db`), "local");
    try {
      for (const store of [viaCopy, viaJson]) {
        await store.write(rows.slice(0, 2), new Date("2026-01-01T00:00:00Z"));
        // a re-sent span with a change replaces its stored copy (and recomputes the summary)
        await store.write([rows[2]!, { ...rows[1]!, output: "changed\ttext" }], new Date("2026-01-01T00:00:01Z"));
      }
      const spans = await viaCopy.listSpans(traceId(1));
      expect(spans).toEqual(await viaJson.listSpans(traceId(1)));
      expect(spans.map((s) => s.span_id)).toEqual([spanId(1), spanId(2), spanId(3)]);
      const root = spans[0]!;
      expect(root.name).toBe(AWKWARD.replace("\u0000", "\uFFFD"));
      expect(root.input).toBe(AWKWARD.replace("\u0000", "\uFFFD"));
      expect(root.output).toBe("\\N");
      expect(root.tags).toEqual(["a\tb", "c\\d"]);
      expect(root.attributes).toMatchObject({ nested: { list: [1, "x\ny", null, true] } });
      expect(root.events).toEqual([{ name: "e\uFFFD", attributes: {} }]);
      expect(spans[1]!.output).toBe("changed\ttext");
      const summary = await viaCopy.getTrace(traceId(1));
      expect(summary).toEqual(await viaJson.getTrace(traceId(1)));
      expect(summary).toMatchObject({ span_count: 3, status: "error", user_id: "u\t1", input_tokens: 6 });
    } finally {
      await Promise.all([viaCopy.close(), viaJson.close()]);
    }
  });

  it("keeps summaries exact with concurrent write transactions, re-sent spans and shared runs", { timeout: 60_000 }, async () => {
    // 8 runs of 40 spans; each write carries slices of several runs, and some spans come again changed
    const all = Array.from({ length: 8 }, (_, t) =>
      Array.from({ length: 40 }, (_, i) =>
        row(i + 1, {
          trace_id: traceId(100 + t),
          span_id: spanId((t + 1) * 1000 + i),
          parent_span_id: i === 0 ? null : spanId((t + 1) * 1000),
          name: `t${t}-s${i}`,
          user_id: i === 3 ? `u${t}` : null,
          status_code: i === 7 && t % 2 === 0 ? "error" : "ok",
          input_tokens: i,
        }),
      ),
    ).flat();
    const order = all.map((_, i) => (i * 37) % all.length); // a fixed shuffle (37 is coprime to 320)
    const writes = [];
    for (let i = 0; i < order.length; i += 16) writes.push(order.slice(i, i + 16).map((k) => all[k]!));
    // stale copies of some spans, each later overwritten by its real copy in a concurrent write
    const stale = all.filter((_, i) => i % 9 === 0).map((r) => ({ ...r, name: "stale", input_tokens: 999, parent_span_id: null }));

    const concurrent = await createStore(await openPostgres(pg.url), "local", { writers: PG_WRITERS + 2 });
    const reference = await createStore(await openPglite(`${await freshDataDir()}/db`), "local");
    try {
      await concurrent.write(stale, new Date("2026-01-01T00:00:00Z"));
      await Promise.all(writes.map((w) => concurrent.write(w, new Date("2026-01-01T00:00:01Z"))));
      await reference.write(all, new Date("2026-01-01T00:00:01Z"));
      for (let t = 0; t < 8; t++) {
        const id = traceId(100 + t);
        expect(await concurrent.getTrace(id)).toEqual(await reference.getTrace(id));
        expect(await concurrent.listSpans(id)).toEqual(await reference.listSpans(id));
      }
      expect((await concurrent.getTrace(traceId(100)))?.span_count).toBe(40);
    } finally {
      await Promise.all([concurrent.close(), reference.close()]);
    }
  });

  it("replaces a re-imported run's spans (the upsert path) exactly as the embedded database does", async () => {
    const viaCopy = await createStore(await openPostgres(pg.url), "local", { searchIndex: false });
    const viaJson = await createStore(await openPglite(`${await freshDataDir()}/db`), "local", { searchIndex: false });
    try {
      const run = [1, 2, 3, 4].map((n) =>
        row(n, { trace_id: traceId(12), span_id: spanId(1200 + n), parent_span_id: n === 1 ? null : spanId(1201) }),
      );
      for (const store of [viaCopy, viaJson]) {
        await store.write(run, new Date("2026-01-01T00:00:00Z"), "langfuse", { replaceTraces: true });
        // a second import of the same run: one span gone, one changed
        const again = [run[0]!, run[1]!, { ...run[3]!, name: "renamed", input_tokens: 40 }];
        await store.write(again, new Date("2026-01-01T00:00:05Z"), "langfuse", { replaceTraces: true });
      }
      const spans = await viaCopy.listSpans(traceId(12));
      expect(spans.map((s) => s.span_id)).toEqual([spanId(1201), spanId(1202), spanId(1204)]);
      expect(spans).toEqual(await viaJson.listSpans(traceId(12)));
      expect(await viaCopy.getTrace(traceId(12))).toEqual(await viaJson.getTrace(traceId(12)));
      expect(await viaCopy.getTrace(traceId(12))).toMatchObject({ span_count: 3, input_tokens: 1 + 2 + 40 });
    } finally {
      await Promise.all([viaCopy.close(), viaJson.close()]);
    }
  });

  it("stores a span with a 2 MB payload of multi-byte text (and escapes) through COPY intact", async () => {
    const store = await createStore(await openPostgres(pg.url), "local", { searchIndex: false });
    try {
      const big = `${"é🧪\t".repeat(300_000)}end`; // ~2.4 MB in UTF-8, escapes included
      const rows = [1, 2, 3].map((n) => row(n, { trace_id: traceId(11), span_id: spanId(1100 + n), input: n === 2 ? big : `small ${n}` }));
      await store.write(rows, new Date("2026-01-01T00:00:00Z"));
      const spans = await store.listSpans(traceId(11));
      expect(spans.map((s) => s.input?.length)).toEqual([7, big.length, 7]);
      expect(spans[1]!.input).toBe(big);
    } finally {
      await store.close();
    }
  });

  it("rejects a COPY the server refuses with its error, and the connection goes on", async () => {
    const db = await openPostgres(pg.url);
    try {
      await db.exec("create temp table if not exists copy_probe (n bigint)");
      const failed = db.transaction((tx) => tx.copyFrom!("copy copy_probe (n) from stdin", "1\nnot a number\n"));
      await expect(failed).rejects.toThrow(/invalid input syntax for type bigint/);
      expect(await db.transaction((tx) => tx.copyFrom!("copy copy_probe (n) from stdin", "1\n2\n"))).toBe(2);
    } finally {
      await db.close();
    }
  });

  it("drops the rows sent ahead when a statement before the COPY fails, and the connection goes on", async () => {
    const client = new Client({ connectionString: pg.url });
    await client.connect();
    try {
      await client.query("create temp table ahead (n bigint)");
      // the rows reach the server before it has seen the COPY; the failure skips the COPY, and the
      // CopyData/CopyDone that follow must be ignored, not read as commands
      await expect(copyFrom(client, "select 1/0; copy ahead (n) from stdin", "1\n2\n")).rejects.toThrow(/division by zero/);
      expect((await client.query("select count(*)::int as n from ahead")).rows).toEqual([{ n: 0 }]);
      expect(await copyFrom(client, "copy ahead (n) from stdin", "3\n")).toBe(1);
      expect((await client.query("select n::int from ahead")).rows).toEqual([{ n: 3 }]);
    } finally {
      await client.end();
    }
  });

  it("copies new spans straight into spans, and upserts a group holding a stored span", async () => {
    const statements: string[] = [];
    const db = await openPostgres(pg.url);
    const record = (tx: SqlRunner): SqlRunner => ({
      query: (text, params) => (statements.push(text.trim().split(/\s+/).slice(0, 3).join(" ")), tx.query(text, params)),
      exec: (text) => (statements.push(text.trim().split(/\s+/).slice(0, 3).join(" ")), tx.exec(text)),
      copyFrom: (text, data) => (statements.push(text.split(" (")[0]!), tx.copyFrom!(text, data)),
    });
    const recorded: SqlDatabase = {
      ...db,
      transaction: (fn) => db.transaction((tx) => fn(record(tx))),
      // one round trip: begin, the search lock, the COPY, the merges, commit
      copyTransaction: (text, data) => (statements.push(`one round trip: ${/copy \w+/.exec(text)?.[0]}`), db.copyTransaction!(text, data)),
    };
    const store = await createStore(recorded, "local", { searchIndex: false });
    try {
      const rows = [1, 2, 3].map((n) => row(n, { trace_id: traceId(7), span_id: spanId(700 + n), parent_span_id: null }));
      statements.length = 0;
      await store.write(rows.slice(0, 2), new Date("2026-01-01T00:00:00Z"));
      expect(statements.filter((s) => s.includes("copy"))).toEqual(["one round trip: copy spans"]);
      expect(statements.some((s) => s.includes("bento_stage"))).toBe(false);
      // span 702 is stored: the straight copy fails on it, nothing of it is kept, the group is upserted
      statements.length = 0;
      await store.write([rows[1]!, rows[2]!], new Date("2026-01-01T00:00:01Z"));
      expect(statements.filter((s) => s.includes("copy"))).toEqual(["one round trip: copy spans", "copy bento_stage"]);
      expect((await store.listSpans(traceId(7))).map((s) => s.span_id)).toEqual([spanId(701), spanId(702), spanId(703)]);
      expect(await store.getTrace(traceId(7))).toMatchObject({ span_count: 3, input_tokens: 1 + 2 + 3 });
    } finally {
      await store.close();
    }
  });

  it("keeps a run exact when two transactions copy the same new spans at once", async () => {
    const store = await createStore(await openPostgres(pg.url), "local", { searchIndex: false });
    const db = await openPostgres(pg.url);
    try {
      // two versions of the same 40 new spans; their tokens differ, so a span counted twice shows
      const version = (v: number) =>
        Array.from({ length: 40 }, (_, i) =>
          row(i + 1, {
            trace_id: traceId(9),
            span_id: spanId(900 + i),
            parent_span_id: i === 0 ? null : spanId(900),
            input_tokens: v * 1000 + i,
          }),
        );
      const groups = [1, 2].map(
        (v) => prepareWrite([{ rows: version(v), receivedAt: new Date(), source: "push" }], { copies: true, workspaceId: "local" })!,
      );
      await Promise.all(groups.map((g) => runWrite(db, g, "local")));
      const spans = await store.listSpans(traceId(9));
      expect(spans).toHaveLength(40);
      // each span is one version or the other; the summary counts each stored span once
      const tokens = spans.reduce((sum, s) => sum + Number(s.input_tokens), 0);
      expect(await store.getTrace(traceId(9))).toMatchObject({ span_count: 40, input_tokens: tokens });
    } finally {
      await Promise.all([store.close(), db.close()]);
    }
  });
});
