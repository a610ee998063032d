import type { SpanRow } from "../span-row.js";
import { migrate } from "./migrations.js";
import { openPglite } from "./pglite.js";
import { openPostgres } from "./postgres.js";
import { getGroup, listGroups } from "./read-groups.js";
import { createNodePages, listSpanSummaries } from "./read-nodes.js";
import { getSpan, getTrace, listSpans, listTraces, type TraceFilters } from "./read-traces.js";
import { usageByGroup, usageByTrace } from "./read-usage.js";
import { footprint, type RetentionPolicy, type TrimResult, trimChunk } from "./retention.js";
import { ensureSearchIndex } from "./search.js";
import { SearchIndexer } from "./search-indexer.js";
import type { SqlDatabase } from "./sql.js";
import { refreshStatistics } from "./statistics.js";
import { prepareWrite, runWrite, writeSpans } from "./write.js";
import { WriteQueue } from "./write-queue.js";

/** The dev server's storage: one workspace's spans and run summaries in PostgreSQL. */
export interface Store {
  readonly description: string;
  /**
   * Whether run search has its trigram index; when not, why (search then scans every span).
   * `pending`: spans the background indexer has not copied yet (search scans those).
   */
  readonly search: { readonly indexed: boolean; readonly reason?: string; readonly pending: number };
  /** Wait until the search index covers every span written so far (tests, benchmarks). */
  indexSearch(): Promise<void>;
  /** `replaceTraces`: the given rows become each written trace's whole span set for `source`. */
  write(rows: readonly SpanRow[], receivedAt: Date, source?: string, options?: { replaceTraces?: boolean }): Promise<void>;
  listTraces(f: TraceFilters): ReturnType<typeof listTraces>;
  getTrace(traceId: string): ReturnType<typeof getTrace>;
  listSpans(traceId: string): ReturnType<typeof listSpans>;
  /** Every span of a trace without payloads (input, output, events, attributes beyond cost's). */
  listSpanSummaries(traceId: string): ReturnType<typeof listSpanSummaries>;
  /** One page of a run's spans in tree order, without payloads (read-nodes.ts); undefined for an unknown run. */
  nodePage(traceId: string, limit: number, cursor?: string): ReturnType<ReturnType<typeof createNodePages>["page"]>;
  getSpan(spanId: string): ReturnType<typeof getSpan>;
  listSessions(limit: number, cursor?: string): ReturnType<typeof listGroups>;
  getSession(id: string): ReturnType<typeof getGroup>;
  listUsers(limit: number, cursor?: string): ReturnType<typeof listGroups>;
  getUser(id: string): ReturnType<typeof getGroup>;
  /** Remove up to one chunk of the oldest runs beyond `policy`, whole; `traces: 0` when done. */
  trimChunk(policy: RetentionPolicy, now: Date): Promise<TrimResult>;
  /** Bytes on disk of the stored spans and runs, and their counts. */
  footprint(): ReturnType<typeof footprint>;
  /** Token usage per trace, model and provider (for cost roll-ups). */
  usageByTrace(traceIds: readonly string[]): ReturnType<typeof usageByTrace>;
  /** Token usage per session or user, model and provider (for cost roll-ups). */
  usageByGroup(by: "session_id" | "user_id", ids: readonly string[]): ReturnType<typeof usageByGroup>;
  close(): Promise<void>;
}

export const PG_WRITERS = 2;
/** Write groups handed to the PGlite engine thread at once (it runs them one after the other). */
export const PGLITE_THREAD_WRITERS = 2;
const STATISTICS_INTERVAL_MS = 30_000;

/**
 * Wrap an open database, applying pending migrations first. `writers`: write transactions at once
 * (default 1; a PostgreSQL server can run more, see {@link WriteQueue}).
 */
export async function createStore(
  db: SqlDatabase,
  workspaceId: string,
  options: {
    searchIndex?: boolean;
    writers?: number;
    warn?: (message: string) => void;
    /** Ingest-quiet time before the search indexer runs (default 200 ms; tests pass a large one). */
    searchQuietMs?: number;
  } = {},
): Promise<Store> {
  let index: { indexed: boolean; reason?: string };
  try {
    await migrate(db);
    index = await ensureSearchIndex(db, options.searchIndex ?? true);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  const nodes = createNodePages(db);
  const writes = new WriteQueue({
    prepare: (items) => prepareWrite(items, { copies: db.copies === true, workspaceId }),
    write: (items, prepared) => (prepared ? runWrite(db, prepared, workspaceId) : writeSpans(db, items, workspaceId)),
    writers: options.writers,
  });
  // between two write transactions, like retention; a failure only leaves the old statistics
  let analyzing: Promise<unknown> = Promise.resolve();
  const analyze = () => (analyzing = writes.exclusive(() => refreshStatistics(db)).catch(() => []));
  await analyze();
  const statsTimer = setInterval(analyze, STATISTICS_INTERVAL_MS);
  statsTimer.unref();
  // the trigram index is filled in the background, off the ingest path (search.ts)
  const indexer = index.indexed ? new SearchIndexer({ db, queue: writes, warn: options.warn, quietMs: options.searchQuietMs }) : undefined;
  await indexer?.start();
  const search = {
    ...index,
    get pending() {
      return indexer?.pending ?? 0;
    },
  };
  return {
    description: db.description,
    search,
    indexSearch: async () => indexer?.catchUp(),
    write: async (rows, receivedAt, source = "push", options) => {
      if (rows.length === 0) return;
      await writes.write({ rows, receivedAt, source, replaceTraces: options?.replaceTraces });
      indexer?.written(rows.length);
    },
    listTraces: (f) => listTraces(db, workspaceId, f, search.indexed),
    getTrace: (id) => getTrace(db, id),
    listSpans: (id) => listSpans(db, id),
    listSpanSummaries: (id) => listSpanSummaries(db, id),
    nodePage: (id, limit, cursor) => nodes.page(id, limit, cursor),
    getSpan: (id) => getSpan(db, id),
    listSessions: (limit, cursor) => listGroups(db, "session_id", workspaceId, limit, cursor),
    getSession: (id) => getGroup(db, "session_id", workspaceId, id),
    listUsers: (limit, cursor) => listGroups(db, "user_id", workspaceId, limit, cursor),
    getUser: (id) => getGroup(db, "user_id", workspaceId, id),
    trimChunk: (policy, now) => trimChunk(db, policy, now, (fn) => writes.exclusive(fn)),
    footprint: () => footprint(db),
    usageByTrace: (ids) => usageByTrace(db, ids),
    usageByGroup: (by, ids) => usageByGroup(db, by, workspaceId, ids),
    close: async () => {
      clearInterval(statsTimer);
      await indexer?.stop();
      await analyzing;
      // queued and running writes (and retention passes) finish first
      await writes.exclusive(async () => undefined);
      await db.close();
    },
  };
}

/**
 * Open the embedded PGlite store in `dataDir/db`, or PostgreSQL when `databaseUrl` is set (with
 * {@link PG_WRITERS} write transactions at once: the server runs them on its own cores).
 */
export async function openStore(opts: {
  dataDir: string;
  databaseUrl?: string;
  engineThread?: boolean;
  workspaceId: string;
  searchIndex?: boolean;
  warn?: (message: string) => void;
}): Promise<Store> {
  if (opts.databaseUrl) {
    return createStore(await openPostgres(opts.databaseUrl), opts.workspaceId, {
      searchIndex: opts.searchIndex,
      writers: PG_WRITERS,
      warn: opts.warn,
    });
  }
  const thread = opts.engineThread ?? true;
  const db = await openPglite(`${opts.dataDir}/db`, { thread });
  // With the engine in its own thread, the next group is handed to it while the current one runs:
  // the engine serialises the two transactions, and starts the second without waiting for this thread.
  return createStore(db, opts.workspaceId, { searchIndex: opts.searchIndex, warn: opts.warn, writers: thread ? PGLITE_THREAD_WRITERS : 1 });
}
