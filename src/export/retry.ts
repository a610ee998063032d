/** The retry policy as pure functions: what to do with one attempt's outcome. */

export const RETRY_AFTER_FLOOR_MS = 100;

export type Verdict =
  | { action: "success" }
  | { action: "retry"; retryAfterMs?: number }
  | { action: "split" }
  | { action: "unauthorized" }
  | { action: "reject" };

const RETRYABLE = new Set([429, 502, 503, 504]);

/** Classify an HTTP status (or a network failure, status 0). */
export function classify(status: number, retryAfterMs?: number): Verdict {
  if (status >= 200 && status < 300) return { action: "success" };
  if (status === 0 || RETRYABLE.has(status)) return retryAfterMs === undefined ? { action: "retry" } : { action: "retry", retryAfterMs };
  if (status === 413) return { action: "split" };
  if (status === 401 || status === 403) return { action: "unauthorized" };
  return { action: "reject" };
}

/**
 * Parse `Retry-After` (delta seconds or HTTP-date) into ms, clamped to [100 ms, capMs].
 * Returns undefined when absent or unparseable.
 */
export function parseRetryAfter(value: string | undefined, capMs: number, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(v)) ms = Number(v) * 1000;
  else {
    const at = Date.parse(v);
    if (Number.isNaN(at)) return undefined;
    ms = at - now;
  }
  return Math.min(capMs, Math.max(RETRY_AFTER_FLOOR_MS, ms));
}

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
}

/** Exponential backoff for retry number `retry` (0-based): initial ×2ⁿ, ±20 % jitter, capped. */
export function backoffMs(retry: number, p: BackoffPolicy, random: () => number = Math.random): number {
  const base = Math.min(p.maxMs, p.initialMs * 2 ** retry);
  const jittered = base * (0.8 + 0.4 * random());
  return Math.min(p.maxMs, Math.max(0, Math.round(jittered)));
}
