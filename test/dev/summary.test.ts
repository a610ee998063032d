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
        provider: r() < 0.5 ? "openai" : null,
        input: `in ${t}/${s}`,
        output: `out ${t}/${s}`,
        tags: null,
        input_tokens: r() < 0.7 ? Math.floor(r() * 100) : null,
        output_tokens: r() < 0.7 ? Math.floor(r() * 100) : null,
        attributes: r() < 0.2 ? { "gen_ai.usage.cache_read.input_tokens": Math.floor(r() * 50) } : {},
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

// token usage per run, model and provider: the stored rollup, sorted for comparison
async function allUsage(store: Store) {
  const ids = (await allRuns(store)).map((t) => t.trace_id);
  return (await store.usageByTrace(ids)).sort((a, b) =>
    `${a.key}/${a.model}/${a.provider}`.localeCompare(`${b.key}/${b.model}/${b.provider}`),
  );
}

/** The same usage computed directly from the spans (what the rollup must always equal). */
function usageOf(rows: SpanRow[]) {
  const out = new Map<
    string,
    {
      key: string;
      model: string | null;
      provider: string | null;
      input_tokens: number | null;
      output_tokens: number | null;
      cached_input_tokens: number | null;
      spans: number;
    }
  >();
  const add = (a: number | null, b: number | null) => (a === null && b === null ? null : (a ?? 0) + (b ?? 0));
  for (const s of rows) {
    if (s.input_tokens === null && s.output_tokens === null) continue;
    const k = `${s.trace_id}/${s.model}/${s.provider}`;
    const u = out.get(k) ?? {
      key: s.trace_id,
      model: s.model,
      provider: s.provider,
      input_tokens: null,
      output_tokens: null,
      cached_input_tokens: null,
      spans: 0,
    };
    u.input_tokens = add(u.input_tokens, s.input_tokens);
    u.output_tokens = add(u.output_tokens, s.output_tokens);
    const cached = s.attributes["gen_ai.usage.cache_read.input_tokens"];
    u.cached_input_tokens = add(u.cached_input_tokens, typeof cached === "number" ? cached : null);
    u.spans++;
    out.set(k, u);
  }
  return [...out.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, u]) => u);
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
      expect(await allUsage(once)).toEqual(usageOf(all));
      expect(await allUsage(pieces)).toEqual(usageOf(all));
      const runs = await allRuns(once);
      expect(runs.reduce((n, t) => n + t.span_count, 0)).toBe(all.length);
      expect(runs.find((t) => t.trace_id === "t0")!.name).toBe("n0");
    } finally {
      await Promise.all([once.close(), pieces.close()]);
    }
  });
});
