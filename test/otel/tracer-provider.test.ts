import { context, createContextKey, ROOT_CONTEXT, type TracerProvider, trace } from "@opentelemetry/api";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { afterEach, describe, expect, it } from "vitest";
import * as bento from "../../src/index.js";
import { hasContextManager } from "../../src/otel/context-manager.js";
import { type Capture, capture, expectSpan } from "../../src/testing/index.js";

const KEY = createContextKey("test value");
const tracer = bento.getTracerProvider().getTracer("lib", "1.0.0");
let spans: Capture;
afterEach(async () => {
  spans?.stop();
  await bento.shutdown();
});

describe("bento.getTracerProvider() without a global context manager", () => {
  // First in this file: the process starts with no global context manager, like an app without
  // OpenTelemetry of its own that hands Bento's tracer to the Vercel AI SDK.
  it("nests startActiveSpan children across awaits; a Bento tool span opened inside wins as innermost", async () => {
    expect(hasContextManager()).toBe(false);
    spans = capture();
    await bento.begin({ event: "run" }, () =>
      tracer.startActiveSpan("ai.generateText", async (outer) => {
        await Promise.resolve();
        await tracer.startActiveSpan("ai.generateText.doGenerate", async (inner) => {
          await new Promise((resolve) => setTimeout(resolve, 1));
          tracer.startSpan("ai.toolCall").end();
          inner.end();
        });
        await bento.toolSpan("search", {}, async () => tracer.startSpan("in_tool").end());
        tracer.startSpan("after_tool").end();
        outer.end();
      }),
    );
    tracer.startSpan("outside").end();
    expect(spans.tree()).toBe(
      [
        "run",
        "  ai.generateText",
        "    ai.generateText.doGenerate",
        "      ai.toolCall",
        "    after_tool",
        // Bento's own spans parent to the innermost Bento span (SPEC.md §4), not to library spans.
        "  search",
        "    in_tool",
        "outside",
      ].join("\n"),
    );
    expect(hasContextManager()).toBe(false);
  });
});

describe("bento.instrument()", () => {
  it("registers a context manager at the first span after it, only when none is registered, and wires each instrumentation", () => {
    expect(hasContextManager()).toBe(false);
    const calls: string[] = [];
    const fake = {
      instrumentationName: "fake",
      setTracerProvider: (p: TracerProvider) => void calls.push(p === bento.getTracerProvider() ? "provider" : "other"),
      enable: () => void calls.push("enable"),
    };
    bento.instrument(fake);
    expect(calls).toEqual(["provider", "enable"]);
    expect(hasContextManager()).toBe(false);
    tracer.startSpan("first").end();
    expect(hasContextManager()).toBe(true);
    expect(context.with(ROOT_CONTEXT.setValue(KEY, 1), () => context.active().getValue(KEY))).toBe(1);
  });

  it("never throws when an instrumentation does", () => {
    const broken = {
      setTracerProvider: () => {
        throw new Error("nope");
      },
      enable: () => {},
    };
    const ok = { setTracerProvider: () => {}, enable: () => void (enabled = true) };
    let enabled = false;
    expect(() => bento.instrument(broken, ok)).not.toThrow();
    expect(enabled).toBe(true);
  });
});

describe("bento.getTracerProvider()", () => {
  it("nests spans under the open trajectory or tool span, callback and handle forms", async () => {
    spans = capture();
    await bento.begin({ event: "run" }, async () => {
      await Promise.resolve();
      tracer.startSpan("in_callback").end();
      await bento.toolSpan("tool", {}, async () => tracer.startSpan("in_tool").end());
    });
    const t = bento.begin({ event: "handle" });
    await new Promise((resolve) => setTimeout(resolve, 1));
    tracer.startSpan("in_handle").end();
    t.finish();
    tracer.startSpan("after_handle").end();
    expect(spans.tree()).toBe("run\n  in_callback\n  tool\n    in_tool\nhandle\n  in_handle\nafter_handle");
  });

  it("keeps a Bento span that is already in the passed context", async () => {
    spans = capture();
    await bento.begin({ event: "run" }, () =>
      tracer.startActiveSpan("outer", (outer) => {
        tracer.startSpan("inner").end();
        outer.end();
      }),
    );
    expectSpan(spans, "inner").toBeChildOf("outer");
    expectSpan(spans, "outer").toBeChildOf("run");
  });

  it("recognizes its own span behind a wrapper that shares the span context (OpenInference's OISpan)", async () => {
    spans = capture();
    await bento.begin({ event: "run" }, () => {
      const outer = tracer.startSpan("outer");
      tracer.startSpan("inner", {}, trace.setSpan(context.active(), trace.wrapSpanContext(outer.spanContext()))).end();
      outer.end();
    });
    expectSpan(spans, "inner").toBeChildOf("outer");
  });

  it("re-parents a foreign span's context to the open Bento span, keeping the other context values", async () => {
    spans = capture();
    const request = new BasicTracerProvider().getTracer("app").startSpan("GET /");
    const ctx = trace.setSpan(ROOT_CONTEXT, request).setValue(KEY, "kept");
    let seen: unknown;
    await bento.begin({ event: "run" }, () =>
      tracer.startActiveSpan("lib", {}, ctx, (span) => {
        seen = context.active().getValue(KEY);
        span.end();
      }),
    );
    expectSpan(spans, "lib").toBeChildOf("run");
    expect(seen).toBe("kept");
  });

  it("uses the passed context as given outside Bento spans", () => {
    spans = capture();
    const request = new BasicTracerProvider().getTracer("app").startSpan("GET /");
    tracer.startSpan("child_of_app", {}, trace.setSpan(ROOT_CONTEXT, request)).end();
    tracer.startSpan("root").end();
    expect(spans.span("child_of_app")).toMatchObject({
      parentSpanId: request.spanContext().spanId,
      traceId: request.spanContext().traceId,
    });
    expectSpan(spans, "root").toBeRoot();
  });

  it("honours root: true inside a trajectory", async () => {
    spans = capture();
    await bento.begin({ event: "run" }, () => tracer.startSpan("fresh", { root: true }).end());
    expectSpan(spans, "fresh").toBeRoot();
    expect(spans.span("fresh").traceId).not.toBe(spans.span("run").traceId);
  });

  it("returns one tracer per name and version", () => {
    const provider = bento.getTracerProvider();
    expect(provider.getTracer("lib", "1.0.0")).toBe(tracer);
    expect(provider.getTracer("lib", "2.0.0")).not.toBe(tracer);
  });
});
