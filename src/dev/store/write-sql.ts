import type { SpanRow } from "../span-row.js";
import { copyField } from "./pg-copy.js";
import { mergeTracesSql } from "./summary.js";
import { mergeUsageSql } from "./usage-summary.js";

/** The spans columns an ingest writes, with their types (the staging table and JSON record shape). */
const COLUMNS = [
  ["trace_id", "text"],
  ["span_id", "text"],
  ["parent_span_id", "text"],
  ["name", "text"],
  ["otel_kind", "smallint"],
  ["span_kind", "text"],
  ["status_code", "text"],
  ["status_message", "text"],
  ["start_ns", "bigint"],
  ["end_ns", "bigint"],
  ["user_id", "text"],
  ["session_id", "text"],
  ["model", "text"],
  ["provider", "text"],
  ["input", "text"],
  ["output", "text"],
  ["tags", "jsonb"],
  ["input_tokens", "bigint"],
  ["output_tokens", "bigint"],
  ["attributes", "jsonb"],
  ["resource", "jsonb"],
  ["scope", "jsonb"],
  ["events", "jsonb"],
  ["links", "jsonb"],
  ["source", "text"],
  ["received_at", "timestamptz"],
] as const;
const NAMES = COLUMNS.map(([n]) => n);
const UPDATABLE = NAMES.filter((n) => n !== "trace_id" && n !== "span_id");

/** A replaced span whose searchable text changed goes back into the search tail (see search.ts). */
const RESEQUENCE = `search_seq = case when (spans.name, spans.input, spans.output) is not distinct from
      (excluded.name, excluded.input, excluded.output) then spans.search_seq else excluded.search_seq end`;

/** A span as written: its row plus where and when it came in. */
export type WriteRow = SpanRow & { source: string; received_at: string };

/**
 * One statement upserting spans selected from `from` and merging their traces' deltas into the
 * summaries and their usage into `trace_usage`, except for traces in which a stored span was replaced (xmax is set on an updated
 * row): those are answered, to be recomputed from all their spans. Sub-statements share one
 * snapshot; the merge reads only `traces` and the deltas, never the spans being written.
 * `spanWorkspace`: the spans' workspace_id as selected from `from`.
 */
const upsertSql = (p: { from: string; spanWorkspace: string; workspace: string; deltas: string; receivedAt: string; usage: string }) => `
  with up as (insert into spans (workspace_id, ${NAMES.join(", ")})
  select ${p.spanWorkspace}, ${NAMES.join(", ")} from ${p.from}
  on conflict (trace_id, span_id) do update set
    ${UPDATABLE.map((n) => `${n} = excluded.${n}`).join(",\n    ")},
    ${RESEQUENCE}
  returning trace_id, xmax),
  replaced as (select distinct trace_id from up where xmax::text <> '0'),
  merged as (${mergeTracesSql({ deltas: p.deltas, workspace: p.workspace, receivedAt: p.receivedAt, skip: "replaced" })} returning 1),
  usage as (${mergeUsageSql({ deltas: p.usage, skip: "replaced" })} returning 1)
  select trace_id from replaced`;

// `json` (not `jsonb`) for the batch: PostgreSQL only validates it, and each row's fields are
// extracted once, instead of first building a binary copy of the whole batch.
// $1 spans (JSON), $2 workspace, $3 trace deltas (JSON), $4 received at, $5 usage deltas (JSON).
export const JSON_UPSERT = upsertSql({
  from: `json_to_recordset($1::json) as x(${COLUMNS.map(([n, t]) => `${n} ${t}`).join(", ")})`,
  spanWorkspace: "$2",
  workspace: "$2",
  deltas: "$3",
  receivedAt: "$4",
  usage: "$5",
});

/**
 * The COPY path (PostgreSQL). A group's rows are encoded once, in text COPY format with their
 * workspace first, and copied straight into `spans` ({@link COPY_SPANS}) when none of them is
 * stored yet (the usual case: new spans); its deltas are then merged into the summaries. A row
 * already stored makes that COPY fail (unique violation, nothing kept), and the group goes through
 * the per-session staging table and {@link STAGE_UPSERT} instead.
 */
const COPY_COLUMNS = `workspace_id, ${NAMES.join(", ")}`;
export const COPY_SPANS = `copy spans (${COPY_COLUMNS}) from stdin`;
/** The per-session staging table of the COPY path's upsert, emptied at every commit. */
export const STAGE_TABLE = `create temp table if not exists bento_stage (workspace_id text, ${COLUMNS.map(([n, t]) => `${n} ${t}`).join(", ")}) on commit delete rows`;
export const COPY_STAGE = `copy bento_stage (${COPY_COLUMNS}) from stdin`;
// $1 workspace, $2 trace deltas (JSON), $3 received at, $4 usage deltas (JSON).
export const STAGE_UPSERT = upsertSql({
  from: "bento_stage",
  spanWorkspace: "workspace_id",
  workspace: "$1",
  deltas: "$2",
  receivedAt: "$3",
  usage: "$4",
});

/**
 * JSON text of `value` in which every NUL character of a string became U+FFFD (PostgreSQL text
 * cannot hold NUL; OTLP strings can): replacing the `\u0000` escapes is much cheaper than a
 * replacer function. An escape preceded by an odd number of backslashes is a literal text, kept.
 */
export function jsonWithoutNul(value: unknown): string {
  const json = JSON.stringify(value);
  return json.includes("\\u0000") ? json.replace(/(?<!\\)((?:\\\\)*)\\u0000/g, "$1\\ufffd") : json;
}

const jsonField = (v: unknown) => (v === null || v === undefined ? "\\N" : copyField(jsonWithoutNul(v)));

/**
 * The rows in text COPY format, columns in {@link COPY_SPANS}' order (`workspaceId` first). Pure.
 * A request's spans share their resource and scope objects: each is encoded once.
 */
export function copyRows(rows: readonly WriteRow[], workspaceId: string): string {
  const shared = new Map<unknown, string>();
  const once = (v: unknown) => {
    let field = shared.get(v);
    if (field === undefined) shared.set(v, (field = jsonField(v)));
    return field;
  };
  const workspace = copyField(workspaceId);
  let out = "";
  for (const r of rows) {
    out += `${[
      workspace,
      copyField(r.trace_id),
      copyField(r.span_id),
      copyField(r.parent_span_id),
      copyField(r.name),
      copyField(r.otel_kind),
      copyField(r.span_kind),
      copyField(r.status_code),
      copyField(r.status_message),
      copyField(r.start_ns),
      copyField(r.end_ns),
      copyField(r.user_id),
      copyField(r.session_id),
      copyField(r.model),
      copyField(r.provider),
      copyField(r.input),
      copyField(r.output),
      jsonField(r.tags),
      copyField(r.input_tokens),
      copyField(r.output_tokens),
      jsonField(r.attributes),
      once(r.resource),
      once(r.scope),
      jsonField(r.events),
      jsonField(r.links),
      copyField(r.source),
      copyField(r.received_at),
    ].join("\t")}\n`;
  }
  return out;
}
