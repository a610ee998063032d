import { SEARCH_TEXT_SQL } from "./search.js";
import type { SqlDatabase, SqlRunner } from "./sql.js";

/**
 * Fills the deferred search index (see search.ts) in the background: it copies the text of the
 * spans above `search_state.indexed_upto`, oldest first, into `span_search` and moves the mark.
 * Ingest never waits for it. It runs when ingest has been quiet for `quietMs`, one step of `batch`
 * spans at a time between write transactions (a write arriving waits at most one step), and keeps
 * going until the tail is empty. Under load that never pauses, the tail would grow without bound
 * and search would scan more and more of it, so beyond `maxLag` spans steps also run under load,
 * taking at most `maxShare` of the time: ingest, which cannot wait (a sender drops what it cannot
 * deliver), keeps the rest. Indexing costs several times what ingest does per span, so at a high
 * ingest rate the tail still grows, more slowly, and is caught up once ingest pauses; search stays
 * exact, only slower over a long tail.
 */
export interface IndexerQueue {
  /** Run `fn` between two write transactions, with no write running. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** No write running or waiting. */
  idle(): boolean;
}

export interface SearchIndexerOptions {
  db: SqlDatabase;
  queue: IndexerQueue;
  /** Spans copied per step (one transaction). Default 250 (about 60 ms: what a write may wait). */
  batch?: number;
  /** Quiet time before the indexer runs. Default 200 ms. */
  quietMs?: number;
  /** Tail size beyond which it also runs under load. Default 50,000 spans. */
  maxLag?: number;
  /** Largest share of the time that steps take under load (beyond `maxLag`). Default 0.2. */
  maxShare?: number;
  /** Told once about the first failed step (the next write retries). */
  warn?: (message: string) => void;
}

// Writers on PostgreSQL take this lock shared, so a step (exclusive) never passes a sequence number
// of a transaction still in flight, which would commit below the mark and never be indexed.
export const SEARCH_LOCK = 4243;

/** One step: copy up to $2 spans above mark $1 and advance the mark; answers the new mark and count. */
const STEP = `
  with batch as (
    select trace_id, span_id, search_seq, ${SEARCH_TEXT_SQL} as text from spans
    where search_seq > $1::bigint order by search_seq limit $2
  ), copied as (
    insert into span_search (trace_id, span_id, seq, text) select trace_id, span_id, search_seq, text from batch
    on conflict (trace_id, span_id) do update set seq = excluded.seq, text = excluded.text
  ), moved as (
    update search_state set indexed_upto = (select max(search_seq) from batch) where exists (select 1 from batch)
  )
  select count(*)::int as n from batch`;

/** Copy one step's spans; resolves to how many were copied (fewer than `batch`: the tail is empty). */
export async function indexStep(db: SqlDatabase, batch: number): Promise<number> {
  return db.transaction(async (tx: SqlRunner) => {
    // Each copied row's foreign-key check (span_search → spans) runs a plan cached for the session.
    // Made at the first steps of a fresh store, while `spans` was tiny, it was a sequential scan, kept
    // until the next analyze: indexing 20,000 spans then read 200 million rows (46 s instead of ~6 s).
    // Dropping cached plans at each step plans the check again for the table as it is now.
    await tx.exec(`discard plans; select pg_advisory_xact_lock(${SEARCH_LOCK})`);
    const [state] = await tx.query<{ upto: string }>("select indexed_upto::text as upto from search_state");
    const [row] = await tx.query<{ n: number }>(STEP, [state?.upto ?? "0", batch]);
    return Number(row?.n ?? 0);
  });
}

/** Spans not yet in the search index. */
export async function searchLag(db: SqlRunner): Promise<number> {
  const [row] = await db.query<{ n: string }>(
    "select count(*)::text as n from spans where search_seq > (select indexed_upto from search_state)",
  );
  return Number(row?.n ?? 0);
}

export class SearchIndexer {
  private lag = 0;
  private lastWrite = 0;
  /** When the last step ended and how long it took (ms), for the share it takes under load. */
  private lastStep = { end: 0, ms: 0 };
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private warned = false;

  constructor(private readonly opts: SearchIndexerOptions) {}

  /** Start from the tail left by an earlier run (or a migration). */
  async start(): Promise<void> {
    this.lag = await searchLag(this.opts.db);
    if (this.lag > 0) this.schedule(0);
  }

  /** Spans not yet indexed, as far as this process knows (exact after {@link catchUp}). */
  get pending(): number {
    return this.lag;
  }

  /** A write of `spans` spans committed. */
  written(spans: number): void {
    this.lag += spans;
    this.lastWrite = Date.now();
    // under load, a step after this write once the last one is far enough behind for its share
    const share = this.opts.maxShare ?? 0.2;
    const due = this.lastStep.end + (this.lastStep.ms * (1 - share)) / share <= Date.now();
    if (this.lag > (this.opts.maxLag ?? 50_000) && due) void this.step();
    else this.schedule(this.opts.quietMs ?? 200);
  }

  /** Index everything now (tests, benchmarks, shutdown of a short-lived tool). */
  async catchUp(): Promise<void> {
    while (!this.stopped) {
      if (this.running) await this.running;
      else if ((await this.step()) < this.batch) break;
    }
    if (!this.stopped) this.lag = await searchLag(this.opts.db);
  }

  /** No further steps; resolves when a running one has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private get batch(): number {
    return this.opts.batch ?? 250;
  }

  private schedule(delayMs: number): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const quiet = this.opts.quietMs ?? 200;
      const wait = this.lastWrite + quiet - Date.now();
      if (wait > 0 || !this.opts.queue.idle()) return this.schedule(Math.max(wait, quiet));
      void this.step().then((n) => {
        if (n === this.batch) this.schedule(0);
      });
    }, delayMs);
    this.timer.unref();
  }

  /** One step between writes; 0 when stopped, busy with another step, or failed. */
  private async step(): Promise<number> {
    if (this.stopped || this.running) return 0;
    let copied = 0;
    this.running = this.opts.queue
      .exclusive(async () => {
        if (this.stopped) return 0;
        const started = Date.now();
        try {
          return await indexStep(this.opts.db, this.batch);
        } finally {
          this.lastStep = { end: Date.now(), ms: Date.now() - started };
        }
      })
      .then(
        (n) => {
          copied = n;
          this.lag = n < this.batch ? 0 : Math.max(this.lag - n, 0);
        },
        (err: unknown) => {
          if (this.warned || this.stopped) return;
          this.warned = true;
          this.opts.warn?.(`search index: a background step failed (${(err as Error).message}); the next write retries it`);
        },
      )
      .finally(() => (this.running = undefined));
    await this.running;
    return copied;
  }
}
