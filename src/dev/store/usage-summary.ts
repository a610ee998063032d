import { CACHE_READ_KEYS } from "../cost.js";
import type { SpanRow } from "../span-row.js";

/**
 * Token usage per run, model and provider, kept in `trace_usage` next to the run summaries so that
 * cost roll-ups of a page of runs, sessions or users read a few summary rows instead of every span
 * of every run (at 200,000 spans, a page of 50 users was 20,000 span rows). Kept exact the same
 * way as the run summaries (summary.ts): new spans add to their run's rows; a run in which a stored
 * span was replaced is recomputed from its spans. Rows go with their run (retention.ts deletes them).
 */

/** Prompt-cache reads of span `s` from its attributes (cost.ts CACHE_READ_KEYS); digits only, so a
 * malformed value is ignored rather than failing the write. */
export const cachedSql = (s: string) =>
  `coalesce(${CACHE_READ_KEYS.map(
    (k) => `case when ${s}.attributes->>'${k}' ~ '^[0-9]{1,15}$' then (${s}.attributes->>'${k}')::bigint end`,
  ).join(", ")})`;

/** Spans that count towards usage: those reporting tokens. */
export const hasTokensSql = (s: string) => `(${s}.input_tokens is not null or ${s}.output_tokens is not null)`;

const usageOf = (s: string) => `${s}.trace_id, coalesce(${s}.model, ''), coalesce(${s}.provider, ''), sum(${s}.input_tokens),
  sum(${s}.output_tokens), sum(${cachedSql(s)}), count(*)::int`;

export const CREATE_USAGE = `
  create table trace_usage (
    trace_id             text not null references traces (trace_id) on delete cascade,
    model                text not null,
    provider             text not null,
    input_tokens         bigint,
    output_tokens        bigint,
    cached_input_tokens  bigint,
    spans                integer not null,
    primary key (trace_id, model, provider)
  );
  insert into trace_usage select ${usageOf("s")} from spans s join traces t on t.trace_id = s.trace_id
  where ${hasTokensSql("s")} group by 1, 2, 3;`;

const addNullable = (c: string) =>
  `${c} = case when trace_usage.${c} is null and excluded.${c} is null then null else coalesce(trace_usage.${c}, 0) + coalesce(excluded.${c}, 0) end`;

/** One run × model × provider's usage from a group of new spans, as `trace_usage` adds it. */
export interface UsageDelta {
  trace_id: string;
  model: string;
  provider: string;
  input_tokens: number | null;
  output_tokens: number | null;
  cached_input_tokens: number | null;
  spans: number;
}

const DIGITS = /^[0-9]{1,15}$/;

/** {@link cachedSql}'s rule in JavaScript: the first key whose value's JSON text is 1-15 digits. */
export function cachedTokens(attributes: Readonly<Record<string, unknown>>): number | null {
  for (const key of CACHE_READ_KEYS) {
    const v = attributes[key];
    // ->> gives a string's own text and a number's JSON text
    const text = typeof v === "string" ? v : typeof v === "number" ? JSON.stringify(v) : undefined;
    if (text !== undefined && DIGITS.test(text)) return Number(text);
  }
  return null;
}

const add = (a: number | null, b: number | null) => (b === null ? a : (a ?? 0) + b);

/**
 * The usage that new spans add, summed per run, model and provider in JavaScript (SQL's `sum`:
 * null when every value is null), so the merge ships a few numbers per run instead of every
 * span's attributes. Spans without token counts are not usage. Sorted: the merge's lock order.
 */
export function usageDeltas(spans: readonly SpanRow[]): UsageDelta[] {
  const byKey = new Map<string, UsageDelta>();
  for (const s of spans) {
    if (s.input_tokens === null && s.output_tokens === null) continue;
    const model = s.model ?? "";
    const provider = s.provider ?? "";
    const key = JSON.stringify([s.trace_id, model, provider]);
    const d = byKey.get(key) ?? {
      trace_id: s.trace_id,
      model,
      provider,
      input_tokens: null,
      output_tokens: null,
      cached_input_tokens: null,
      spans: 0,
    };
    d.input_tokens = add(d.input_tokens, s.input_tokens);
    d.output_tokens = add(d.output_tokens, s.output_tokens);
    d.cached_input_tokens = add(d.cached_input_tokens, cachedTokens(s.attributes));
    d.spans++;
    byKey.set(key, d);
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...byKey.values()].sort((a, b) => cmp(a.trace_id, b.trace_id) || cmp(a.model, b.model) || cmp(a.provider, b.provider));
}

/**
 * Add new spans' usage (`deltas`: a JSON array of {@link UsageDelta}), except for the runs listed by
 * `skip` (a relation with a trace_id column: runs to be recomputed instead).
 */
export const mergeUsageSql = (p: { deltas: string; skip?: string }) => `
  insert into trace_usage (trace_id, model, provider, input_tokens, output_tokens, cached_input_tokens, spans)
  select trace_id, model, provider, input_tokens, output_tokens, cached_input_tokens, spans
  from json_to_recordset(${p.deltas}::json) as x(trace_id text, model text, provider text, input_tokens bigint,
    output_tokens bigint, cached_input_tokens bigint, spans integer)
  ${p.skip ? `where x.trace_id not in (select trace_id from ${p.skip})` : ""}
  order by 1, 2, 3
  on conflict (trace_id, model, provider) do update set
    ${addNullable("input_tokens")}, ${addNullable("output_tokens")}, ${addNullable("cached_input_tokens")},
    spans = trace_usage.spans + excluded.spans`;

/** {@link mergeUsageSql} as a statement of its own ($1: the deltas). */
export const MERGE_USAGE = mergeUsageSql({ deltas: "$1" });

/** Recompute the usage of the runs in $1 (JSON array of trace ids) from their stored spans. */
export const REFRESH_USAGE = [
  "delete from trace_usage where trace_id in (select jsonb_array_elements_text($1::jsonb))",
  `insert into trace_usage (trace_id, model, provider, input_tokens, output_tokens, cached_input_tokens, spans)
   select ${usageOf("s")} from spans s
   where s.trace_id in (select jsonb_array_elements_text($1::jsonb)) and ${hasTokensSql("s")} group by 1, 2, 3 order by 1, 2, 3`,
] as const;
