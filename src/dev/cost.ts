import { findPrice, type PriceTable } from "./prices/index.js";

/** Token usage of one LLM span, or of several spans of one model summed. */
export interface Usage {
  model: string | null;
  provider: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  /** Prompt-cache reads; a part of `input_tokens` (OpenTelemetry and OpenInference count them there). */
  cached_input_tokens: number | null;
  /** How many spans this usage sums (1 for a span). */
  spans?: number;
}

export interface SpanCost {
  usd: number;
  input_usd: number;
  cached_input_usd: number;
  output_usd: number;
  /** The price-table row used, and the table's version. */
  priced_as: string;
  prices_version: string;
}

/** Attribute keys that carry prompt-cache reads, in preference order. */
export const CACHE_READ_KEYS = [
  "gen_ai.usage.cache_read.input_tokens",
  "gen_ai.usage.cache_read_input_tokens",
  "llm.token_count.prompt_details.cache_read",
] as const;

/** Prompt-cache reads recorded in a span's attributes, or null. */
export function cachedInputTokens(attributes: Record<string, unknown>): number | null {
  for (const key of CACHE_READ_KEYS) {
    const v = attributes[key];
    const n = typeof v === "string" ? Number(v) : v;
    if (typeof n === "number" && Number.isFinite(n) && n >= 0) return Math.trunc(n);
  }
  return null;
}

const round = (usd: number) => Math.round(usd * 1e9) / 1e9;

/**
 * What `usage` cost at the table's prices, or null when there are no tokens or the model is not
 * in the table (unknown models are never guessed). Cached input tokens are priced at the cache
 * price and the rest of the input at the input price; a provider without a cache price charges
 * cached tokens as input.
 *
 * @example
 * costOf(BUNDLED_PRICES, { model: "gpt-4o", provider: "openai", input_tokens: 1000, output_tokens: 100, cached_input_tokens: 0 })?.usd; // 0.0035
 */
export function costOf(prices: PriceTable, usage: Usage): SpanCost | null {
  if (usage.input_tokens === null && usage.output_tokens === null) return null;
  const row = findPrice(prices, usage);
  if (!row) return null;
  const input = usage.input_tokens ?? 0;
  const cached = Math.min(usage.cached_input_tokens ?? 0, input);
  const input_usd = ((input - cached) * row.input) / 1e6;
  const cached_input_usd = (cached * (row.cached_input ?? row.input)) / 1e6;
  const output_usd = ((usage.output_tokens ?? 0) * row.output) / 1e6;
  return {
    usd: round(input_usd + cached_input_usd + output_usd),
    input_usd: round(input_usd),
    cached_input_usd: round(cached_input_usd),
    output_usd: round(output_usd),
    priced_as: `${row.provider}/${row.model}`,
    prices_version: prices.version,
  };
}

export interface CostRollUp {
  /** Sum over the priced spans; null when no span with tokens could be priced. */
  cost_usd: number | null;
  /** Spans with tokens whose model is not in the price table (not included in `cost_usd`). */
  unpriced_spans: number;
}

/** Sum the cost of several usages (a run's, a session's or a user's LLM spans). */
export function rollUp(prices: PriceTable, usages: readonly Usage[]): CostRollUp {
  let total: number | null = null;
  let unpriced = 0;
  for (const u of usages) {
    if (u.input_tokens === null && u.output_tokens === null) continue;
    const c = costOf(prices, u);
    if (c) total = (total ?? 0) + c.usd;
    else unpriced += u.spans ?? 1;
  }
  return { cost_usd: total === null ? null : round(total), unpriced_spans: unpriced };
}
