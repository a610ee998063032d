import type { SpanRow } from "../span-row.js";

/**
 * Sort key of a span for picking a trace's root (the earliest span without a parent) and its user and
 * session fallbacks: parentless first, then start time, then span id. A string so that PostgreSQL
 * (`collate "C"`) and JavaScript compare it the same way; SQL twin: `SPAN_KEY_SQL`.
 */
export function spanKey(s: Pick<SpanRow, "parent_span_id" | "start_ns" | "span_id">): string {
  return `${s.parent_span_id === null ? "0" : "1"}${s.start_ns.padStart(19, "0")}${s.span_id}`;
}
export const SPAN_KEY_SQL = `((case when parent_span_id is null then '0' else '1' end) || lpad(start_ns::text, 19, '0') || span_id) collate "C"`;

/** What one write adds to a trace's summary row; merged into the stored row by {@link mergeTracesSql}. */
export interface TraceDelta {
  trace_id: string;
  start_ns: string;
  end_ns: string;
  span_count: number;
  models: string[];
  input_tokens: number | null;
  output_tokens: number | null;
  status: "ok" | "error";
  root_key: string;
  root_span_id: string;
  name: string;
  input: string | null;
  output: string | null;
  source: string;
  user_key: string | null;
  user_id: string | null;
  session_key: string | null;
  session_id: string | null;
}

const addNullable = (a: number | null, b: number | null) => (a === null && b === null ? null : (a ?? 0) + (b ?? 0));

/** Per-trace summaries of new spans (none of which replaces a stored span). Pure. */
export function traceDeltas(spans: ReadonlyArray<SpanRow & { source: string }>): TraceDelta[] {
  const byTrace = new Map<string, TraceDelta & { modelSet: Set<string> }>();
  for (const s of spans) {
    const key = spanKey(s);
    let d = byTrace.get(s.trace_id);
    if (!d) {
      d = {
        trace_id: s.trace_id,
        start_ns: s.start_ns,
        end_ns: s.end_ns,
        span_count: 0,
        models: [],
        modelSet: new Set(),
        input_tokens: null,
        output_tokens: null,
        status: "ok",
        root_key: key,
        root_span_id: s.span_id,
        name: s.name,
        input: s.input,
        output: s.output,
        source: s.source,
        user_key: null,
        user_id: null,
        session_key: null,
        session_id: null,
      };
      byTrace.set(s.trace_id, d);
    }
    d.span_count++;
    if (BigInt(s.start_ns) < BigInt(d.start_ns)) d.start_ns = s.start_ns;
    if (BigInt(s.end_ns) > BigInt(d.end_ns)) d.end_ns = s.end_ns;
    if (s.model !== null) d.modelSet.add(s.model);
    d.input_tokens = addNullable(d.input_tokens, s.input_tokens);
    d.output_tokens = addNullable(d.output_tokens, s.output_tokens);
    if (s.status_code === "error") d.status = "error";
    if (key < d.root_key)
      Object.assign(d, { root_key: key, root_span_id: s.span_id, name: s.name, input: s.input, output: s.output, source: s.source });
    if (s.user_id !== null && (d.user_key === null || key < d.user_key)) Object.assign(d, { user_key: key, user_id: s.user_id });
    if (s.session_id !== null && (d.session_key === null || key < d.session_key))
      Object.assign(d, { session_key: key, session_id: s.session_id });
  }
  return [...byTrace.values()].map(({ modelSet, ...d }) => ({ ...d, models: [...modelSet] }));
}

// On conflict the stored summary absorbs the delta: counts and tokens add up, times widen, and the
// root / user / session are whichever span sorts first. `coalesce(new < old, new is not null)`
// also takes the new value when the stored row has no such span yet.
const take = (k: string) => `coalesce(excluded.${k} < traces.${k}, excluded.${k} is not null)`;
const pick = (k: string, cols: string[]) => cols.map((c) => `${c} = case when ${take(k)} then excluded.${c} else traces.${c} end`);
const sumNullable = (c: string) =>
  `${c} = case when traces.${c} is null and excluded.${c} is null then null else coalesce(traces.${c}, 0) + coalesce(excluded.${c}, 0) end`;

/**
 * The statement merging deltas into `traces`, its inputs named by SQL expressions: `deltas` (JSON
 * text of {@link TraceDelta}s), `workspace`, `receivedAt`, and `skip`, a relation whose `trace_id`s
 * are left out (traces whose summary is recomputed instead).
 */
export const mergeTracesSql = (p: { deltas: string; workspace: string; receivedAt: string; skip?: string }) => `
  insert into traces (workspace_id, trace_id, start_ns, end_ns, span_count, models, input_tokens, output_tokens,
    status, root_key, root_span_id, name, input, output, source, user_key, user_id, session_key, session_id, received_at)
  select ${p.workspace}, trace_id, start_ns, end_ns, span_count, array(select distinct m from unnest(models) m order by m),
    input_tokens, output_tokens, status, root_key, root_span_id, name, input, output, source, user_key, user_id,
    session_key, session_id, ${p.receivedAt}::timestamptz
  from json_to_recordset(${p.deltas}::json) as x(trace_id text, start_ns bigint, end_ns bigint, span_count int, models text[],
    input_tokens bigint, output_tokens bigint, status text, root_key text, root_span_id text, name text, input text,
    output text, source text, user_key text, user_id text, session_key text, session_id text)
  ${p.skip ? `where x.trace_id not in (select trace_id from ${p.skip})` : ""}
  order by trace_id
  on conflict (trace_id) do update set
    span_count = traces.span_count + excluded.span_count,
    received_at = greatest(traces.received_at, excluded.received_at),
    start_ns = least(traces.start_ns, excluded.start_ns),
    end_ns = greatest(traces.end_ns, excluded.end_ns),
    models = array(select distinct m from unnest(traces.models || excluded.models) m order by m),
    ${sumNullable("input_tokens")},
    ${sumNullable("output_tokens")},
    status = case when excluded.status = 'error' then 'error' else traces.status end,
    ${[...pick("root_key", ["root_span_id", "name", "input", "output", "source"]), ...pick("user_key", ["user_id"]), ...pick("session_key", ["session_id"])].join(",\n    ")},
    root_key = least(traces.root_key, excluded.root_key),
    user_key = least(traces.user_key, excluded.user_key),
    session_key = least(traces.session_key, excluded.session_key)`;
