import { nextCursor, pageStart, pageTree, skeletonOf, staleCursorError, treeOrder } from "../tree-page.js";
import { durationMs, kindLabel, nsToIso } from "./rows.js";
import type { SqlRunner } from "./sql.js";
import { type CachedSkeleton, TreeCache, type TreeCacheLimits } from "./tree-cache.js";
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

/**
 * A span as a page lists it. With its place in the tree, a root that declares no kind is a
 * trajectory under tree.ts's rule (without, buildSpanTree decides that later).
 */
function toNode(r: NodeTuple, place?: { depth: number; child_count: number }) {
  const [span_id, parent_span_id, name, span_kind, status, status_message, start, end, model, provider] = r;
  const depth = place?.depth ?? 0;
  const child_count = place?.child_count ?? 0;
  const trajectory = place && depth === 0 && !span_kind && (child_count > 0 || (!model && r[10] === null && r[11] === null));
  return {
    span_id,
    parent_span_id,
    name,
    kind: trajectory ? "trajectory" : kindLabel(span_kind),
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
    depth,
    child_count,
  };
}
/** A span as a trajectory's tree lists it: everything but its payloads, with its place in the tree. */
export type SpanSummary = ReturnType<typeof toNode>;

/** Every span of a trace without its payloads, in start order (ties by span id); depth and children unset (0). */
export async function listSpanSummaries(db: SqlRunner, traceId: string): Promise<SpanSummary[]> {
  const [row] = await db.query<{ rows: string }>(
    `select coalesce(json_agg(json_build_array(${NODE_FIELDS}) order by s.start_ns, s.span_id), '[]')::text as rows
     from spans s where s.trace_id = $1`,
    [traceId],
  );
  return (JSON.parse(row?.rows ?? "[]") as NodeTuple[]).map((r) => toNode(r));
}

// The run's version: its summary row's xmin, a new one in every transaction that writes the run's
// spans (the write path always updates the summary with them; retention deletes both together).
const VERSION = "(select xmin::text from traces where trace_id = $1) as version";

async function readSkeleton(db: SqlRunner, traceId: string): Promise<CachedSkeleton | undefined> {
  const [row] = await db.query<{ version: string | null; spans: string }>(
    `select ${VERSION}, (select coalesce(json_agg(json_build_array(span_id, parent_span_id) order by start_ns, span_id), '[]')::text
       from spans where trace_id = $1) as spans`,
    [traceId],
  );
  if (!row?.version) return undefined;
  return { version: row.version, ...skeletonOf(JSON.parse(row.spans) as Array<[string, string | null]>) };
}

async function readRows(db: SqlRunner, traceId: string, ids: readonly string[]) {
  const [row] = await db.query<{ version: string | null; rows: string }>(
    `select ${VERSION}, (select coalesce(json_agg(json_build_array(${NODE_FIELDS})), '[]')::text
       from spans s where s.trace_id = $1 and s.span_id = any($2::text[])) as rows`,
    [traceId, ids],
  );
  const rows = new Map<string, NodeTuple>();
  for (const r of JSON.parse(row?.rows ?? "[]") as NodeTuple[]) rows.set(r[0], r);
  return { version: row?.version ?? null, rows };
}

export interface NodePage {
  /** Spans the run has now. */
  total: number;
  items: SpanSummary[];
  next_cursor: string | null;
}

/** Tries of the cached path before one statement reads the run whole (a run written to between every two reads). */
const ATTEMPTS = 3;

/**
 * Pages of runs' trees (`/traces/{id}/nodes`). A run's tree order is kept in a bounded cache, so a
 * page reads only its own spans; each read also returns the run's version, and a page is only
 * built when it matches the tree's, so a write to the run is never answered with its old tree.
 * Resolves to undefined for an unknown run.
 */
export function createNodePages(db: SqlRunner, limits: TreeCacheLimits = {}) {
  const cache = new TreeCache(limits);
  async function page(traceId: string, limit: number, cursor?: string): Promise<NodePage | undefined> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const tree = cache.get(traceId) ?? (await readSkeleton(db, traceId));
      if (!tree) return undefined;
      cache.set(traceId, tree);
      const start = pageStart(tree.ids, cursor);
      const ids = start < 0 ? [] : tree.ids.slice(start, start + limit);
      const { version, rows } = await readRows(db, traceId, ids);
      if (version === null) {
        cache.delete(traceId);
        return undefined;
      }
      if (version !== tree.version || rows.size !== ids.length) {
        cache.delete(traceId);
        continue;
      }
      if (start < 0) throw staleCursorError(cursor!);
      const items = ids.map((id, k) => toNode(rows.get(id)!, { depth: tree.depth[start + k]!, child_count: tree.childCount[start + k]! }));
      return { total: tree.ids.length, items, next_cursor: nextCursor(ids[ids.length - 1], start + limit, tree.ids.length) };
    }
    const all = treeOrder(await listSpanSummaries(db, traceId));
    if (all.length === 0) return undefined;
    return { total: all.length, ...pageTree(all, limit, cursor) };
  }
  return { page, cache };
}
export type NodePages = ReturnType<typeof createNodePages>;
