import { type CostRollUp, cachedInputTokens, costOf, rollUp, type SpanCost } from "./cost.js";
import type { PriceTable } from "./prices/index.js";
import type { Store } from "./store/index.js";
import type { KeyedUsage } from "./store/read-usage.js";
import type { Span } from "./store/rows.js";

export type WithSpanCost<T> = T & { cached_input_tokens: number | null; cost_usd: number | null; cost: SpanCost | null };

function byKey(usages: readonly KeyedUsage[]): Map<string, KeyedUsage[]> {
  const out = new Map<string, KeyedUsage[]>();
  for (const u of usages) {
    const list = out.get(u.key);
    if (list) list.push(u);
    else out.set(u.key, [u]);
  }
  return out;
}

/**
 * Cost fields for the read API, at `prices`: per span (`cost_usd`, `cost` breakdown), and rolled
 * up per run, session and user (`cost_usd`, `unpriced_spans`). Unknown models give null, never a guess.
 */
export function createCosting(store: Store, prices: PriceTable) {
  return {
    prices,
    span<T extends Span>(s: T): WithSpanCost<T> {
      const cached = cachedInputTokens(s.attributes);
      const cost = costOf(prices, { ...s, cached_input_tokens: cached });
      return { ...s, cached_input_tokens: cached, cost_usd: cost?.usd ?? null, cost };
    },
    async traces<T extends { trace_id: string }>(items: readonly T[]): Promise<Array<T & CostRollUp>> {
      const usage = byKey(await store.usageByTrace(items.map((t) => t.trace_id)));
      return items.map((t) => ({ ...t, ...rollUp(prices, usage.get(t.trace_id) ?? []) }));
    },
    async groups<T extends { id: string }>(by: "session_id" | "user_id", items: readonly T[]): Promise<Array<T & CostRollUp>> {
      const usage = byKey(
        await store.usageByGroup(
          by,
          items.map((g) => g.id),
        ),
      );
      return items.map((g) => ({ ...g, ...rollUp(prices, usage.get(g.id) ?? []) }));
    },
  };
}
export type Costing = ReturnType<typeof createCosting>;
