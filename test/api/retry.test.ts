import { describe, expect, it } from "vitest";
import { isIdempotent, isRetryableStatus, parseRetryAfter, retryDelay } from "../../src/api/retry.js";

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-21T07:00:00Z");
  it("reads delta-seconds", () => {
    expect(parseRetryAfter("3", now)).toBe(3000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
  });
  it("reads an HTTP date relative to now", () => {
    expect(parseRetryAfter("Sat, 21 Nov 2026 07:00:05 GMT", now)).toBe(5000);
  });
  it("treats a past date as no wait", () => {
    expect(parseRetryAfter("Sat, 21 Nov 2026 06:59:00 GMT", now)).toBe(0);
  });
  it("ignores absent or garbage values", () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("-5", now)).toBeUndefined();
  });
});

describe("retryDelay", () => {
  const opts = { baseDelayMs: 100, maxDelayMs: 1000 };
  it("grows exponentially with jitter between half and the full step", () => {
    expect(retryDelay(0, undefined, opts, () => 0)).toBe(50);
    expect(retryDelay(0, undefined, opts, () => 1)).toBe(100);
    expect(retryDelay(2, undefined, opts, () => 0)).toBe(200);
    expect(retryDelay(2, undefined, opts, () => 1)).toBe(400);
  });
  it("never exceeds the cap", () => {
    expect(retryDelay(20, undefined, opts, () => 1)).toBe(1000);
  });
  it("prefers Retry-After, capped", () => {
    expect(retryDelay(0, 700, opts, () => 0)).toBe(700);
    expect(retryDelay(0, 60_000, opts, () => 0)).toBe(1000);
  });
});

describe("what is retried", () => {
  it("retries 429 and 5xx only", () => {
    expect([429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 409, 422].some(isRetryableStatus)).toBe(false);
  });
  it("retries reads only", () => {
    expect(isIdempotent("GET")).toBe(true);
    expect(["POST", "PUT", "PATCH", "DELETE"].some(isIdempotent)).toBe(false);
  });
});
