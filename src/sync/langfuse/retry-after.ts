import { parseRetryAfter } from "../../retry.js";

/**
 * Seconds to wait from a 429: the `Retry-After` header (integer seconds or an HTTP date), else the
 * JSON body's `details.retryAfterSeconds`. The body may be plain text ("429 - rate limit exceeded",
 * the pre-2026-06 variant), so it is never required. `X-RateLimit-Reset` is Date.toString() text
 * and deliberately ignored.
 */
export function retryAfterMs(header: string | string[] | undefined, bodyText: string, now: number): number | undefined {
  const fromHeader = parseRetryAfter(header, now);
  if (fromHeader !== undefined) return fromHeader;
  try {
    const body = JSON.parse(bodyText) as { details?: { retryAfterSeconds?: unknown } };
    const secs = body?.details?.retryAfterSeconds;
    if (typeof secs === "number" && Number.isFinite(secs) && secs >= 0) return Math.round(secs * 1000);
  } catch {
    // text body: fine, the header (or the default backoff) decides
  }
  return undefined;
}
