import type { SpanRow } from "../span-row.js";
import { migrate } from "./migrations.js";
import { openPglite } from "./pglite.js";
import { openPostgres } from "./postgres.js";
import { getGroup, listGroups } from "./read-groups.js";
import { getSpan, getTrace, listSpans, listTraces, type TraceFilters } from "./read-traces.js";
import { usageByGroup, usageByTrace } from "./read-usage.js";
import { footprint, type RetentionPolicy, type TrimResult, trimChunk } from "./retention.js";
import type { SqlDatabase } from "./sql.js";
import { writeSpans } from "./write.js";
import { WriteQueue } from "./write-queue.js";

/** The dev server's storage: one workspace's spans and run summaries in PostgreSQL. */
export interface Store {
  readonly description: string;
  /** `replaceTraces`: the given rows become each written trace's whole span set for `source`. */
  write(rows: readonly SpanRow[], receivedAt: Date, source?: string, options?: { replaceTraces?: boolean }): Promise<void>;
  listTraces(f: TraceFilters): ReturnType<typeof listTraces>;
  getTrace(traceId: string): ReturnType<typeof getTrace>;
  listSpans(traceId: string): ReturnType<typeof listSpans>;
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

/**
 * Wrap an open database, applying pending migrations first. `writers`: write transactions at once
 * (default 1; a PostgreSQL server can run more, see {@link WriteQueue}).
 */
export async function createStore(db: SqlDatabase, workspaceId: string, opts: { writers?: number } = {}): Promise<Store> {
  try {
    await migrate(db);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  const writes = new WriteQueue({ write: (items) => writeSpans(db, items, workspaceId), writers: opts.writers });
  return {
    description: db.description,
    write: (rows, receivedAt, source = "push", options) =>
      rows.length === 0 ? Promise.resolve() : writes.write({ rows, receivedAt, source, replaceTraces: options?.replaceTraces }),
    listTraces: (f) => listTraces(db, workspaceId, f),
    getTrace: (id) => getTrace(db, id),
    listSpans: (id) => listSpans(db, id),
    getSpan: (id) => getSpan(db, id),
    listSessions: (limit, cursor) => listGroups(db, "session_id", workspaceId, limit, cursor),
    getSession: (id) => getGroup(db, "session_id", workspaceId, id),
    listUsers: (limit, cursor) => listGroups(db, "user_id", workspaceId, limit, cursor),
    getUser: (id) => getGroup(db, "user_id", workspaceId, id),
    trimChunk: (policy, now) => trimChunk(db, policy, now, (fn) => writes.exclusive(fn)),
    footprint: () => footprint(db),
    usageByTrace: (ids) => usageByTrace(db, ids),
    usageByGroup: (by, ids) => usageByGroup(db, by, workspaceId, ids),
    // queued and running writes (and retention passes) finish first
    close: () => writes.exclusive(async () => undefined).then(() => db.close()),
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
}): Promise<Store> {
  if (opts.databaseUrl) return createStore(await openPostgres(opts.databaseUrl), opts.workspaceId, { writers: PG_WRITERS });
  return createStore(await openPglite(`${opts.dataDir}/db`, { thread: opts.engineThread }), opts.workspaceId);
}
