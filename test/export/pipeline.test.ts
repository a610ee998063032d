import { inspect } from "node:util";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { IO_REMOVED_MARKER } from "../../src/export/exporter.js";
import { createExportPipeline } from "../../src/export/pipeline.js";
import type { ExportOptions, ExportPipeline, ExportStats } from "../../src/export/types.js";
import { resetLogState } from "../../src/log.js";
import { FaultServer } from "../helpers/fault-server.js";
import { TEST_KEY } from "../helpers/receiver.js";

const server = new FaultServer();
let pipeline: ExportPipeline;
let provider: BasicTracerProvider;

// Scaled-down retry timing: the behaviour is proportional, so tests stay fast.
const FAST: ExportOptions = {
  retryInitialDelayMs: 20,
  retryMaxDelayMs: 200,
  retryBudgetMs: 2000,
  flushIntervalMs: 20,
  exportTimeoutMs: 1000,
};

function start(options: ExportOptions = {}, baseUrl = server.url): void {
  pipeline = createExportPipeline({ apiKey: TEST_KEY, baseUrl, ...FAST, ...options });
  provider = new BasicTracerProvider({ spanProcessors: [pipeline] });
}
function emit(n: number, attributes: Record<string, string | number> = {}, prefix = "s"): void {
  for (let i = 0; i < n; i++) provider.getTracer("t").startSpan(`${prefix}${i}`, { attributes }).end();
}
function conserved(s: ExportStats): number {
  return s.exported + s.queued + Object.values(s.dropped).reduce((a, b) => a + (b ?? 0), 0);
}

beforeEach(async () => {
  await server.start();
  resetLogState();
});
afterEach(async () => {
  await pipeline?.close({ timeoutMs: 500 });
  await server.stop();
  server.requests.length = 0;
  server.maxOpen = 0;
  server.plan = () => ({ status: 200 });
  vi.restoreAllMocks();
});

describe("export pipeline against a real local endpoint", () => {
  it("retries 503 with the same body and delivers without dropping", async () => {
    server.plan = (i) => (i < 3 ? { status: 503, headers: { "retry-after": "0" } } : { status: 200 });
    start();
    emit(10);
    expect(await pipeline.flush()).toEqual({ ok: true, pending: 0 });
    expect(server.requests).toHaveLength(4);
    expect(new Set(server.requests.map((r) => r.raw.toString("hex"))).size).toBe(1);
    expect(pipeline.stats()).toEqual({ emitted: 10, exported: 10, queued: 0, dropped: {} });
    expect(server.maxOpen).toBe(1);
  });

  it("drops with retry_exhausted after at most 5 retries", async () => {
    server.plan = () => ({ destroy: true });
    start({ retryBudgetMs: 60_000 });
    emit(3);
    await pipeline.flush();
    expect(server.requests).toHaveLength(6);
    expect(pipeline.stats().dropped).toEqual({ retry_exhausted: 3 });
  });

  it("stops retrying when the backoff budget is spent", async () => {
    server.plan = () => ({ status: 502 });
    start({ retryInitialDelayMs: 100, retryBudgetMs: 250 });
    emit(1);
    await pipeline.flush();
    expect(server.requests.length).toBeLessThanOrEqual(3);
    expect(pipeline.stats().dropped).toEqual({ retry_exhausted: 1 });
  });

  it("drops 400/404/422/500 without retrying and logs once", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    vi.stubEnv("BENTOLABS_LOG_LEVEL", "warn");
    server.plan = () => ({ status: 500 });
    start({ maxExportBatchSize: 2 });
    emit(6);
    await pipeline.flush();
    vi.unstubAllEnvs();
    expect(server.requests).toHaveLength(3);
    expect(pipeline.stats().dropped).toEqual({ rejected: 6 });
    expect(warn.mock.calls.filter((c) => String(c[0]).includes("HTTP 500"))).toHaveLength(1);
  });

  it("warns once that the API key was rejected, showing only its last 4 characters", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    vi.stubEnv("BENTOLABS_LOG_LEVEL", "warn");
    server.plan = () => ({ status: 401 });
    start({ maxExportBatchSize: 1 });
    emit(3);
    await pipeline.flush();
    vi.unstubAllEnvs();
    const lines = warn.mock.calls.map((c) => String(c[0])).filter((l) => /API key/.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`…${TEST_KEY.slice(-4)}`);
    expect(lines[0]).not.toContain(TEST_KEY.slice(0, -4));
    expect(pipeline.stats().dropped).toEqual({ unauthorized: 3 });
  });

  it("splits a batch on 413 and replaces input/output of a single too-large span by a marker", async () => {
    server.plan = (_i, r) =>
      r.raw.length > 3000 || (r.body?.resourceSpans && JSON.stringify(r.body).includes("HUGE")) ? { status: 413 } : { status: 200 };
    start({ gzipThresholdBytes: 1e9 });
    emit(8, { pad: "x".repeat(200) });
    provider
      .getTracer("t")
      .startSpan("big", { attributes: { "input.value": "HUGE".repeat(100), "output.value": "o" } })
      .end();
    await pipeline.flush();
    expect(pipeline.stats()).toMatchObject({ exported: 9, dropped: {} });
    const ok = server.requests.filter((r) => r.raw.length <= 3000 && !r.raw.includes("HUGE"));
    expect(ok.flatMap((r) => r.spanNames).sort()).toEqual(["big", "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7"]);
    const big = ok.find((r) => r.spanNames.includes("big"))!.body.resourceSpans[0].scopeSpans[0].spans[0];
    const attrs = Object.fromEntries(big.attributes.map((kv: any) => [kv.key, kv.value.stringValue]));
    expect(attrs["input.value"]).toBe(IO_REMOVED_MARKER);
    expect(attrs["output.value"]).toBe(IO_REMOVED_MARKER);
  });

  it("splits batches over the byte limit before sending", async () => {
    start({ maxBatchBytes: 20_000, gzipThresholdBytes: 1e9 });
    emit(40, { pad: "y".repeat(2000) });
    await pipeline.flush();
    expect(server.requests.length).toBeGreaterThan(3);
    expect(server.requests.every((r) => r.raw.length <= 20_000)).toBe(true);
    expect(pipeline.stats().exported).toBe(40);
  });

  it("replaces input/output of a single span over the byte limit by a marker before sending", async () => {
    start({ maxBatchBytes: 5000, gzipThresholdBytes: 1e9 });
    provider
      .getTracer("t")
      .startSpan("fat", { attributes: { "input.value": "i".repeat(10_000), "output.value": "o".repeat(10_000), keep: "k" } })
      .end();
    provider
      .getTracer("t")
      .startSpan("obese", { attributes: { "input.value": "i", other: "x".repeat(10_000) } })
      .end();
    await pipeline.flush();
    expect(server.requests.flatMap((r) => r.spanNames)).toEqual(["fat"]);
    const attrs = Object.fromEntries(
      server.requests[0]!.body.resourceSpans[0].scopeSpans[0].spans[0].attributes.map((kv: any) => [kv.key, kv.value.stringValue]),
    );
    expect(attrs).toEqual({ "input.value": IO_REMOVED_MARKER, "output.value": IO_REMOVED_MARKER, keep: "k" });
    expect(pipeline.stats()).toMatchObject({ exported: 1, dropped: { too_large: 1 } });
  });

  it("gzips bodies over the threshold only", async () => {
    start({ gzipThresholdBytes: 32 * 1024, maxExportBatchSize: 1, compression: "gzip" });
    emit(1, { pad: "z".repeat(40_000) }, "big");
    emit(1, {}, "small");
    await pipeline.flush();
    expect(server.requests.map((r) => r.headers["content-encoding"])).toEqual(["gzip", undefined]);
    expect(server.requests.map((r) => r.spanNames[0])).toEqual(["big0", "small0"]);
  });

  it("does not compress to a loopback endpoint by default: it would only cost CPU", async () => {
    start({ gzipThresholdBytes: 1024 });
    emit(1, { pad: "z".repeat(40_000) }, "big");
    await pipeline.flush();
    expect(server.requests.map((r) => r.headers["content-encoding"])).toEqual([undefined]);
  });

  it("does not follow redirects, so the key never reaches another host", async () => {
    const other = await new FaultServer().start();
    server.plan = () => ({ status: 307, headers: { location: `${other.url}/v1/traces` } });
    start();
    emit(2);
    await pipeline.flush();
    expect(other.requests).toHaveLength(0);
    expect(pipeline.stats().dropped).toEqual({ rejected: 2 });
    await other.stop();
  });

  it("ends an attempt whose body is trickled forever at the absolute deadline", async () => {
    server.plan = (i) => (i === 0 ? { trickle: true, status: 503 } : { status: 200 });
    start({ exportTimeoutMs: 300 });
    emit(2);
    const t0 = Date.now();
    expect(await pipeline.flush({ timeoutMs: 3000 })).toEqual({ ok: true, pending: 0 });
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(server.requests).toHaveLength(2);
    expect(pipeline.stats()).toMatchObject({ exported: 2, dropped: {} });
  });

  it("counts OTLP partial success rejections", async () => {
    server.plan = () => ({ status: 200, body: JSON.stringify({ partialSuccess: { rejectedSpans: 2, errorMessage: "bad" } }) });
    start();
    emit(5);
    await pipeline.flush();
    expect(pipeline.stats()).toMatchObject({ exported: 3, dropped: { rejected: 2 } });
  });

  it("refuses plain http to a non-loopback host unless allowed", async () => {
    start({}, "http://example.invalid");
    emit(2);
    expect(pipeline.stats()).toEqual({ emitted: 2, exported: 0, queued: 0, dropped: { insecure_http: 2 } });
    await pipeline.close();
    start({ allowInsecureHttp: true, exportTimeoutMs: 200, maxRetries: 0 }, "http://example.invalid");
    emit(1);
    await pipeline.flush();
    expect(pipeline.stats().dropped).toEqual({ retry_exhausted: 1 });
  });

  it("drops the oldest waiting spans when the queue is full, and keeps the invariant", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    vi.stubEnv("BENTOLABS_LOG_LEVEL", "warn");
    server.plan = () => ({ hang: true });
    start({ maxQueueSize: 100, exportTimeoutMs: 5000 });
    emit(250);
    await new Promise((r) => setTimeout(r, 100)); // the first batch is in flight (the server hangs)
    const s = pipeline.stats();
    expect(s).toMatchObject({ emitted: 250, queued: 100, dropped: { queue_full: 150 } });
    expect(conserved(s)).toBe(250);
    expect(warn.mock.calls.filter((c) => String(c[0]).includes("queue_full"))).toHaveLength(1); // once per 60 s
    vi.unstubAllEnvs();
    const r = await pipeline.close({ timeoutMs: 200 });
    expect(r).toEqual({ ok: false, pending: 100 });
    expect(pipeline.stats()).toMatchObject({ queued: 0, dropped: { queue_full: 150, shutdown_timeout: 100 } });
    emit(1);
    expect(pipeline.stats().dropped.after_shutdown).toBe(1);
    expect(conserved(pipeline.stats())).toBe(251);
  });

  it("bounds the queue by estimated bytes", () => {
    server.plan = () => ({ hang: true });
    start({ maxQueueBytes: 100_000 });
    emit(100, { pad: "p".repeat(10_000) });
    const s = pipeline.stats();
    expect(s.queued).toBeLessThan(11);
    expect(s.dropped.queue_full).toBe(100 - s.queued);
  });

  it("closes idempotently and never rejects; inspect shows no key", async () => {
    server.plan = () => ({ hang: true });
    start();
    emit(1);
    expect(inspect(pipeline, { depth: 10, showHidden: true })).not.toContain(TEST_KEY);
    const a = pipeline.close({ timeoutMs: 100 });
    const b = pipeline.close({ timeoutMs: 100 });
    expect(a).toBe(b);
    await expect(a).resolves.toEqual({ ok: false, pending: 1 });
    expect(JSON.stringify(pipeline.stats())).not.toContain(TEST_KEY);
  });
});
