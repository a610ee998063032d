import { decodeCursor, page } from "../cursor.js";
import { tracesWhere } from "./read-traces.js";
import { nsToIso, num, total } from "./rows.js";
import type { SqlRunner } from "./sql.js";

type GroupBy = "session_id" | "user_id";

// Sessions and users are groupings of runs (traces), never stored objects of their own.
function groupSql(by: GroupBy): string {
  const other = by === "session_id" ? "user_id" : "session_id";
  return `select ${by} as id, count(*)::int as runs, min(start_ns)::text as first_ns, max(start_ns)::text as last_ns,
    max(end_ns)::text as end_ns, coalesce(array_agg(distinct ${other}) filter (where ${other} is not null), '{}') as others,
    sum(input_tokens)::text as input_tokens, sum(output_tokens)::text as output_tokens,
    count(*) filter (where status = 'error')::int as errors,
    percentile_cont(0.5) within group (order by end_ns - start_ns) / 1e6 as p50_ms,
    percentile_cont(0.95) within group (order by end_ns - start_ns) / 1e6 as p95_ms
    from traces t where t.workspace_id = $1 and t.${by} is not null`;
}

function toGroup(by: GroupBy, r: Record<string, unknown>) {
  const common = {
    id: r.id as string,
    first_start_time: nsToIso(String(r.first_ns)),
    last_start_time: nsToIso(String(r.last_ns)),
    last_end_time: nsToIso(String(r.end_ns)),
    last_start_unix_nano: String(r.last_ns),
    input_tokens: num(r.input_tokens),
    output_tokens: num(r.output_tokens),
    total_tokens: total(r.input_tokens ?? null, r.output_tokens ?? null),
    error_runs: Number(r.errors),
    p50_duration_ms: Number(r.p50_ms),
    p95_duration_ms: Number(r.p95_ms),
  };
  const others = (r.others as string[] | null) ?? [];
  return by === "session_id"
    ? { session_id: common.id, turns: Number(r.runs), user_ids: others, ...common }
    : { user_id: common.id, run_count: Number(r.runs), session_ids: others, ...common };
}

/**
 * Sessions (runs grouped by gen_ai.conversation.id) or users, most recently active first. The page's
 * ids come first, from the (workspace_id, id, start_ns) index without reading the runs themselves;
 * the aggregates (percentiles, distinct ids) are then computed for that page only.
 */
export async function listGroups(db: SqlRunner, by: GroupBy, workspaceId: string, limit: number, cursor?: string) {
  const params: unknown[] = [workspaceId];
  let having = "";
  if (cursor) {
    const [lastNs, id] = decodeCursor(cursor, 2);
    params.push(lastNs, id);
    having = `having (max(start_ns), ${by}) < ($2::bigint, $3)`;
  }
  params.push(limit + 1);
  const order = `order by max(start_ns) desc, ${by} desc`;
  const ids = await db.query<{ id: string }>(
    `select ${by} as id from traces t where t.workspace_id = $1 and t.${by} is not null
     group by ${by} ${having} ${order} limit $${params.length}`,
    params,
  );
  const rows =
    ids.length === 0
      ? []
      : await db.query(`${groupSql(by)} and t.${by} = any($2::text[]) group by ${by} ${order}`, [workspaceId, ids.map((r) => r.id)]);
  return page(
    rows.map((r) => toGroup(by, r)),
    limit,
    (g) => [g.last_start_unix_nano, g.id],
  );
}

const RUNS_CAP = 1000;

/**
 * One session (its turns oldest first, as the conversation happened, each with its full input and
 * output) or one user (their runs newest first), or undefined when no run carries that id.
 */
export async function getGroup(db: SqlRunner, by: GroupBy, workspaceId: string, id: string) {
  const [row] = await db.query(`${groupSql(by)} and t.${by} = $2 group by ${by}`, [workspaceId, id]);
  if (!row) return undefined;
  const session = by === "session_id";
  const runs = await tracesWhere(
    db,
    `t.workspace_id = $1 and t.${by} = $2`,
    [workspaceId, id],
    session ? "asc" : "desc",
    RUNS_CAP,
    session,
  );
  return { ...toGroup(by, row), runs, runs_truncated: runs.length === RUNS_CAP };
}
