import { describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../../src/dev/index.js";
import { describeRetention, parseRetention, RetentionSyntaxError } from "../../src/dev/retention.js";
import { freshDataDir, getJson, otlpBody, otlpSpan, postTraces, spanId, traceId } from "./helpers.js";

const DAY = 86_400_000;
const PER_TRACE = 10;

/** Spans of trace `t` (ids t*100+s), posted in pieces of `piece` spans so traces straddle requests. */
async function postRuns(server: DevServer, traces: number[], piece = 7): Promise<void> {
  const spans = traces.flatMap((t) =>
    Array.from({ length: PER_TRACE }, (_, s) => otlpSpan({ trace: t, span: t * 100 + s, ...(s ? { parent: t * 100 } : {}) })),
  );
  for (let i = 0; i < spans.length; i += piece) {
    expect((await postTraces(server, otlpBody(spans.slice(i, i + piece)))).status).toBe(200);
  }
}

async function runs(server: DevServer): Promise<Array<{ trace_id: string; span_count: number }>> {
  return (await getJson(server, `/workspaces/${server.workspaceId}/traces?limit=500`)).body.items;
}

/** Every stored run is whole: its summary's span count is the number of its spans that are stored. */
async function expectWhole(server: DevServer): Promise<void> {
  for (const run of await runs(server)) {
    const spans = (await getJson(server, `/traces/${run.trace_id}/spans`)).body.items;
    expect(spans.length).toBe(run.span_count);
    expect(run.span_count).toBe(PER_TRACE);
  }
}

async function until(check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("--retention values", () => {
  it("reads ages, span counts, both, and off; unnamed limits are unlimited", () => {
    expect(parseRetention("7d")).toEqual({ maxAgeMs: 7 * DAY });
    expect(parseRetention("12h,500k")).toEqual({ maxAgeMs: DAY / 2, maxSpans: 500_000 });
    expect(parseRetention("2M, 2w")).toEqual({ maxSpans: 2_000_000, maxAgeMs: 14 * DAY });
    expect(parseRetention("250000")).toEqual({ maxSpans: 250_000 });
    expect(parseRetention("off")).toEqual({});
    expect(describeRetention({ maxAgeMs: 7 * DAY, maxSpans: 1_000_000 })).toBe("7 days, 1,000,000 spans");
    expect(describeRetention({})).toBe("off");
  });

  it("rejects what it cannot read, saying what is accepted", () => {
    for (const bad of ["7", "7 days", "1d,2d", "0d", "-5", "10x", ""]) {
      if (bad === "7") continue; // a bare number is a span count
      expect(() => parseRetention(bad)).toThrow(RetentionSyntaxError);
    }
    expect(() => parseRetention("7 days")).toThrow(/an age \(12h, 7d, 2w\), a span count/);
  });
});

describe("retention", () => {
  it("trims the oldest runs beyond the span count whole, while new runs keep arriving", { timeout: 120_000 }, async () => {
    const server = await startDevServer({ dataDir: await freshDataDir(), retention: { maxSpans: 60 }, retentionIntervalMs: 20 });
    try {
      // 20 runs of 10 spans arrive in 7-span requests while the trimmer runs every 20 ms
      await postRuns(
        server,
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
      await until(async () => (await getJson(server, "/health")).body.footprint.spans <= 60);
      await expectWhole(server);
      const kept = (await runs(server)).map((r) => r.trace_id).sort();
      expect(kept).toEqual([15, 16, 17, 18, 19, 20].map(traceId).sort());
      expect((await getJson(server, `/traces/${traceId(1)}`)).status).toBe(404);
      expect((await getJson(server, `/spans/${spanId(105)}`)).status).toBe(404);
      const health = (await getJson(server, "/health")).body;
      expect(health.retention).toMatchObject({ policy: "60 spans", max_spans: 60, max_age_ms: null });
      expect(health.retention.last_trim.traces).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  it("trims runs last written before the age limit, and keeps newer ones", { timeout: 120_000 }, async () => {
    let now = Date.UTC(2026, 0, 1);
    const server = await startDevServer({
      dataDir: await freshDataDir(),
      clock: () => now,
      retention: { maxAgeMs: 7 * DAY },
      retentionIntervalMs: 20,
    });
    try {
      await postRuns(server, [1, 2]);
      now += 6 * DAY;
      await postRuns(server, [3]);
      now += 2 * DAY; // runs 1 and 2 are now 8 days old, run 3 two days
      await until(async () => (await runs(server)).length === 1);
      expect((await runs(server)).map((r) => r.trace_id)).toEqual([traceId(3)]);
      await expectWhole(server);
    } finally {
      await server.close();
    }
  });

  it("reports the disk footprint in GET /health (authenticated) and keeps everything when off", { timeout: 120_000 }, async () => {
    const server = await startDevServer({ dataDir: await freshDataDir(), retention: {}, retentionIntervalMs: 20 });
    try {
      await postRuns(server, [1, 2, 3]);
      expect((await getJson(server, "/health", "bl_pk_dev_wrong")).status).toBe(401);
      const health = (await getJson(server, "/health")).body;
      expect(health.status).toBe("ok");
      expect(health.footprint).toMatchObject({ spans: 30, runs: 3 });
      expect(health.footprint.table_bytes).toBeGreaterThan(0);
      expect(health.footprint.disk_bytes).toBeGreaterThan(health.footprint.table_bytes);
      expect(health.retention.policy).toBe("off");
      await new Promise((r) => setTimeout(r, 200));
      expect((await runs(server)).length).toBe(3);
      expect(await server.footprint()).toMatchObject({ spans: 30, runs: 3 });
    } finally {
      await server.close();
    }
  });
});
