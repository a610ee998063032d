import type { SqlDatabase } from "./sql.js";

/** What to keep: runs received within `maxAgeMs`, and at most `maxSpans` spans. Unset = unlimited. */
export interface RetentionPolicy {
  maxAgeMs?: number;
  maxSpans?: number;
}

export interface TrimResult {
  traces: number;
  spans: number;
}

/** Runs per delete transaction: short transactions let ingest interleave with a long trim. */
const CHUNK = 200;

const IN_IDS = "trace_id in (select jsonb_array_elements_text($1::jsonb))";

async function deleteTraces(db: SqlDatabase, ids: string[]): Promise<number> {
  // spans (their search copies cascade), the summary and its usage go in one transaction: a run is
  // removed whole or not at all
  return db.transaction(async (tx) => {
    const json = JSON.stringify(ids);
    const [gone] = await tx.query<{ n: string }>(
      `with d as (delete from spans where ${IN_IDS} returning 1) select count(*)::text as n from d`,
      [json],
    );
    await tx.query(`with u as (delete from trace_usage where ${IN_IDS}) delete from traces where ${IN_IDS}`, [json]);
    return Number(gone?.n ?? 0);
  });
}

/**
 * One chunk of retention: removes up to CHUNK of the oldest runs (by when they were last written)
 * that are older than `maxAgeMs` or beyond `maxSpans`, whole. Returns what it removed; zero traces
 * means there is nothing left to trim. `exclusive` runs the delete between ingest transactions.
 */
export async function trimChunk(
  db: SqlDatabase,
  policy: RetentionPolicy,
  now: Date,
  exclusive: <T>(fn: () => Promise<T>) => Promise<T>,
): Promise<TrimResult> {
  let ids: string[] = [];
  if (policy.maxAgeMs !== undefined) {
    const cutoff = new Date(now.getTime() - policy.maxAgeMs).toISOString();
    const rows = await db.query<{ trace_id: string }>(
      "select trace_id from traces where received_at < $1::timestamptz order by received_at, trace_id limit $2",
      [cutoff, CHUNK],
    );
    ids = rows.map((r) => r.trace_id);
  }
  if (ids.length === 0 && policy.maxSpans !== undefined) {
    const [{ total } = { total: "0" }] = await db.query<{ total: string }>(
      "select coalesce(sum(span_count), 0)::text as total from traces",
    );
    let excess = Number(total) - policy.maxSpans;
    if (excess > 0) {
      const rows = await db.query<{ trace_id: string; span_count: number }>(
        "select trace_id, span_count from traces order by received_at, trace_id limit $1",
        [CHUNK],
      );
      for (const r of rows) {
        if (excess <= 0) break;
        ids.push(r.trace_id);
        excess -= Number(r.span_count);
      }
    }
  }
  if (ids.length === 0) return { traces: 0, spans: 0 };
  const spans = await exclusive(() => deleteTraces(db, ids));
  return { traces: ids.length, spans };
}

/** Bytes the dev server's tables take (data, indexes, TOAST), and how many spans and runs they hold. */
export async function footprint(db: SqlDatabase): Promise<{ bytes: number; spans: number; traces: number }> {
  const [row] = await db.query<{ bytes: string; spans: string; traces: string }>(
    `select (pg_total_relation_size('spans') + pg_total_relation_size('traces') + pg_total_relation_size('span_search')
         + pg_total_relation_size('trace_usage'))::text as bytes,
       (select coalesce(sum(span_count), 0) from traces)::text as spans, (select count(*) from traces)::text as traces`,
  );
  return { bytes: Number(row?.bytes ?? 0), spans: Number(row?.spans ?? 0), traces: Number(row?.traces ?? 0) };
}
