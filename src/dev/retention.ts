import { setImmediate as yieldToIo } from "node:timers/promises";
import type { Store } from "./store/index.js";
import type { RetentionPolicy, TrimResult } from "./store/retention.js";

export type { RetentionPolicy } from "./store/retention.js";

const HOUR = 3_600_000;
const UNITS: Record<string, number> = { h: HOUR, d: 24 * HOUR, w: 7 * 24 * HOUR };
const COUNTS: Record<string, number> = { "": 1, k: 1_000, M: 1_000_000 };

/** Kept unless told otherwise: a week of runs, at most a million spans (a few GB on disk). */
export const DEFAULT_RETENTION: RetentionPolicy = { maxAgeMs: 7 * 24 * HOUR, maxSpans: 1_000_000 };

/** Thrown for a `--retention` value that cannot be read; the message says what is accepted. */
export class RetentionSyntaxError extends Error {
  override readonly name = "RetentionSyntaxError";
}

/**
 * `--retention`: `off`, or comma-separated terms: an age (`12h`, `7d`, `2w`) and/or a span count
 * (`500000`, `500k`, `2M`). What is not named is unlimited: `7d` keeps any number of spans from the
 * last week, `1M` keeps the newest million spans whatever their age.
 */
export function parseRetention(text: string): RetentionPolicy {
  const value = text.trim();
  if (value === "off" || value === "none") return {};
  const policy: RetentionPolicy = {};
  for (const term of value.split(",").map((t) => t.trim())) {
    const age = /^(\d+(?:\.\d+)?)([hdw])$/.exec(term);
    const count = /^(\d+)(k|M)?$/.exec(term);
    if (age && policy.maxAgeMs === undefined && Number(age[1]) > 0) policy.maxAgeMs = Number(age[1]) * UNITS[age[2]!]!;
    else if (count && policy.maxSpans === undefined && Number(count[1]) > 0) policy.maxSpans = Number(count[1]) * COUNTS[count[2] ?? ""]!;
    else {
      throw new RetentionSyntaxError(
        `--retention ${JSON.stringify(text)} is not understood: use an age (12h, 7d, 2w), a span count (500000, 500k, 2M), both separated by a comma (7d,1M), or off`,
      );
    }
  }
  return policy;
}

/** `7 days, 1,000,000 spans` / `off`, for start-up output and /health. */
export function describeRetention(p: RetentionPolicy): string {
  const parts: string[] = [];
  if (p.maxAgeMs !== undefined) {
    const days = p.maxAgeMs / (24 * HOUR);
    parts.push(Number.isInteger(days) ? `${days} day${days === 1 ? "" : "s"}` : `${p.maxAgeMs / HOUR} hours`);
  }
  if (p.maxSpans !== undefined) parts.push(`${p.maxSpans.toLocaleString("en-US")} spans`);
  return parts.length ? parts.join(", ") : "off";
}

export interface RetentionLoop {
  /** Trim until nothing is left beyond the policy (what a timer tick does); resolves to the total. */
  runNow(): Promise<TrimResult>;
  /** The last pass that removed something, for /health. */
  readonly last: (TrimResult & { at: string }) | undefined;
  stop(): Promise<void>;
}

/**
 * Trim in the background: every `intervalMs` (and shortly after start), remove the oldest runs beyond
 * the policy, a chunk of runs per short transaction and yielding to I/O between chunks, so ingest is
 * never held for more than one chunk.
 */
export function startRetention(opts: {
  store: Pick<Store, "trimChunk">;
  policy: RetentionPolicy;
  now: () => Date;
  intervalMs?: number;
  onError: (err: unknown) => void;
}): RetentionLoop {
  const enabled = opts.policy.maxAgeMs !== undefined || opts.policy.maxSpans !== undefined;
  let last: (TrimResult & { at: string }) | undefined;
  let running: Promise<TrimResult> | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const pass = async (): Promise<TrimResult> => {
    const total = { traces: 0, spans: 0 };
    while (!stopped) {
      const r = await opts.store.trimChunk(opts.policy, opts.now());
      if (r.traces === 0) break;
      total.traces += r.traces;
      total.spans += r.spans;
      await yieldToIo();
    }
    if (total.traces > 0) last = { ...total, at: opts.now().toISOString() };
    return total;
  };
  const runNow = () => (running ??= pass().finally(() => (running = undefined)));
  const schedule = (ms: number) => {
    if (stopped || !enabled) return;
    timer = setTimeout(() => {
      runNow()
        .catch(opts.onError)
        .finally(() => schedule(opts.intervalMs ?? 60_000));
    }, ms);
    timer.unref();
  };
  schedule(Math.min(5_000, opts.intervalMs ?? 60_000));
  return {
    runNow: () => (enabled ? runNow() : Promise.resolve({ traces: 0, spans: 0 })),
    get last() {
      return last;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
