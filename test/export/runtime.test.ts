import { inspect } from "node:util";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as bento from "../../src/index.js";
import { FaultServer } from "../helpers/fault-server.js";
import { TEST_KEY } from "../helpers/receiver.js";

const server = new FaultServer();
beforeAll(() => server.start());
afterAll(() => server.stop());
afterEach(async () => {
  await bento.shutdown({ timeoutMs: 200 });
  server.plan = () => ({ status: 200 });
  server.requests.length = 0;
});

const count = (type: string) => process.getActiveResourcesInfo().filter((r) => r === type).length;
const resources = () => ({ sockets: count("TCPSocketWrap"), timers: count("Timeout"), immediates: count("Immediate") });
const listeners = () => ["beforeExit", "SIGTERM", "SIGINT", "exit", "uncaughtException"].map((e) => process.listenerCount(e));

describe("runtime lifecycle", () => {
  it("leaks no listeners, timers or sockets over 100 init/shutdown cycles", async () => {
    const before = { l: listeners(), r: resources() };
    for (let i = 0; i < 100; i++) {
      bento.init({ apiKey: TEST_KEY, baseUrl: server.url, flushOnSignals: true });
      bento.trackAi({ event: `cycle${i}` });
      expect(await bento.shutdown()).toEqual({ ok: true, pending: 0 });
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(listeners()).toEqual(before.l);
    const after = resources();
    expect(after.sockets).toBe(0);
    expect(after.timers).toBeLessThanOrEqual(before.r.timers);
    expect(after.immediates).toBeLessThanOrEqual(before.r.immediates);
    expect(server.requests.flatMap((r) => r.spanNames)).toHaveLength(100);
  });

  it("installs no signal or uncaughtException handlers by default", () => {
    const before = listeners();
    bento.init({ apiKey: TEST_KEY, baseUrl: server.url });
    bento.trackAi({ event: "x" });
    const after = listeners();
    expect(after.slice(1)).toEqual(before.slice(1));
    expect(after[0]).toBe(before[0]! + 1); // the beforeExit flush only
  });

  it("flush and shutdown resolve { ok, pending } against a hung endpoint, never reject", async () => {
    server.plan = () => ({ hang: true });
    bento.init({ apiKey: TEST_KEY, baseUrl: server.url });
    for (let i = 0; i < 3; i++) bento.trackAi({ event: "h" });
    const t0 = Date.now();
    expect(await bento.flush({ timeoutMs: 200 })).toEqual({ ok: false, pending: 3 });
    expect(await bento.shutdown({ timeoutMs: 200 })).toEqual({ ok: false, pending: 3 });
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(await bento.shutdown()).toEqual({ ok: true, pending: 0 });
  });

  it("keeps 128 attributes per span, whatever OTEL_* limits the app sets", async () => {
    process.env.OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT = "1000";
    bento.init({ apiKey: TEST_KEY, baseUrl: server.url });
    const properties = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`p${i}`, i]));
    bento.trackAi({ event: "wide", properties });
    await bento.flush();
    const span = server.requests[0]!.body.resourceSpans[0].scopeSpans[0].spans[0];
    expect(span.attributes).toHaveLength(128);
    expect(span.droppedAttributesCount).toBeGreaterThan(0);
    delete process.env.OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT;
  });

  it("drops spans that reach a shut-down BentoLabsSpanProcessor as after_shutdown", async () => {
    const processor = new bento.BentoLabsSpanProcessor({ apiKey: TEST_KEY, baseUrl: server.url });
    const provider = new BasicTracerProvider({ spanProcessors: [processor] });
    provider.getTracer("app").startSpan("before").end();
    await processor.shutdown();
    await processor.shutdown();
    provider.getTracer("app").startSpan("after").end();
    expect(processor.stats()).toEqual({ emitted: 2, exported: 1, queued: 0, dropped: { after_shutdown: 1 } });
    expect(server.requests.flatMap((r) => r.spanNames)).toEqual(["before"]);
  });

  it("never shows the API key when SDK objects are inspected", async () => {
    const processor = new bento.BentoLabsSpanProcessor({ apiKey: TEST_KEY, baseUrl: server.url });
    const exporter = new bento.BentoLabsTraceExporter({ apiKey: TEST_KEY, baseUrl: server.url });
    bento.init({ apiKey: TEST_KEY, baseUrl: server.url });
    const text = [processor, exporter, bento.stats(), bento.resolveOptions({ apiKey: TEST_KEY })]
      .map((o) => inspect(o, { depth: 20, showHidden: true }))
      .join("\n");
    expect(text).not.toContain(TEST_KEY);
    expect(JSON.stringify([processor, exporter])).not.toContain(TEST_KEY);
    await processor.shutdown();
    await exporter.shutdown();
  });

  it("BentoLabsTraceExporter sits on the hardened path (NaN sanitized, counters kept)", async () => {
    const exporter = new bento.BentoLabsTraceExporter({ apiKey: TEST_KEY, baseUrl: server.url });
    const provider = new BasicTracerProvider();
    const span = provider.getTracer("app").startSpan("nan", { attributes: { v: NaN } });
    span.end();
    const code = await new Promise<number>((resolve) => exporter.export([span as never], (r) => resolve(r.code)));
    expect(code).toBe(0);
    expect(server.requests[0]!.raw.toString()).toContain('"stringValue":"NaN"');
    expect(exporter.stats()).toEqual({ emitted: 1, exported: 1, queued: 0, dropped: {} });
    await exporter.shutdown();
  });
});
