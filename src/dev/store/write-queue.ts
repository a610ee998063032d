import type { WriteItem } from "./write.js";

interface Waiting extends WriteItem {
  resolve: () => void;
  reject: (err: unknown) => void;
}

interface Job {
  job: () => Promise<void>;
}

/** A group taken from the queue, with what `prepare` made of it (undefined: prepare failed or is absent). */
interface Group<P> {
  items: Waiting[];
  prepared: P | undefined;
}

/**
 * Group commit: requests that arrive while a transaction is running are written together in the
 * next one, so the per-commit cost (WAL flush, trace-summary refresh) is paid once per group, not
 * once per request. Each caller's promise resolves only after the transaction holding its spans
 * committed. When a group fails, its requests are retried one by one, so one bad request never
 * fails the others (an exporter retry of a failed one cannot duplicate: spans are upserted).
 * `writers` groups run at once (default 1). A PostgreSQL server runs several on its own cores
 * (summary merges stay exact: see write.ts); the embedded engine's thread takes two and runs them
 * one after the other, so it starts the next without waiting for this thread. With more than one,
 * a group retried request by request after a failure may commit after a later group: a span sent
 * in both then keeps the retried copy. An `exclusive` job runs alone.
 *
 * With `prepare`, the next group is taken and prepared (encoded) as soon as every writer is busy,
 * so this thread encodes group N+1 while the engine writes group N, and the engine goes from one
 * transaction to the next without waiting for the encoding. Requests arriving after that wait for
 * the group after it.
 */
export class WriteQueue<P = never> {
  private readonly pending: Array<Waiting | Job> = [];
  private staged: Group<P> | undefined;
  private running = 0;
  private exclusiveRunning = false;

  constructor(
    private readonly opts: {
      /** Write a group in one transaction; `prepared` is `prepare(items)` when that ran and succeeded. */
      write: (items: readonly WriteItem[], prepared?: P) => Promise<void>;
      /** Encode a group ahead of its transaction (pure CPU work; a throw only means `write` gets none). */
      prepare?: (items: readonly WriteItem[]) => P;
      /** Largest group, in spans (a single larger request still goes alone). Default 8192. */
      maxSpans?: number;
      /** Groups written at the same time. Default 1. */
      writers?: number;
    },
  ) {}

  /** Resolves once `item`'s spans are committed; rejects with the database error otherwise. */
  write(item: WriteItem): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ ...item, resolve, reject });
      this.kick();
    });
  }

  /**
   * Run `fn` alone, between two write transactions (retention deletes use it so that a run being
   * deleted never receives spans from a concurrent write in the middle).
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ job: () => fn().then(resolve, reject) });
      this.kick();
    });
  }

  /** No write running, prepared or waiting (nor an exclusive job). */
  idle(): boolean {
    return this.running === 0 && this.pending.length === 0 && this.staged === undefined;
  }

  private kick(): void {
    const writers = this.opts.writers ?? 1;
    while (!this.exclusiveRunning) {
      if (this.staged) {
        // a prepared group goes before anything queued after it
        if (this.running >= writers) return;
        const group = this.staged;
        this.staged = undefined;
        this.start(group);
        continue;
      }
      const first = this.pending[0];
      if (!first) return;
      if ("job" in first) {
        if (this.running > 0) return; // it waits for the running groups
        this.pending.shift();
        this.exclusiveRunning = true;
        this.running++;
        void first.job().finally(() => this.done(true));
        return;
      }
      if (this.running >= writers) {
        if (this.opts.prepare) this.staged = this.take();
        return;
      }
      this.start(this.take());
    }
  }

  private start(group: Group<P>): void {
    this.running++;
    void this.run(group).finally(() => this.done(false));
  }

  private done(exclusive: boolean): void {
    this.running--;
    if (exclusive) this.exclusiveRunning = false;
    this.kick();
  }

  private take(): Group<P> {
    const max = this.opts.maxSpans ?? 8192;
    const items = [this.pending.shift() as Waiting];
    let spans = items[0]!.rows.length;
    for (let next = this.pending[0]; next && !("job" in next) && spans + next.rows.length <= max; next = this.pending[0]) {
      this.pending.shift();
      spans += next.rows.length;
      items.push(next);
    }
    let prepared: P | undefined;
    try {
      prepared = this.opts.prepare?.(items);
    } catch {
      // write() prepares again and its error goes to the callers
    }
    return { items, prepared };
  }

  private async run({ items, prepared }: Group<P>): Promise<void> {
    try {
      await this.opts.write(items, prepared);
      for (const w of items) w.resolve();
    } catch (err) {
      if (items.length === 1) return items[0]!.reject(err);
      for (const w of items) {
        await this.opts.write([w]).then(w.resolve, w.reject);
      }
    }
  }
}
