/** Pure retry policy of the management client: which failures to retry and how long to wait. */

export interface BackoffOptions {
  /** First delay before jitter. */
  baseDelayMs: number;
  /** Upper bound of any single wait, including a server's `Retry-After`. */
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseDelayMs: 200, maxDelayMs: 10_000 };

/** Only reads are retried: a repeated POST could create a second credential. */
export function isIdempotent(method: string): boolean {
  const m = method.toUpperCase();
  return m === "GET" || m === "HEAD";
}

/** 429 (rate limited) and 5xx (server trouble) are worth another try; other 4xx are not. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

export { parseRetryAfter } from "../retry.js";

/**
 * Delay before retry number `attempt` (0-based): exponential growth with "equal jitter"
 * (half fixed, half random) so that many clients do not retry in lockstep. A server's
 * `Retry-After` wins over the computed delay; both are capped at `maxDelayMs`.
 */
export function retryDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, options.maxDelayMs);
  const exp = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
  return Math.round(exp / 2 + (exp / 2) * random());
}
