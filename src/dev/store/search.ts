import type { SqlRunner } from "./sql.js";

/**
 * Run search (`q`): a case-insensitive substring of any span's name, input or output.
 *
 * Two plans, because neither is fast for every term:
 * - the **index plan** asks the `pg_trgm` GIN index (migration 3) for the spans that can contain
 *   the term, checks them exactly and keeps their runs. Its cost grows with the number of matching
 *   spans, so it answers a rare term at once, wherever in history its runs are;
 * - the **scan plan** walks the runs newest first and stops at the first page of matches. Its
 *   cost grows with the number of runs it has to look at, so it answers a common term at once.
 * A probe through the index decides: up to `SEARCH_PROBE_CAP` matching spans, their runs are the
 * whole answer; more, and the term is common enough for the scan.
 */

/** The text the trigram index covers (the index expression; queries must repeat it exactly). */
export const SEARCH_TEXT_SQL = `(name || ' ' || coalesce(input, '') || ' ' || coalesce(output, ''))`;
export const SEARCH_INDEX = "spans_search";
export const CREATE_SEARCH_INDEX = `create index if not exists ${SEARCH_INDEX} on spans using gin (${SEARCH_TEXT_SQL} gin_trgm_ops)`;

/** Matching spans beyond which a term counts as common and the scan plan answers it. */
export const SEARCH_PROBE_CAP = 1000;

/** The exact test of one span `s` against `p`, the lower-cased term's parameter. */
export const spanMatchesSql = (p: string) =>
  `(strpos(lower(s.name), ${p}) > 0 or strpos(lower(coalesce(s.input, '')), ${p}) > 0 or strpos(lower(coalesce(s.output, '')), ${p}) > 0)`;

/** `%term%` for LIKE/ILIKE, its own `%`, `_` and `\` matched literally. */
export function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * True when the trigram index can narrow a search for `term`: pg_trgm only extracts trigrams
 * from runs of three or more letters or digits, and without one it would read the whole index.
 */
export function indexable(term: string): boolean {
  return /[\p{L}\p{N}]{3,}/u.test(term);
}

/**
 * The runs (trace ids) with a span containing `term`, through the trigram index; undefined when
 * more than `cap` spans could match (then the scan plan is faster).
 */
export async function probeSearch(db: SqlRunner, term: string, cap = SEARCH_PROBE_CAP): Promise<string[] | undefined> {
  const rows = await db.query<{ trace_id: string }>(
    `select s.trace_id from spans s where ${SEARCH_TEXT_SQL} ilike $1 and ${spanMatchesSql("$2")}
     limit ${cap + 1}`,
    [likePattern(term), term.toLowerCase()],
  );
  if (rows.length > cap) return undefined;
  return [...new Set(rows.map((r) => r.trace_id))];
}

/**
 * Make sure the search index exists: `create extension pg_trgm` (trusted since PostgreSQL 13, so
 * a database owner may create it) and the index. False, with the reason, when the database refuses;
 * search then scans, which is slow for rare terms on large stores. `wanted: false` drops the index.
 */
export async function ensureSearchIndex(db: SqlRunner, wanted = true): Promise<{ indexed: true } | { indexed: false; reason: string }> {
  if (!wanted) {
    // its upkeep costs ingest (about half the PGlite throughput in bench:dev); a load test may prefer that
    await db.exec(`drop index if exists ${SEARCH_INDEX}`);
    return { indexed: false, reason: "turned off (--search-index off)" };
  }
  const present = async () => (await db.query("select 1 from pg_indexes where indexname = $1", [SEARCH_INDEX])).length > 0;
  if (await present()) return { indexed: true };
  try {
    await db.exec(`create extension if not exists pg_trgm; ${CREATE_SEARCH_INDEX}`);
  } catch (err) {
    return { indexed: false, reason: (err as Error).message };
  }
  return (await present()) ? { indexed: true } : { indexed: false, reason: "the index was not created" };
}
