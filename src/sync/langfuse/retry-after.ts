/**
 * Seconds to wait from a 429: the `Retry-After` header (integer seconds or an HTTP date), else the
 * JSON body's `details.retryAfterSeconds`. The body may be plain text ("429 - rate limit exceeded",
 * the pre-2026-06 variant), so it is never required. `X-RateLimit-Reset` is Date.toString() text
 * and deliberately ignored.
 */
export function retryAfterMs(header: string | string[] | undefined, bodyText: string, now: number): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value !== undefined && value.trim() !== "") {
    const secs = Number(value.trim());
    if (Number.isFinite(secs) && secs >= 0) return Math.round(secs * 1000);
    const at = Date.parse(value);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  try {
    const body = JSON.parse(bodyText) as { details?: { retryAfterSeconds?: unknown } };
    const secs = body?.details?.retryAfterSeconds;
    if (typeof secs === "number" && Number.isFinite(secs) && secs >= 0) return Math.round(secs * 1000);
  } catch {
    // text body: fine, the header (or the default backoff) decides
  }
  return undefined;
}
