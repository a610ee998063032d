import { describe, expect, it } from "vitest";
import { SearchIndexer } from "../../src/dev/store/search-indexer.js";
import type { SqlDatabase, SqlRunner } from "../../src/dev/store/sql.js";

/** A database whose index step copies a full batch in `stepMs`, with a tail that never runs out. */
function slowIndexDb(stepMs: number): { db: SqlDatabase; steps: () => number } {
  let steps = 0;
  const tx: SqlRunner = {
    exec: async () => undefined,
    query: async <T>(text: string) => {
      if (text.includes("indexed_upto::text")) return [{ upto: "0" }] as T[];
      steps++;
      await new Promise((r) => setTimeout(r, stepMs));
      return [{ n: 250 }] as T[];
    },
  };
  const db: SqlDatabase = {
    ...tx,
    query: async <T>() => [{ n: "1000000" }] as T[], // searchLag at start
    transaction: (fn) => fn(tx),
    close: async () => undefined,
    description: "fake",
  };
  return { db, steps: () => steps };
}

describe("search indexer under load", () => {
  it("takes at most its share of the time once the tail passes maxLag, and never stops ingest for longer", async () => {
    const stepMs = 40;
    const { db, steps } = slowIndexDb(stepMs);
    // writes never pause: the queue is never idle, so only the under-load rule runs steps
    const indexer = new SearchIndexer({
      db,
      queue: { exclusive: (fn) => fn(), idle: () => false },
      maxLag: 0,
      maxShare: 0.2,
      quietMs: 1e9,
    });
    const started = Date.now();
    while (Date.now() - started < 1200) {
      indexer.written(512);
      await new Promise((r) => setTimeout(r, 10));
    }
    const elapsed = Date.now() - started;
    await indexer.stop();
    // a 40 ms step, then 160 ms of writes alone: about 6 steps in 1.2 s (one per write would be ~24)
    expect(steps()).toBeGreaterThanOrEqual(2);
    expect(steps() * stepMs).toBeLessThanOrEqual(elapsed * 0.3);
  });
});
