import type { WriteItem } from "./write.js";

interface Waiting extends WriteItem {
  resolve: () => void;
  reject: (err: unknown) => void;
}

interface Job {
  job: () => Promise<void>;
}

/**
 * Group commit: requests that arrive while a transaction is running are written together in the
 * next one, so the per-commit cost (WAL flush, trace-summary refresh) is paid once per group, not
 * once per request. Each caller's promise resolves only after the transaction holding its spans
 * committed. When a group fails, its requests are retried one by one, so one bad request never
 * fails the others (an exporter retry of a failed one cannot duplicate: spans are upserted).
 * `writers` groups run at once (default 1). The embedded engine is single-threaded, so one is
 * enough there; a PostgreSQL server runs several on its own cores (summary merges stay exact: see
 * write.ts). An `exclusive` job runs alone.
 */
export class WriteQueue {
  private readonly pending: Array<Waiting | Job> = [];
  private running = 0;
  private exclusiveRunning = false;

  constructor(
    private readonly opts: {
      write: (items: readonly WriteItem[]) => Promise<void>;
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

  /** No write running or waiting (nor an exclusive job). */
  idle(): boolean {
    return this.running === 0 && this.pending.length === 0;
  }

  private kick(): void {
    while (this.pending.length > 0 && !this.exclusiveRunning) {
      const first = this.pending[0]!;
      if ("job" in first) {
        if (this.running > 0) return; // it waits for the running groups
        this.pending.shift();
        this.exclusiveRunning = true;
        this.running++;
        void first.job().finally(() => this.done(true));
        return;
      }
      if (this.running >= (this.opts.writers ?? 1)) return;
      this.running++;
      void this.run(this.take()).finally(() => this.done(false));
    }
  }

  private done(exclusive: boolean): void {
    this.running--;
    if (exclusive) this.exclusiveRunning = false;
    this.kick();
  }

  private take(): Waiting[] {
    const max = this.opts.maxSpans ?? 8192;
    const group = [this.pending.shift() as Waiting];
    let spans = group[0]!.rows.length;
    for (let next = this.pending[0]; next && !("job" in next) && spans + next.rows.length <= max; next = this.pending[0]) {
      this.pending.shift();
      spans += next.rows.length;
      group.push(next);
    }
    return group;
  }

  private async run(group: Waiting[]): Promise<void> {
    try {
      await this.opts.write(group);
      for (const w of group) w.resolve();
    } catch (err) {
      if (group.length === 1) return group[0]!.reject(err);
      for (const w of group) {
        await this.opts.write([w]).then(w.resolve, w.reject);
      }
    }
  }
}
