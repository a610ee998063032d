import { describe, expect, it } from "vitest";
import type { SpanRow } from "../../src/dev/span-row.js";
import { createStore, type Store } from "../../src/dev/store/index.js";
import { openPglite } from "../../src/dev/store/pglite.js";
import { freshDataDir } from "./helpers.js";

// A small deterministic generator (no Math.random: a failure must be reproducible).
function rng(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

function spans(seed: number): SpanRow[] {
  const r = rng(seed);
  const out: SpanRow[] = [];
  for (let t = 0; t < 12; t++) {
    const n = 1 + Math.floor(r() * 15);
    for (let s = 0; s < n; s++) {
      const orphan = s > 0 && r() < 0.1; // a child whose parent never arrives
      out.push({
        trace_id: `t${t}`,
        span_id: `s${t}-${s}`,
        parent_span_id: s === 0 ? null : orphan ? "missing" : `s${t}-0`,
        name: `n${s}`,
        otel_kind: 1,
        span_kind: r() < 0.5 ? "LLM" : "TOOL",
        status_code: r() < 0.1 ? "error" : "ok",
        status_message: null,
        start_ns: String(1_000_000 + Math.floor(r() * 1000)),
        end_ns: String(2_000_000 + Math.floor(r() * 1000)),
        user_id: r() < 0.3 ? `u${Math.floor(r() * 3)}` : null,
        session_id: r() < 0.3 ? `c${Math.floor(r() * 3)}` : null,
        model: r() < 0.6 ? ["gpt-4o", "claude", "Gpt-b"][Math.floor(r() * 3)]! : null,
        provider: null,
        input: `in ${t}/${s}`,
        output: `out ${t}/${s}`,
        tags: null,
        input_tokens: r() < 0.7 ? Math.floor(r() * 100) : null,
        output_tokens: r() < 0.7 ? Math.floor(r() * 100) : null,
        attributes: {},
        resource: {},
        scope: {},
        events: [],
        links: [],
      });
    }
  }
  return out;
}

async function openStore(): Promise<Store> {
  return createStore(await openPglite(`${await freshDataDir()}/db`), "local");
}

async function allRuns(store: Store) {
  const { items } = await store.listTraces({ limit: 500 });
  return items.sort((a, b) => a.trace_id.localeCompare(b.trace_id));
}

describe("trace summaries", () => {
  it("are the same whether spans arrive at once, in shuffled batches, or are re-sent with changes", { timeout: 60_000 }, async () => {
    const all = spans(7);
    const once = await openStore();
    const pieces = await openStore();
    try {
      const at = new Date("2026-01-15T12:00:00Z");
      await once.write(all, at);

      const r = rng(99);
      const shuffled = [...all].sort(() => r() - 0.5);
      // first a stale copy of some spans (other name, status and tokens), later replaced by the real one
      const stale = shuffled
        .slice(0, 20)
        .map((s) => ({ ...s, name: "stale", status_code: "error" as const, input_tokens: 999, parent_span_id: null }));
      await pieces.write(stale, at);
      for (let i = 0; i < shuffled.length; i += 7) await pieces.write(shuffled.slice(i, i + 7), at);
      await Promise.all([pieces.write(shuffled.slice(3, 30), at), pieces.write(shuffled.slice(25, 60), at)]);

      expect(await allRuns(pieces)).toEqual(await allRuns(once));
      const runs = await allRuns(once);
      expect(runs.reduce((n, t) => n + t.span_count, 0)).toBe(all.length);
      expect(runs.find((t) => t.trace_id === "t0")!.name).toBe("n0");
    } finally {
      await Promise.all([once.close(), pieces.close()]);
    }
  });
});
