import { type Clock, MIN_FREQUENCY_MINUTES, minutes, systemClock } from "./clock.js";
import { type ImportDeps, initialState, runImport } from "./importer.js";
import type { SpanSink } from "./sink.js";
import type { StoredReport, SyncStore } from "./store.js";
import type { StoredCredential } from "./types.js";

export interface SchedulerOptions {
  store: SyncStore;
  sink: SpanSink;
  clock?: Clock;
  /** Passed to every import (window sizes, page sizes, Langfuse client options, test clients). */
  importer?: Omit<ImportDeps, "store" | "sink" | "now" | "signal">;
  /** Re-read the schedule at least this often, so edits made elsewhere are noticed. Default 60 s. */
  maxSleepMs?: number;
  onReport?: (report: StoredReport) => void;
  onError?: (err: unknown) => void;
}

/**
 * Runs each enabled credential's import when its `next_run_at` is due. At most one import per
 * credential at a time; the next run is booked before an import starts (start + frequency, never
 * under 15 minutes), so a restart resumes from the stored schedule. `stop()` aborts in-flight
 * imports (their reports say so) and waits for them.
 */
export class SyncScheduler {
  private readonly clock: Clock;
  private readonly inflight = new Map<string, Promise<StoredReport | undefined>>();
  private readonly abort = new AbortController();
  private timer: unknown;
  private ticking: Promise<unknown> | undefined;
  private started = false;
  private stopped = false;

  constructor(private readonly o: SchedulerOptions) {
    this.clock = o.clock ?? systemClock;
  }

  /** Recover imports a crash left "running", then arm the timer (due credentials run at once). */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const now = new Date(this.clock.now()).toISOString();
    for (const c of await this.o.store.listCredentials()) {
      const s = await this.o.store.getState(c.id);
      if (!s) await this.o.store.putState({ ...initialState(c.id), next_run_at: now });
      else if (s.status === "running")
        await this.o.store.putState({
          ...s,
          status: "fail",
          last_error: "interrupted: the server stopped during this import; the next run re-scans the same window",
        });
    }
    this.poke();
  }

  /** Stop the timer, abort running imports and wait for them to record their reports. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.abort.abort();
    await this.whenIdle();
  }

  isRunning(credentialId: string): boolean {
    return this.inflight.has(credentialId);
  }

  /** Resolves when no tick and no import is in flight. */
  async whenIdle(): Promise<void> {
    while (this.ticking || this.inflight.size > 0) {
      await this.ticking;
      await Promise.all(this.inflight.values());
    }
  }

  /** Re-read the schedule now (after a credential or settings change). */
  poke(): void {
    if (!this.started || this.stopped) return;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.tick();
    }, 0);
  }

  /** Start every due import and re-arm; resolves with the reports of the imports this tick started. */
  async tick(): Promise<StoredReport[]> {
    if (this.ticking) {
      await this.ticking;
      return [];
    }
    const launching = this.launchDue().catch((err) => {
      this.o.onError?.(err);
      return [] as Promise<StoredReport | undefined>[];
    });
    this.ticking = launching.then(() => []);
    const launched = await launching;
    this.ticking = undefined;
    void this.arm();
    return (await Promise.all(launched)).filter((r): r is StoredReport => r !== undefined);
  }

  private async launchDue(): Promise<Promise<StoredReport | undefined>[]> {
    if (this.stopped) return [];
    const now = this.clock.now();
    const due: Promise<StoredReport | undefined>[] = [];
    for (const c of await this.o.store.listCredentials()) {
      if (this.inflight.has(c.id)) continue;
      const settings = await this.o.store.getSettings(c.workspace_id);
      if (!settings.schedule_enabled) continue;
      const state = (await this.o.store.getState(c.id)) ?? initialState(c.id);
      const next = state.next_run_at ? Date.parse(state.next_run_at) : now;
      const last = state.last_run_started_at ? Date.parse(state.last_run_started_at) : -Infinity;
      if (next > now || now - last < minutes(MIN_FREQUENCY_MINUTES)) continue;
      const freq = Math.max(MIN_FREQUENCY_MINUTES, settings.frequency_minutes);
      await this.o.store.putState({ ...state, next_run_at: new Date(now + minutes(freq)).toISOString() });
      due.push(this.launch(c));
    }
    return due;
  }

  private launch(c: StoredCredential): Promise<StoredReport | undefined> {
    const run = (async () => {
      try {
        const settings = await this.o.store.getSettings(c.workspace_id);
        const report = await runImport(c, settings, {
          ...this.o.importer,
          store: this.o.store,
          sink: this.o.sink,
          now: () => this.clock.now(),
          signal: this.abort.signal,
        });
        this.o.onReport?.(report);
        return report;
      } catch (err) {
        this.o.onError?.(err);
        return undefined;
      } finally {
        this.inflight.delete(c.id);
        void this.arm();
      }
    })();
    this.inflight.set(c.id, run);
    return run;
  }

  private async arm(): Promise<void> {
    if (this.stopped) return;
    let earliest = Infinity;
    try {
      for (const c of await this.o.store.listCredentials()) {
        if (!(await this.o.store.getSettings(c.workspace_id)).schedule_enabled) continue;
        const s = await this.o.store.getState(c.id);
        const last = s?.last_run_started_at ? Date.parse(s.last_run_started_at) + minutes(MIN_FREQUENCY_MINUTES) : -Infinity;
        const next = s?.next_run_at ? Date.parse(s.next_run_at) : this.clock.now();
        earliest = Math.min(earliest, Math.max(next, last));
      }
    } catch (err) {
      this.o.onError?.(err);
    }
    if (this.stopped || this.ticking) return;
    const delay = Math.min(this.o.maxSleepMs ?? 60_000, Math.max(0, earliest - this.clock.now()));
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.tick();
    }, delay);
  }
}
