import { durationMs, kindLabel, nsToIso, num } from "./rows.js";
import type { SqlRunner } from "./sql.js";
import { cachedSql } from "./usage-summary.js";

// what a trajectory's tree shows of each span: no input, output, events or attributes (the payloads
// come per span on click); prompt-cache reads, which cost needs, as one number (no JSON per row)
const NODE_COLUMNS = `span_id, parent_span_id, name, span_kind, status_code, status_message, start_ns::text as start_ns,
  end_ns::text as end_ns, model, provider, input_tokens::text as input_tokens, output_tokens::text as output_tokens,
  ${cachedSql("s")}::text as cached_input_tokens`;

function toSpanSummary(r: Record<string, unknown>) {
  const start = String(r.start_ns);
  const end = String(r.end_ns);
  return {
    span_id: r.span_id as string,
    parent_span_id: (r.parent_span_id as string | null) ?? null,
    name: r.name as string,
    kind: kindLabel(r.span_kind as string | null),
    span_kind: (r.span_kind as string | null) ?? null,
    status: r.status_code as string,
    status_message: (r.status_message as string | null) ?? null,
    start_time: nsToIso(start),
    start_unix_nano: start,
    end_unix_nano: end,
    duration_ms: durationMs(start, end),
    model: (r.model as string | null) ?? null,
    provider: (r.provider as string | null) ?? null,
    input_tokens: num(r.input_tokens),
    output_tokens: num(r.output_tokens),
    cached_input_tokens: num(r.cached_input_tokens),
  };
}
/** A span as a trajectory's tree lists it: everything but its payloads. */
export type SpanSummary = ReturnType<typeof toSpanSummary>;

/** Every span of a trace without its payloads, in start order (ties by span id). */
export async function listSpanSummaries(db: SqlRunner, traceId: string): Promise<SpanSummary[]> {
  const rows = await db.query(`select ${NODE_COLUMNS} from spans s where s.trace_id = $1 order by s.start_ns, s.span_id`, [traceId]);
  return rows.map(toSpanSummary);
}
