import { describe, expect, it } from "vitest";
import { backoffMs, classify, parseRetryAfter } from "../../src/export/retry.js";

describe("retry policy", () => {
  it("retries 429/502/503/504 and network errors only", () => {
    for (const s of [429, 502, 503, 504, 0]) expect(classify(s).action).toBe("retry");
    for (const s of [400, 404, 422, 500, 301, 307, 418]) expect(classify(s).action).toBe("reject");
    expect(classify(401).action).toBe("unauthorized");
    expect(classify(403).action).toBe("unauthorized");
    expect(classify(413).action).toBe("split");
    expect(classify(200).action).toBe("success");
    expect(classify(204).action).toBe("success");
  });

  it("parses Retry-After as seconds or an HTTP-date, floored at 100 ms and capped", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("2", 300_000, now)).toBe(2000);
    expect(parseRetryAfter("0", 300_000, now)).toBe(100);
    expect(parseRetryAfter("100000", 300_000, now)).toBe(300_000);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:07 GMT", 300_000, now)).toBe(7000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 00:00:00 GMT", 300_000, now)).toBe(100);
    expect(parseRetryAfter("soon", 300_000, now)).toBeUndefined();
    expect(parseRetryAfter(undefined, 300_000, now)).toBeUndefined();
  });

  it("backs off from 1 s doubling with ±20 % jitter, capped at 30 s", () => {
    const p = { initialMs: 1000, maxMs: 30_000 };
    expect([0, 1, 2, 3, 4].map((r) => backoffMs(r, p, () => 0.5))).toEqual([1000, 2000, 4000, 8000, 16000]);
    expect(backoffMs(0, p, () => 0)).toBe(800);
    expect(backoffMs(0, p, () => 0.999999)).toBe(1200);
    expect(backoffMs(10, p, () => 0.999999)).toBe(30_000);
  });
});

describe("export options", () => {
  it("fall back to defaults for junk values and keep meaningful zeros", async () => {
    const { withDefaults, EXPORT_DEFAULTS } = await import("../../src/export/types.js");
    const o = withDefaults({
      maxExportBatchSize: 0,
      maxQueueSize: -1,
      flushIntervalMs: NaN,
      maxRetries: 0,
      exportTimeoutMs: 2.5,
      allowInsecureHttp: "yes" as never,
    });
    expect(o).toEqual({ ...EXPORT_DEFAULTS, maxRetries: 0, exportTimeoutMs: 3 });
  });
});
