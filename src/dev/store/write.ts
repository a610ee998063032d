import type { SpanRow } from "../span-row.js";
import type { SqlDatabase } from "./sql.js";

const COLUMNS = [
  ["trace_id", "text"], ["span_id", "text"], ["parent_span_id", "text"], ["name", "text"],
  ["otel_kind", "smallint"], ["span_kind", "text"], ["status_code", "text"], ["status_message", "text"],
  ["start_ns", "bigint"], ["end_ns", "bigint"], ["user_id", "text"], ["session_id", "text"],
  ["model", "text"], ["provider", "text"], ["input", "text"], ["output", "text"], ["tags", "jsonb"],
  ["input_tokens", "bigint"], ["output_tokens", "bigint"], ["attributes", "jsonb"], ["resource", "jsonb"],
  ["scope", "jsonb"], ["events", "jsonb"], ["links", "jsonb"],
] as const;
const NAMES = COLUMNS.map(([n]) => n);
const UPDATABLE = NAMES.filter((n) => n !== "trace_id" && n !== "span_id");

const UPSERT_SPANS = `
  insert into spans (workspace_id, source, received_at, ${NAMES.join(", ")})
  select $2, $3, $4::timestamptz, ${NAMES.join(", ")}
  from jsonb_to_recordset($1::jsonb) as x(${COLUMNS.map(([n, t]) => `${n} ${t}`).join(", ")})
  on conflict (trace_id, span_id) do update set
    ${UPDATABLE.map((n) => `${n} = excluded.${n}`).join(",\n    ")},
    source = excluded.source, received_at = excluded.received_at`;

// A re-import replaces a trace: its spans from that source that the new set lacks are removed.
const DELETE_STALE = `
  delete from spans s
  where s.workspace_id = $2 and s.source = $3
    and s.trace_id in (select jsonb_array_elements_text($1::jsonb))
    and not exists (
      select 1 from jsonb_to_recordset($4::jsonb) as k(trace_id text, span_id text)
      where k.trace_id = s.trace_id and k.span_id = s.span_id)`;

// A trace's summary: its root is the earliest span without a parent; user and session come from
// the root when it has them (child spans need not repeat them), else from the earliest span that does.
const ROOT_FIRST = "(parent_span_id is null) desc, start_ns, span_id";
const REFRESH_TRACES = `
  insert into traces (workspace_id, trace_id, root_span_id, name, start_ns, end_ns, span_count, models,
    input_tokens, output_tokens, status, user_id, session_id, input, output, source)
  select min(workspace_id), trace_id,
    (array_agg(span_id order by ${ROOT_FIRST}))[1],
    (array_agg(name order by ${ROOT_FIRST}))[1],
    min(start_ns), max(end_ns), count(*)::int,
    coalesce(array_agg(distinct model) filter (where model is not null), '{}'),
    sum(input_tokens), sum(output_tokens),
    case when bool_or(status_code = 'error') then 'error' else 'ok' end,
    (array_agg(user_id order by ${ROOT_FIRST}) filter (where user_id is not null))[1],
    (array_agg(session_id order by ${ROOT_FIRST}) filter (where session_id is not null))[1],
    (array_agg(input order by ${ROOT_FIRST}))[1],
    (array_agg(output order by ${ROOT_FIRST}))[1],
    (array_agg(source order by ${ROOT_FIRST}))[1]
  from spans where trace_id in (select jsonb_array_elements_text($1::jsonb))
  group by trace_id
  on conflict (trace_id) do update set
    root_span_id = excluded.root_span_id, name = excluded.name, start_ns = excluded.start_ns,
    end_ns = excluded.end_ns, span_count = excluded.span_count, models = excluded.models,
    input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,
    status = excluded.status, user_id = excluded.user_id, session_id = excluded.session_id,
    input = excluded.input, output = excluded.output, source = excluded.source`;

// Postgres text cannot hold NUL; OTLP strings can. Replace it rather than reject the span.
function jsonWithoutNul(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "string" && v.includes("\0") ? v.replaceAll("\0", "\ufffd") : v));
}

const CHUNK = 1000;

/**
 * Upsert spans by (trace_id, span_id) and refresh the affected trace summaries, all in one
 * transaction: when this resolves the data is committed. Re-sending a batch never duplicates.
 * With `replaceTraces`, the trace's spans from the same source that the batch lacks are deleted.
 */
export async function writeSpans(
  db: SqlDatabase,
  rows: readonly SpanRow[],
  opts: { workspaceId: string; source?: string; receivedAt: Date; replaceTraces?: boolean },
): Promise<void> {
  if (rows.length === 0) return;
  // one statement may not update the same row twice: keep the last copy of each span
  const unique = new Map<string, SpanRow>();
  for (const r of rows) unique.set(`${r.trace_id}/${r.span_id}`, r);
  // a fixed lock order keeps concurrent PostgreSQL writers of one trace from deadlocking
  const spans = [...unique.keys()].sort().map((k) => unique.get(k)!);
  const traceIds = [...new Set(spans.map((s) => s.trace_id))].sort();
  await db.transaction(async (tx) => {
    if (opts.replaceTraces) {
      const keys = spans.map((s) => ({ trace_id: s.trace_id, span_id: s.span_id }));
      await tx.query(DELETE_STALE, [JSON.stringify(traceIds), opts.workspaceId, opts.source ?? "push", JSON.stringify(keys)]);
    }
    for (let i = 0; i < spans.length; i += CHUNK) {
      const chunk = spans.slice(i, i + CHUNK);
      await tx.query(UPSERT_SPANS, [jsonWithoutNul(chunk), opts.workspaceId, opts.source ?? "push", opts.receivedAt.toISOString()]);
    }
    await tx.query(REFRESH_TRACES, [JSON.stringify(traceIds)]);
  });
}
