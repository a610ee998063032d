import { durationMs, kindLabel, nsToIso } from "./rows.js";
import type { SqlRunner } from "./sql.js";
import { cachedSql } from "./usage-summary.js";

// What a trajectory's tree shows of each span: no input, output, events or attributes (the payloads
// come per span on click); prompt-cache reads, which cost needs, as one number. The rows come back as
// one JSON array of arrays: PGlite decodes 2,000 rows of 13 fields several times slower than one text.
const NODE_FIELDS = `span_id, parent_span_id, name, span_kind, status_code, status_message, start_ns::text, end_ns::text,
  model, provider, input_tokens, output_tokens, ${cachedSql("s")}`;

type NodeTuple = [
  string,
  string | null,
  string,
  string | null,
  string,
  string | null,
  string,
  string,
  string | null,
  string | null,
  number | null,
  number | null,
  number | null,
];

function toSpanSummary(r: NodeTuple) {
  const [span_id, parent_span_id, name, span_kind, status, status_message, start, end, model, provider] = r;
  return {
    span_id,
    parent_span_id,
    name,
    kind: kindLabel(span_kind),
    span_kind,
    status,
    status_message,
    start_time: nsToIso(start),
    start_unix_nano: start,
    end_unix_nano: end,
    duration_ms: durationMs(start, end),
    model,
    provider,
    input_tokens: r[10],
    output_tokens: r[11],
    cached_input_tokens: r[12],
  };
}
/** A span as a trajectory's tree lists it: everything but its payloads. */
export type SpanSummary = ReturnType<typeof toSpanSummary>;

/** Every span of a trace without its payloads, in start order (ties by span id). */
export async function listSpanSummaries(db: SqlRunner, traceId: string): Promise<SpanSummary[]> {
  const [row] = await db.query<{ rows: string }>(
    `select coalesce(json_agg(json_build_array(${NODE_FIELDS}) order by s.start_ns, s.span_id), '[]')::text as rows
     from spans s where s.trace_id = $1`,
    [traceId],
  );
  return (JSON.parse(row?.rows ?? "[]") as NodeTuple[]).map(toSpanSummary);
}
