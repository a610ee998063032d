/**
 * Retry primitives shared by every HTTP client in the package (span export, management API,
 * Langfuse import): one `Retry-After` parser and one jittered exponential backoff.
 */

/**
 * Parse a `Retry-After` value (delta-seconds or an HTTP date) into milliseconds from `now`.
 * A date in the past means 0. Returns undefined when absent or unparseable; callers clamp.
 */
export function parseRetryAfter(header: string | readonly string[] | null | undefined, now: number = Date.now()): number | undefined {
  const value = (typeof header === "string" ? header : header?.[0])?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  if (!/[a-z]/i.test(value)) return undefined; // an HTTP date names its day and month
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export interface JitteredBackoff {
  /** Delay of the first retry, in ms. */
  initialMs: number;
  /** Largest delay, in ms, jitter included. */
  maxMs: number;
}

/** Delay before retry number `retry` (0-based): initial ×2ⁿ with ±20 % jitter, capped at `maxMs`. */
export function jitteredBackoff(retry: number, p: JitteredBackoff, random: () => number = Math.random): number {
  const base = Math.min(p.maxMs, p.initialMs * 2 ** retry);
  return Math.min(p.maxMs, Math.max(0, Math.round(base * (0.8 + 0.4 * random()))));
}
