import { CACHE_READ_KEYS } from "../cost.js";
import { durationMs, kindLabel, nsToIso, num } from "./rows.js";
import type { SqlRunner } from "./sql.js";

// what a trajectory's tree shows of each span: no input, output, events or full attributes (the
// payloads come per span on click), only the attributes that cost needs
const CACHE_ATTRIBUTES = `jsonb_strip_nulls(jsonb_build_object(${CACHE_READ_KEYS.map((k) => `'${k}', attributes->'${k}'`).join(", ")}))`;
const NODE_COLUMNS = `span_id, parent_span_id, name, span_kind, status_code, status_message, start_ns::text as start_ns,
  end_ns::text as end_ns, model, provider, input_tokens::text as input_tokens, output_tokens::text as output_tokens,
  ${CACHE_ATTRIBUTES} as attributes`;

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
    attributes: r.attributes as Record<string, unknown>,
  };
}
/** A span as a trajectory's tree lists it: everything but its payloads. */
export type SpanSummary = ReturnType<typeof toSpanSummary>;

/** Every span of a trace without its payloads, in start order (ties by span id). */
export async function listSpanSummaries(db: SqlRunner, traceId: string): Promise<SpanSummary[]> {
  const rows = await db.query(`select ${NODE_COLUMNS} from spans where trace_id = $1 order by start_ns, span_id`, [traceId]);
  return rows.map(toSpanSummary);
}
