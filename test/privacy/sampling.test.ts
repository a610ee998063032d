import { randomBytes } from "node:crypto";
import { SpanStatusCode, trace, ROOT_CONTEXT, type Context } from "@opentelemetry/api";
import { BasicTracerProvider, type ReadableSpan, type Span } from "@opentelemetry/sdk-trace-base";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as bento from "../../src/index.js";
import type { ExportPipeline, FlushResult } from "../../src/export/types.js";
import { resolveSampling } from "../../src/privacy/resolve.js";
import { inSample, withSampling } from "../../src/privacy/sampling.js";
import type { SamplingOptions } from "../../src/privacy/options.js";
import { Receiver, TEST_KEY } from "../helpers/receiver.js";

/** A real in-memory pipeline double: records what reaches it. */
function recordingPipeline(): ExportPipeline & { received: ReadableSpan[] } {
  const received: ReadableSpan[] = [];
  const ok = async (): Promise<FlushResult> => ({ ok: true, pending: 0 });
  return {
    received,
    onStart(_s: Span, _c: Context) {},
    onEnd: (s: ReadableSpan) => void received.push(s),
    forceFlush: async () => {},
    shutdown: async () => {},
    flush: ok,
    drain: ok,
    close: ok,
    stats: () => ({ emitted: received.length, exported: received.length, queued: 0, dropped: {} }),
  };
}

function stageWith(o: SamplingOptions) {
  const inner = recordingPipeline();
  const stage = withSampling(inner, resolveSampling(o, {}));
  const provider = new BasicTracerProvider({ spanProcessors: [stage] });
  const tracer = provider.getTracer("t");
  const root = () => tracer.startSpan("root", {}, ROOT_CONTEXT);
  const child = (parent: { spanContext(): unknown }) => tracer.startSpan("child", {}, trace.setSpan(ROOT_CONTEXT, parent as never));
  return { inner, stage, root, child };
}

const byTrace = (spans: readonly { spanContext(): { traceId: string } }[]) => {
  const m = new Map<string, number>();
  for (const s of spans) m.set(s.spanContext().traceId, (m.get(s.spanContext().traceId) ?? 0) + 1);
  return m;
};

describe("the sampling decision", () => {
  it("is deterministic per trace id and close to the rate", () => {
    const ids = Array.from({ length: 20_000 }, () => randomBytes(16).toString("hex"));
    const kept = ids.filter((id) => inSample(id, 0.25)).length;
    expect(kept / ids.length).toBeGreaterThan(0.23);
    expect(kept / ids.length).toBeLessThan(0.27);
    for (const id of ids.slice(0, 100)) expect(inSample(id, 0.25)).toBe(inSample(id, 0.25));
    expect(inSample(ids[0]!, 0)).toBe(false);
    expect(inSample(ids[0]!, 1)).toBe(true);
  });

  it("rejects a bad sampleRate with a clear error and warns on a bad environment value", () => {
    expect(() => resolveSampling({ sampleRate: 2 }, {})).toThrow(/sampleRate must be a number from 0 to 1/);
    expect(resolveSampling({}, { BENTOLABS_SAMPLE_RATE: "lots" }).sampleRate).toBe(1);
    expect(resolveSampling({}, { BENTOLABS_SAMPLE_RATE: "0.1" }).sampleRate).toBe(0.1);
  });
});

describe("whole-trajectory sampling stage", () => {
  it("keeps or drops each run whole, children that ended first included", () => {
    const { inner, stage, root, child } = stageWith({ sampleRate: 0.5 });
    for (let i = 0; i < 400; i++) {
      const r = root();
      child(r).end();
      child(r).end();
      r.end();
    }
    const counts = byTrace(inner.received);
    expect(counts.size).toBeGreaterThan(120);
    expect(counts.size).toBeLessThan(280);
    for (const n of counts.values()) expect(n).toBe(3);
    const st = stage.stats();
    expect(st.sampled_out).toBe(1200 - inner.received.length);
    expect(st.emitted).toBe(1200);
    expect(st.queued).toBe(0);
  });

  it("always keeps runs with an error by default, and lets a keep rule see the whole run", () => {
    const { inner, root, child } = stageWith({ sampleRate: 0 });
    const ok = root();
    child(ok).end();
    ok.end();
    const failed = root();
    const c = child(failed);
    c.setStatus({ code: SpanStatusCode.ERROR });
    c.end();
    failed.end();
    expect([...byTrace(inner.received).entries()]).toEqual([[failed.spanContext().traceId, 2]]);

    const seen: number[] = [];
    const custom = stageWith({ sampleRate: 0, keep: (run) => (seen.push(run.spans.length), run.root.name === "root" && run.spans.length > 2) });
    const r = custom.root();
    custom.child(r).end();
    custom.child(r).end();
    r.end();
    expect(seen).toEqual([3]);
    expect(custom.inner.received).toHaveLength(3);
  });

  it("keeps a run whose keep rule throws", () => {
    const { inner, root } = stageWith({ sampleRate: 0, keep: () => { throw new Error("bad rule"); } });
    root().end();
    expect(inner.received).toHaveLength(1);
  });

  it("sends a child ending after its root the way its run went", () => {
    const { inner, stage, root, child } = stageWith({ sampleRate: 0 });
    const r = root();
    const late = child(r);
    r.end();
    late.end();
    expect(inner.received).toHaveLength(0);
    expect(stage.stats().sampled_out).toBe(2);
  });

  it("stays bounded under 10k open trajectories and never half-sends a run", () => {
    const { inner, stage, root, child } = stageWith({ sampleRate: 0, maxBufferedSpans: 1000 });
    const roots = Array.from({ length: 10_000 }, () => root());
    let peak = 0;
    for (const r of roots) {
      child(r).end();
      child(r).end();
      peak = Math.max(peak, stage.stats().queued);
    }
    expect(peak).toBeLessThanOrEqual(1000);
    for (const r of roots) r.end();
    const counts = byTrace(inner.received);
    expect(counts.size).toBeGreaterThan(9000); // the buffer overflowed: those runs were kept
    for (const n of counts.values()) expect(n).toBe(3);
    const st = stage.stats();
    expect(st.queued).toBe(0);
    expect(st.sampled_out! + inner.received.length).toBe(30_000);
  });

  it("sends runs still open at shutdown as they are", async () => {
    const { inner, stage, root, child } = stageWith({ sampleRate: 0 });
    child(root()).end();
    expect(stage.stats().queued).toBe(1);
    await stage.close();
    expect(inner.received).toHaveLength(1);
  });
});

describe("sampling through init()", () => {
  const receiver = new Receiver();
  beforeAll(() => receiver.start());
  afterAll(() => receiver.stop());
  afterEach(async () => {
    await bento.shutdown();
    receiver.reset();
  });

  it("drops whole trajectories with their tool and instrumentation spans; flush().ok stays true", async () => {
    bento.init({ apiKey: TEST_KEY, baseUrl: receiver.url, sampleRate: 0.5 });
    const tracer = bento.getTracerProvider().getTracer("instrumentation");
    for (let i = 0; i < 100; i++) {
      bento.begin({ event: "run" }, () => {
        bento.toolSpan("search", {}, () => "x");
        tracer.startSpan("llm").end();
      });
    }
    expect(await bento.flush()).toEqual({ ok: true, pending: 0 });
    const counts = byTrace(receiver.spans.map((s) => ({ spanContext: () => s })));
    for (const n of counts.values()) expect(n).toBe(3);
    expect(counts.size).toBeGreaterThan(25);
    expect(counts.size).toBeLessThan(75);
    const st = bento.stats();
    expect(st.sampled_out).toBe(300 - receiver.spans.length);
    expect(st.dropped).toEqual({});
    expect(st.emitted).toBe(st.exported + st.queued + st.sampled_out!);
  });

  it("keeps every run with an error", async () => {
    bento.init({ apiKey: TEST_KEY, baseUrl: receiver.url, sampleRate: 0 });
    for (let i = 0; i < 20; i++) {
      try {
        bento.begin({ event: i % 2 ? "bad" : "good" }, () => {
          bento.trackAi({ event: "llm" });
          if (i % 2) throw new Error("boom");
        });
      } catch {
        // expected
      }
    }
    expect((await bento.flush()).ok).toBe(true);
    expect(receiver.spans.filter((s) => s.name === "bad")).toHaveLength(10);
    expect(receiver.spans.filter((s) => s.name === "llm")).toHaveLength(10);
    expect(receiver.spans.filter((s) => s.name === "good")).toHaveLength(0);
  });
});
