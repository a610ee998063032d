import { decodeCursor, page } from "../cursor.js";
import { SPAN_COLUMNS, type Span, TRACE_COLUMNS, type TraceSummary, toSpan, toTrace } from "./rows.js";
import { indexable, probeSearch, spanMatchesSql } from "./search.js";
import type { SqlRunner } from "./sql.js";

export interface TraceFilters {
  limit: number;
  cursor?: string;
  /** Inclusive lower bound on the run's start, unix nanoseconds. */
  startNs?: string;
  /** Exclusive upper bound on the run's start, unix nanoseconds. */
  endNs?: string;
  /** Case-insensitive substring of any span's name, input or output. */
  q?: string;
  status?: "ok" | "error";
  model?: string;
  userId?: string;
  sessionId?: string;
  /** Resource `deployment.environment.name` of any span of the run (SDK `environment`). */
  environment?: string;
  /** Resource `service.version` of any span of the run (SDK `release`). */
  release?: string;
}

/**
 * Runs (traces) of a workspace, newest first, with keyset pagination. `searchIndexed`: the trigram
 * index exists, so a search may use it (see search.ts for how the plan is chosen).
 */
export async function listTraces(db: SqlRunner, workspaceId: string, f: TraceFilters, searchIndexed = false) {
  const params: unknown[] = [workspaceId];
  const where = ["t.workspace_id = $1"];
  const add = (clause: (p: string) => string, value: unknown) => {
    params.push(value);
    where.push(clause(`$${params.length}`));
  };
  if (f.startNs) add((p) => `t.start_ns >= ${p}::bigint`, f.startNs);
  if (f.endNs) add((p) => `t.start_ns < ${p}::bigint`, f.endNs);
  if (f.status) add((p) => `t.status = ${p}`, f.status);
  if (f.model) add((p) => `${p} = any(t.models)`, f.model);
  if (f.userId) add((p) => `t.user_id = ${p}`, f.userId);
  if (f.sessionId) add((p) => `t.session_id = ${p}`, f.sessionId);
  if (f.environment)
    add(
      (p) => `exists (select 1 from spans s where s.trace_id = t.trace_id and s.resource->>'deployment.environment.name' = ${p})`,
      f.environment,
    );
  if (f.release)
    add((p) => `exists (select 1 from spans s where s.trace_id = t.trace_id and s.resource->>'service.version' = ${p})`, f.release);
  if (f.q) {
    const ids = searchIndexed && indexable(f.q) ? await probeSearch(db, f.q) : undefined;
    if (ids) add((p) => `t.trace_id = any(${p}::text[])`, ids);
    else add((p) => `exists (select 1 from spans s where s.trace_id = t.trace_id and ${spanMatchesSql(p)})`, f.q.toLowerCase());
  }
  if (f.cursor) {
    const [startNs, traceId] = decodeCursor(f.cursor, 2);
    params.push(startNs, traceId);
    where.push(`(t.start_ns, t.trace_id) < ($${params.length - 1}::bigint, $${params.length})`);
  }
  params.push(f.limit + 1);
  const rows = await db.query(
    `select ${TRACE_COLUMNS} from traces t where ${where.join(" and ")}
     order by t.start_ns desc, t.trace_id desc limit $${params.length}`,
    params,
  );
  return page(rows.map(toTrace), f.limit, (t) => [t.start_unix_nano, t.trace_id]);
}

/** One run's summary with the root's full input and output, or undefined. */
export async function getTrace(db: SqlRunner, traceId: string) {
  const [row] = await db.query(`select ${TRACE_COLUMNS} from traces where trace_id = $1`, [traceId]);
  if (!row) return undefined;
  return { ...toTrace(row), input: (row.input as string | null) ?? null, output: (row.output as string | null) ?? null };
}
export type TraceDetail = NonNullable<Awaited<ReturnType<typeof getTrace>>>;

/** All spans of a trace in start order. */
export async function listSpans(db: SqlRunner, traceId: string): Promise<Span[]> {
  const rows = await db.query(`select ${SPAN_COLUMNS} from spans where trace_id = $1 order by start_ns, span_id`, [traceId]);
  return rows.map(toSpan);
}

/** One span by id (span ids are unique in practice; the earliest wins if not). */
export async function getSpan(db: SqlRunner, spanId: string): Promise<Span | undefined> {
  const [row] = await db.query(`select ${SPAN_COLUMNS} from spans where span_id = $1 order by start_ns limit 1`, [spanId]);
  return row ? toSpan(row) : undefined;
}

/** Runs matching `where` (a trusted SQL fragment over `t`), oldest or newest first, capped. With
 * `full`, each run also carries its root's complete input and output. */
export async function tracesWhere(
  db: SqlRunner,
  where: string,
  params: unknown[],
  order: "asc" | "desc",
  cap: number,
  full = false,
): Promise<Array<TraceSummary & { input?: string | null; output?: string | null }>> {
  const rows = await db.query(
    `select ${TRACE_COLUMNS} from traces t where ${where} order by t.start_ns ${order}, t.trace_id ${order} limit ${cap}`,
    params,
  );
  return rows.map((r) =>
    full ? { ...toTrace(r), input: (r.input as string | null) ?? null, output: (r.output as string | null) ?? null } : toTrace(r),
  );
}
