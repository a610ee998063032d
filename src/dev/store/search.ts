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

/**
 * The text search covers, per span (what the indexer copies into `span_search.text`).
 *
 * The trigram index is **deferred** (migration 4): it lives on `span_search`, a copy of that text
 * which the {@link SearchIndexer} fills in the background, not on `spans`. Keeping a GIN trigram
 * index up to date inside each ingest transaction cut embedded ingest to about a third. Every
 * insert or update of a span draws a new `search_seq`; `search_state.indexed_upto` says up to
 * which one `span_search` holds the current text. Search reads the index for spans at or below
 * that mark and scans the few above it (the tail), so answers stay exact while the index lags.
 */
export const SEARCH_TEXT_SQL = `(name || ' ' || coalesce(input, '') || ' ' || coalesce(output, ''))`;
export const SEARCH_INDEX = "span_search_text";
export const CREATE_SEARCH_INDEX = `create index if not exists ${SEARCH_INDEX} on span_search using gin (text gin_trgm_ops)`;

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
 * The runs (trace ids) with a span containing `term`: through the trigram index for the spans it
 * covers, and by a scan of the tail it does not cover yet; undefined when more than `cap` spans
 * could match (then the scan plan is faster).
 */
export async function probeSearch(db: SqlRunner, term: string, cap = SEARCH_PROBE_CAP): Promise<string[] | undefined> {
  // the mark as a value, not a subquery: the planner then sees how few spans lie above it
  const [state] = await db.query<{ upto: string }>("select indexed_upto::text as upto from search_state");
  const rows = await db.query<{ trace_id: string }>(
    `select trace_id from (
       select s.trace_id from span_search x join spans s on s.trace_id = x.trace_id and s.span_id = x.span_id
       where x.text ilike $1 and ${spanMatchesSql("$2")}
       union all
       select s.trace_id from spans s where s.search_seq > $3::bigint and ${spanMatchesSql("$2")}
     ) m limit ${cap + 1}`,
    [likePattern(term), term.toLowerCase(), state?.upto ?? "0"],
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
  const present = async () => (await db.query("select 1 from pg_indexes where indexname = $1", [SEARCH_INDEX])).length > 0;
  if (!wanted) {
    // its upkeep costs CPU and disk (a copy of the span text); a load test may prefer that. The copy
    // is emptied, so a later start with the index indexes every span again, in the background.
    if (await present()) await db.exec(`drop index ${SEARCH_INDEX}; truncate span_search; update search_state set indexed_upto = 0`);
    return { indexed: false, reason: "turned off (--search-index off)" };
  }
  if (await present()) return { indexed: true };
  try {
    // span_search is empty here (never indexed, or emptied when turned off): every span is in the tail
    await db.exec(
      `create extension if not exists pg_trgm; truncate span_search; update search_state set indexed_upto = 0; ${CREATE_SEARCH_INDEX}`,
    );
  } catch (err) {
    return { indexed: false, reason: (err as Error).message };
  }
  return (await present()) ? { indexed: true } : { indexed: false, reason: "the index was not created" };
}
