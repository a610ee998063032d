import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SpanRow } from "../../src/dev/span-row.js";
import { createStore, type Store } from "../../src/dev/store/index.js";
import { openPglite } from "../../src/dev/store/pglite.js";
import { createNodePages } from "../../src/dev/store/read-nodes.js";
import type { SqlDatabase } from "../../src/dev/store/sql.js";
import { TreeCache } from "../../src/dev/store/tree-cache.js";
import { skeletonOf, treeOrder } from "../../src/dev/tree-page.js";
import { BASE_MS, freshDataDir, spanRow } from "./helpers.js";

function span(trace: string, id: string, parent: string | null, offsetMs: number, name = id): SpanRow {
  const start = (BigInt(BASE_MS + offsetMs) * 1_000_000n).toString();
  return spanRow({ trace_id: trace, span_id: id, parent_span_id: parent, name, start_ns: start, end_ns: start });
}

// a seeded pseudo-random generator, so a failure reproduces
function random(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

describe("skeletonOf", () => {
  it("gives treeOrder's order, depths and child counts for any tree (orphans, self-parents, equal starts)", () => {
    const rnd = random(7);
    for (let run = 0; run < 50; run++) {
      const n = 1 + Math.floor(rnd() * 60);
      const spans = Array.from({ length: n }, (_, i) => {
        const r = rnd();
        const parent = i === 0 || r < 0.1 ? null : r < 0.15 ? `missing-${i}` : r < 0.18 ? `s${i}` : `s${Math.floor(rnd() * n)}`;
        return { span_id: `s${i}`, parent_span_id: parent, start_unix_nano: String(1000 + Math.floor(rnd() * 20)) };
      });
      // the store's order: start, then span id
      spans.sort((a, b) => Number(a.start_unix_nano) - Number(b.start_unix_nano) || (a.span_id < b.span_id ? -1 : 1));
      const expected = treeOrder(
        spans.map((s) => ({ ...s, kind: "llm", span_kind: null, model: null, input_tokens: null, output_tokens: null })),
      );
      const sk = skeletonOf(spans.map((s) => [s.span_id, s.parent_span_id] as const));
      expect(sk.ids).toEqual(expected.map((r) => r.span_id));
      expect([...sk.depth]).toEqual(expected.map((r) => r.depth));
      expect([...sk.childCount]).toEqual(expected.map((r) => r.child_count));
    }
  });
});

describe("TreeCache", () => {
  const skeleton = (n: number, version = "1") => ({
    version,
    ...skeletonOf(Array.from({ length: n }, (_, i) => [`s${i}`, null] as const)),
  });

  it("evicts the least recently used run when runs or spans exceed its bounds", () => {
    const cache = new TreeCache({ maxEntries: 3, maxSpans: 100 });
    cache.set("a", skeleton(10));
    cache.set("b", skeleton(10));
    cache.set("c", skeleton(10));
    cache.get("a");
    cache.set("d", skeleton(10));
    expect(cache.get("b")).toBeUndefined();
    expect(cache.size).toEqual({ entries: 3, spans: 30 });
    cache.set("e", skeleton(90));
    expect(cache.size.spans).toBeLessThanOrEqual(100);
    expect(cache.get("e")).toBeDefined();
    expect(cache.get("a")).toBeUndefined();
  });

  it("never keeps a run larger than its span bound, and replaces a run's entry", () => {
    const cache = new TreeCache({ maxEntries: 3, maxSpans: 100 });
    cache.set("big", skeleton(101));
    expect(cache.size).toEqual({ entries: 0, spans: 0 });
    cache.set("a", skeleton(10, "1"));
    cache.set("a", skeleton(20, "2"));
    expect(cache.size).toEqual({ entries: 1, spans: 20 });
    expect(cache.get("a")?.version).toBe("2");
  });
});

describe("cached trees stay exact", () => {
  let db: SqlDatabase;
  let store: Store;
  const T = "t".repeat(32);
  beforeAll(async () => {
    db = await openPglite(`${await freshDataDir()}/db`);
    store = await createStore(db, "ws");
    await store.write([span(T, "root", null, 0), span(T, "a", "root", 10), span(T, "b", "root", 20), span(T, "a1", "a", 11)], new Date());
  }, 60_000);
  afterAll(async () => {
    await store?.close();
  });
  const names = async (pages = store) => (await pages.nodePage(T, 100))!.items.map((s) => `${s.span_id}@${s.depth}`);

  it("reflects a write that adds spans to a run whose tree is cached", async () => {
    expect(await names()).toEqual(["root@0", "a@1", "a1@2", "b@1"]);
    await store.write([span(T, "a0", "a", 5), span(T, "c", "root", 30)], new Date());
    expect(await names()).toEqual(["root@0", "a@1", "a0@2", "a1@2", "b@1", "c@1"]);
  });

  it("reflects a re-import that replaces the run's spans, and a span moved to another parent", async () => {
    await store.write([span(T, "root", null, 0), span(T, "b", "root", 20), span(T, "a1", "b", 11)], new Date(), "push", {
      replaceTraces: true,
    });
    const page = (await store.nodePage(T, 100))!;
    expect(page.items.map((s) => `${s.span_id}@${s.depth}`)).toEqual(["root@0", "b@1", "a1@2"]);
    expect(page.total).toBe(3);
  });

  it("answers a cursor on a span the write removed with the stale-cursor error", async () => {
    const gone = Buffer.from(JSON.stringify(["a"])).toString("base64url");
    await expect(store.nodePage(T, 100, gone)).rejects.toThrow("start again without a cursor");
  });

  it("sees writes made through another store on the same database (another server's cache)", async () => {
    const other = createNodePages(db);
    expect((await other.page(T, 100))!.total).toBe(3);
    await store.write([span(T, "d", "root", 40)], new Date());
    expect((await other.page(T, 100))!.items.map((s) => s.span_id)).toEqual(["root", "b", "a1", "d"]);
  });

  it("forgets a run that retention removed", async () => {
    expect(await store.nodePage(T, 100)).toBeDefined();
    while ((await store.trimChunk({ maxSpans: 0 }, new Date())).traces > 0);
    expect(await store.nodePage(T, 100)).toBeUndefined();
  });

  it("keeps its memory within its bounds while many runs are paged", async () => {
    const pages = createNodePages(db, { maxEntries: 4, maxSpans: 25 });
    for (let r = 0; r < 10; r++) {
      const trace = `r${r}`.padEnd(32, "0");
      await store.write(
        Array.from({ length: 8 }, (_, i) => span(trace, `r${r}-${i}`, i ? `r${r}-0` : null, i)),
        new Date(),
      );
      expect((await pages.page(trace, 3))!.items.length).toBe(3);
      expect(pages.cache.size.entries).toBeLessThanOrEqual(4);
      expect(pages.cache.size.spans).toBeLessThanOrEqual(25);
    }
    expect(pages.cache.size).toEqual({ entries: 3, spans: 24 });
  });
});
