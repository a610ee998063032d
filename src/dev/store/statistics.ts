import type { SqlRunner } from "./sql.js";

/**
 * Planner statistics for the dev store. PostgreSQL's autovacuum keeps them fresh on a server, but
 * embedded PGlite runs no autovacuum: without statistics the planner guesses, and at 200,000 spans
 * it picked full scans of `spans` for a page's cost roll-up (1.2 s instead of 30 ms). So the store
 * runs `analyze` itself, with autovacuum's rule of thumb: when a table was never analyzed, or has
 * changed by more than `threshold` rows plus `fraction` of its size since the last analyze. Changed
 * rows come from the statistics counters, which PGlite flushes only now and then, and from the
 * table's growth on disk (pages now against pages at the last analyze), which is always current.
 */
export interface StatisticsPolicy {
  threshold: number;
  fraction: number;
  /** Growth in 8 kB pages that counts as a change even when the counters say nothing yet. */
  thresholdPages: number;
}

export const DEFAULT_STATISTICS: StatisticsPolicy = { threshold: 1000, fraction: 0.1, thresholdPages: 64 };

const TABLES = ["spans", "traces", "span_search"] as const;

/** The tables whose statistics are stale under `policy`. Cheap: reads counters and file sizes, not rows. */
export async function staleTables(db: SqlRunner, policy: StatisticsPolicy = DEFAULT_STATISTICS): Promise<string[]> {
  const rows = await db.query<{ relname: string; changed: string; rows: string; pages: number; pages_now: string; analyzed: boolean }>(
    `select c.relname, coalesce(s.n_mod_since_analyze, 0)::text as changed, greatest(c.reltuples, 0)::bigint::text as rows,
       c.relpages as pages, (pg_relation_size(c.oid) / current_setting('block_size')::int)::text as pages_now,
       exists (select 1 from pg_stats p where p.schemaname = n.nspname and p.tablename = c.relname) as analyzed
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     left join pg_stat_user_tables s on s.relid = c.oid
     where c.relname = any($1::text[]) and n.nspname = current_schema()`,
    [TABLES],
  );
  return rows
    .filter(
      (r) =>
        !r.analyzed ||
        Number(r.changed) > policy.threshold + policy.fraction * Number(r.rows) ||
        Number(r.pages_now) > policy.thresholdPages + (1 + policy.fraction) * Number(r.pages),
    )
    .map((r) => r.relname);
}

/**
 * Analyze the stale tables; resolves to the ones analyzed. `traces` (one small row per run) is also
 * vacuumed: that removes the dead row versions its incremental summaries leave, and marks its pages
 * all-visible so the sessions and users lists read their index without visiting the rows. `spans`,
 * large and append-mostly, is only analyzed.
 */
export async function refreshStatistics(db: SqlRunner, policy: StatisticsPolicy = DEFAULT_STATISTICS): Promise<string[]> {
  const stale = await staleTables(db, policy);
  for (const table of stale) await db.exec(table === "traces" ? "vacuum (analyze) traces" : `analyze ${table}`);
  return stale;
}
