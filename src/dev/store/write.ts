import type { SpanRow } from "../span-row.js";
import { SEARCH_LOCK } from "./search-indexer.js";
import { JsonArrayText, type SqlDatabase, type SqlRunner, sqlLiteral } from "./sql.js";
import { mergeTracesSql, SPAN_KEY_SQL, traceDeltas } from "./summary.js";
import { MERGE_USAGE, mergeUsageSql, REFRESH_USAGE, usageDeltas } from "./usage-summary.js";
import { COPY_SPANS, COPY_STAGE, copyRows, JSON_UPSERT, jsonWithoutNul, STAGE_TABLE, STAGE_UPSERT } from "./write-sql.js";

/** One ingest request's spans: they are committed (or not) together with any others in its group. */
export interface WriteItem {
  rows: readonly SpanRow[];
  receivedAt: Date;
  source: string;
  /** The rows become each written trace's whole span set for `source` (a Langfuse re-scan). */
  replaceTraces?: boolean;
}

// A re-import replaces a trace: its spans from that source that the new set lacks are removed.
const DELETE_STALE = `
  delete from spans s
  where s.workspace_id = $2 and s.source = $3
    and s.trace_id in (select jsonb_array_elements_text($1::jsonb))
    and not exists (
      select 1 from jsonb_to_recordset($4::jsonb) as k(trace_id text, span_id text)
      where k.trace_id = s.trace_id and k.span_id = s.span_id)`;

// A trace's summary, recomputed from all its spans: its root is the earliest span without a parent;
// user and session come from the root when it has them (child spans need not repeat them), else from
// the earliest span that does. Aggregates, the root and the user/session fallbacks are separate index
// scans, so the large text columns are read for one span per trace, not carried through sorts.
const ROOT_FIRST = "(parent_span_id is null) desc, start_ns, span_id";
const TOUCHED = "trace_id in (select jsonb_array_elements_text($1::jsonb))";
const firstWith = (col: string) =>
  `(select distinct on (trace_id) trace_id, ${col} from spans where ${TOUCHED} and ${col} is not null order by trace_id, ${ROOT_FIRST})`;
const REFRESH_TRACES = `
  insert into traces (workspace_id, trace_id, root_span_id, name, start_ns, end_ns, span_count, models,
    input_tokens, output_tokens, status, user_id, session_id, input, output, source, root_key, user_key, session_key,
    received_at)
  select a.workspace_id, a.trace_id, r.span_id, r.name, a.start_ns, a.end_ns, a.span_count, a.models,
    a.input_tokens, a.output_tokens, a.status, u.user_id, s.session_id, r.input, r.output, r.source,
    a.root_key, a.user_key, a.session_key, $2::timestamptz
  from (
    select trace_id, min(workspace_id) as workspace_id, min(start_ns) as start_ns, max(end_ns) as end_ns,
      count(*)::int as span_count, coalesce(array_agg(distinct model) filter (where model is not null), '{}') as models,
      sum(input_tokens) as input_tokens, sum(output_tokens) as output_tokens,
      case when bool_or(status_code = 'error') then 'error' else 'ok' end as status,
      min(${SPAN_KEY_SQL}) as root_key,
      min(${SPAN_KEY_SQL}) filter (where user_id is not null) as user_key,
      min(${SPAN_KEY_SQL}) filter (where session_id is not null) as session_key
    from spans where ${TOUCHED} group by trace_id
  ) a
  join (select distinct on (trace_id) trace_id, span_id, name, input, output, source from spans
        where ${TOUCHED} order by trace_id, ${ROOT_FIRST}) r on r.trace_id = a.trace_id
  left join ${firstWith("user_id")} u on u.trace_id = a.trace_id
  left join ${firstWith("session_id")} s on s.trace_id = a.trace_id
  order by a.trace_id
  on conflict (trace_id) do update set
    root_span_id = excluded.root_span_id, name = excluded.name, start_ns = excluded.start_ns,
    end_ns = excluded.end_ns, span_count = excluded.span_count, models = excluded.models,
    input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,
    status = excluded.status, user_id = excluded.user_id, session_id = excluded.session_id,
    input = excluded.input, output = excluded.output, source = excluded.source,
    root_key = excluded.root_key, user_key = excluded.user_key, session_key = excluded.session_key,
    received_at = greatest(traces.received_at, excluded.received_at)`;

const CHUNK = 2000;
const chunksOf = <T>(rows: readonly T[]) =>
  Array.from({ length: Math.ceil(rows.length / CHUNK) }, (_, i) => rows.slice(i * CHUNK, (i + 1) * CHUNK));

/** The group's spans, the last copy of each (trace_id, span_id) winning, in a fixed (lock) order. */
function lastCopies(items: readonly WriteItem[]) {
  const unique = new Map<string, SpanRow & { source: string; received_at: string }>();
  for (const item of items) {
    const received_at = item.receivedAt.toISOString();
    for (const r of item.rows) unique.set(`${r.trace_id}/${r.span_id}`, { ...r, source: item.source, received_at });
  }
  return [...unique.keys()].sort().map((k) => unique.get(k)!);
}

const LOCK_TRACES = `select trace_id from traces where ${TOUCHED} order by trace_id for update`;

/** A group's spans encoded for its transaction ({@link prepareWrite}), ready for {@link runWrite}. */
export interface PreparedWrite {
  items: readonly WriteItem[];
  traceIds: string[];
  receivedAt: string;
  usageRows: ReturnType<typeof usageDeltas>;
  body: CopyBody | { chunks: Array<{ rows: JsonArrayText; deltas: string; usage: string }> };
}

/** A group for a database that takes COPY: its rows in text COPY format and its traces' deltas (JSON). */
interface CopyBody {
  copy: string;
  deltas: string;
}

/**
 * Encode a group's spans for its transaction into `workspaceId`; `copies`: for a database that takes COPY
 * (PostgreSQL), else as JSON parameters (PGlite). Pure CPU work, so the write queue runs it for the
 * next group while the engine is still writing the current one. Undefined when there is nothing to write.
 */
export function prepareWrite(
  items: readonly WriteItem[],
  { copies, workspaceId }: { copies: boolean; workspaceId: string },
): PreparedWrite | undefined {
  const spans = lastCopies(items);
  if (spans.length === 0) return undefined;
  // a fixed lock order keeps concurrent PostgreSQL writers of one trace from deadlocking
  const traceIds = [...new Set(spans.map((s) => s.trace_id))].sort();
  const receivedAt = new Date(Math.max(...items.map((i) => i.receivedAt.getTime()))).toISOString();
  // Everything sent is encoded before the transaction opens: with the engine in a worker thread,
  // the engine would otherwise wait for this thread's JSON encoding between statements.
  // On PGlite the usage goes with the last chunk, when every run of the group exists; a run replaced
  // in an earlier chunk is recomputed below, which overwrites what was merged into it.
  const usageRows = usageDeltas(spans);
  const body: PreparedWrite["body"] = copies
    ? { copy: copyRows(spans, workspaceId), deltas: jsonWithoutNul(traceDeltas(spans)) }
    : {
        chunks: chunksOf(spans).map((chunk, i, all) => ({
          rows: new JsonArrayText(chunk.map(jsonWithoutNul)),
          deltas: jsonWithoutNul(traceDeltas(chunk)),
          usage: i === all.length - 1 ? jsonWithoutNul(usageRows) : "[]",
        })),
      };
  return { items, traceIds, receivedAt, usageRows, body };
}

/**
 * Upsert the spans of one or more requests by (trace_id, span_id) and refresh the affected trace
 * summaries, all in one transaction: when this resolves the data is committed. Re-sending a batch
 * never duplicates.
 */
export async function writeSpans(db: SqlDatabase, items: readonly WriteItem[], workspaceId: string): Promise<void> {
  const prepared = prepareWrite(items, { copies: db.copies === true, workspaceId });
  if (prepared) await runWrite(db, prepared, workspaceId);
}

/**
 * PostgreSQL's usual case: a group of new spans copied straight into `spans` and its deltas merged
 * into the summaries, as one transaction sent in a single round trip (the deltas inlined as
 * literals). Without the staging table's second copy of every row PostgreSQL spends ~35 % less CPU
 * per span, and the transaction no longer waits on this thread's event loop between statements.
 * Resolves false, having written nothing, when a span of the group is already stored (its COPY fails
 * on the primary key; a concurrent writer's copy of it is waited for): the group is then upserted.
 */
async function copyNew(db: SqlDatabase, { receivedAt, usageRows }: PreparedWrite, body: CopyBody, workspaceId: string) {
  const statements = [
    // shared: the search indexer (exclusive) never moves its mark past this write's sequence numbers
    `select pg_advisory_xact_lock_shared(${SEARCH_LOCK})`,
    COPY_SPANS,
    mergeTracesSql({ deltas: sqlLiteral(body.deltas), workspace: sqlLiteral(workspaceId), receivedAt: sqlLiteral(receivedAt) }),
  ];
  if (usageRows.length > 0) statements.push(mergeUsageSql({ deltas: sqlLiteral(jsonWithoutNul(usageRows)) }));
  try {
    await db.copyTransaction!(statements.join(";\n"), body.copy);
    return true;
  } catch (err) {
    if ((err as { code?: unknown }).code === "23505") return false;
    throw err;
  }
}

/** {@link writeSpans}'s transaction, for a group encoded by {@link prepareWrite} for this database. */
export async function runWrite(db: SqlDatabase, prepared: PreparedWrite, workspaceId: string): Promise<void> {
  const { items, traceIds, receivedAt, usageRows, body } = prepared;
  if ("copy" in body && db.copyTransaction && !items.some((i) => i.replaceTraces) && (await copyNew(db, prepared, body, workspaceId)))
    return;
  await db.transaction(async (tx: SqlRunner) => {
    const replaced = new Set<string>();
    for (const item of items) {
      if (!item.replaceTraces) continue;
      // its traces are recomputed from all their spans below, never merged
      const ids = [...new Set(item.rows.map((r) => r.trace_id))].sort();
      const keys = item.rows.map((r) => ({ trace_id: r.trace_id, span_id: r.span_id }));
      await tx.query(DELETE_STALE, [JSON.stringify(ids), workspaceId, item.source, JSON.stringify(keys)]);
      for (const id of ids) replaced.add(id);
    }
    if ("copy" in body) {
      // PostgreSQL, a span of the group already stored (or a re-import): the group's rows COPY'd into
      // a per-session staging table, then one upsert (the search indexer's lock as in copyNew)
      await tx.exec(`select pg_advisory_xact_lock_shared(${SEARCH_LOCK}); ${STAGE_TABLE}`);
      await tx.copyFrom!(COPY_STAGE, body.copy);
      const rows = await tx.query<{ trace_id: string }>(STAGE_UPSERT, [workspaceId, body.deltas, receivedAt, "[]"]);
      for (const r of rows) replaced.add(r.trace_id);
      // Usage in its own statement: with two writers, locking usage rows inside the upsert (in no set
      // order against the summary rows) can deadlock.
      const fresh = usageRows.filter((u) => !replaced.has(u.trace_id));
      if (fresh.length > 0) await tx.query(MERGE_USAGE, [jsonWithoutNul(fresh)]);
    } else {
      for (const [i, chunk] of body.chunks.entries()) {
        const params = [chunk.rows, workspaceId, chunk.deltas, receivedAt, chunk.usage];
        // the last statement when no run needs a recompute: the engine commits with it (no round trip)
        const last = i === body.chunks.length - 1 && replaced.size === 0;
        const rows =
          last && tx.queryCommitIfEmpty
            ? await tx.queryCommitIfEmpty<{ trace_id: string }>(JSON_UPSERT, params)
            : await tx.query<{ trace_id: string }>(JSON_UPSERT, params);
        for (const r of rows) replaced.add(r.trace_id);
      }
    }
    // a trace replaced in one chunk may have merged another chunk's delta: the recompute overwrites it
    if (replaced.size > 0) {
      const ids = JSON.stringify(traceIds.filter((id) => replaced.has(id)));
      // Lock the summaries first: a concurrent writer (another group on PostgreSQL, another server)
      // merging into one of them has then committed, and its spans are counted by the recompute's
      // fresh snapshot; one that merges later adds only its own spans on top of the recomputed rows.
      await tx.query(LOCK_TRACES, [ids]);
      await tx.query(REFRESH_TRACES, [ids, receivedAt]);
      for (const sql of REFRESH_USAGE) await tx.query(sql, [ids]);
    }
  });
}
