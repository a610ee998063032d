import type { Clock } from "../../src/sync/clock.js";

/** A clock that only moves when told to; timers fire in due order as time passes. */
export class ManualClock implements Clock {
  private timers = new Map<number, { at: number; fn: () => void }>();
  private seq = 0;

  constructor(public t: number) {}

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Fire every timer due at the current time (those armed while firing, too, when due). */
  async flush(settle: () => Promise<void>): Promise<void> {
    for (let guard = 0; guard < 1000; guard++) {
      const due = [...this.timers].filter(([, x]) => x.at <= this.t).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) {
        await settle();
        await new Promise((r) => setImmediate(r));
        if (![...this.timers.values()].some((x) => x.at <= this.t)) return;
        continue;
      }
      this.timers.delete(due[0]);
      due[1].fn();
      await settle();
    }
  }

  /** Move time forward step by step so periodic timers fire at their own instants. */
  async advance(ms: number, settle: () => Promise<void>): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await this.flush(settle);
      const next = Math.min(...[...this.timers.values()].map((x) => x.at));
      if (!(next <= end)) break;
      this.t = Math.max(this.t, next);
    }
    this.t = end;
    await this.flush(settle);
  }
}
