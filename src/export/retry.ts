/** The retry policy as pure functions: what to do with one attempt's outcome. */
import { type JitteredBackoff, jitteredBackoff, parseRetryAfter as parseRetryAfterHeader } from "../retry.js";

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

/** `Retry-After` in ms, clamped to [100 ms, capMs]; undefined when absent or unparseable. */
export function parseRetryAfter(value: string | undefined, capMs: number, now = Date.now()): number | undefined {
  const ms = parseRetryAfterHeader(value, now);
  return ms === undefined ? undefined : Math.min(capMs, Math.max(RETRY_AFTER_FLOOR_MS, ms));
}

export type BackoffPolicy = JitteredBackoff;

/** Exponential backoff for retry number `retry` (0-based): initial ×2ⁿ, ±20 % jitter, capped. */
export const backoffMs = jitteredBackoff;
