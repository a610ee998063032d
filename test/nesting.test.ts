import { setTimeout as sleep } from "node:timers/promises";
import { context, ROOT_CONTEXT, trace } from "@opentelemetry/api";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import * as bento from "../src/index.js";
import { useReceiver } from "./helpers/setup.js";

describe("SPEC §4 nesting and context", () => {
  const { flush } = useReceiver();

  it("makes a bare trackAi its own one-span trajectory", async () => {
    bento.trackAi({ event: "solo" });
    const s = (await flush()).span("solo");
    expect(s.parentSpanId).toBeUndefined();
  });

  it("nests trackAi and tool spans under an open trajectory across await, timers and callbacks", async () => {
    await bento.begin({ event: "run" }, async (t) => {
      bento.trackAi({ event: "sync" });
      await sleep(1);
      bento.trackAi({ event: "after-await" });
      await new Promise<void>((resolve) =>
        setTimeout(() => {
          bento.trackAi({ event: "timer" });
          resolve();
        }, 1),
      );
      await new Promise<void>((resolve) =>
        process.nextTick(() => {
          bento.trackAi({ event: "tick" });
          resolve();
        }),
      );
      await Promise.resolve().then(() => bento.trackAi({ event: "then" }));
      await t.toolSpan("tool", { input: { q: 1 } }, async () => {
        await sleep(1);
        bento.trackAi({ event: "inside-tool" });
      });
    });
    const r = await flush();
    const run = r.span("run");
    for (const name of ["sync", "after-await", "timer", "tick", "then", "tool"]) {
      expect(r.span(name).parentSpanId, name).toBe(run.spanId);
      expect(r.span(name).traceId).toBe(run.traceId);
    }
    expect(r.span("inside-tool").parentSpanId).toBe(r.span("tool").spanId);
    expect(run.parentSpanId).toBeUndefined();
  });

  it("nests in handle form and restores the outer trajectory after finish", async () => {
    const outer = bento.begin({ event: "outer" });
    const inner = bento.begin({ event: "inner" });
    bento.trackAi({ event: "in-inner" });
    inner.finish();
    bento.trackAi({ event: "in-outer" });
    const tool = bento.toolSpan("handle-tool");
    bento.trackAi({ event: "in-tool" });
    tool.end();
    outer.finish();
    bento.trackAi({ event: "after" });
    const r = await flush();
    expect(r.span("inner").parentSpanId).toBe(outer.eventId);
    expect(r.span("in-inner").parentSpanId).toBe(inner.eventId);
    expect(r.span("in-outer").parentSpanId).toBe(outer.eventId);
    expect(r.span("in-tool").parentSpanId).toBe(tool.spanId);
    expect(r.span("after").parentSpanId).toBeUndefined();
  });

  it("throws an out-of-order Error when an outer trajectory finishes before an inner one", async () => {
    const outer = bento.begin({ event: "outer" });
    const inner = bento.begin({ event: "inner" });
    expect(() => outer.finish()).toThrow(/out of order/);
    inner.finish();
    outer.finish();
    const r = await flush();
    expect(r.spans.map((s) => s.name).sort()).toEqual(["inner", "outer"]);
  });

  it("finishes on scope exit with using", async () => {
    let id = "";
    {
      using t = bento.begin({ event: "scoped" });
      id = t.eventId;
      bento.trackAi({ event: "child" });
    }
    bento.trackAi({ event: "outside" });
    const r = await flush();
    expect(r.span("scoped").spanId).toBe(id);
    expect(r.span("child").parentSpanId).toBe(id);
    expect(r.span("outside").parentSpanId).toBeUndefined();
  });

  it("keeps three interleaved concurrent trajectories apart", async () => {
    const run = (n: number) =>
      bento.begin({ event: `run-${n}`, convoId: `c${n}` }, async (t) => {
        for (let i = 0; i < 3; i++) {
          await sleep(Math.random() * 5);
          bento.trackAi({ event: `llm-${n}-${i}` });
          await t.toolSpan(`tool-${n}-${i}`, {}, async () => {
            await sleep(Math.random() * 3);
            bento.trackAi({ event: `nested-${n}-${i}` });
          });
        }
        return n;
      });
    expect(await Promise.all([run(1), run(2), run(3)])).toEqual([1, 2, 3]);
    const r = await flush();
    for (const n of [1, 2, 3]) {
      const root = r.span(`run-${n}`);
      for (let i = 0; i < 3; i++) {
        expect(r.span(`llm-${n}-${i}`).parentSpanId).toBe(root.spanId);
        expect(r.span(`tool-${n}-${i}`).parentSpanId).toBe(root.spanId);
        expect(r.span(`nested-${n}-${i}`).parentSpanId).toBe(r.span(`tool-${n}-${i}`).spanId);
        expect(r.span(`nested-${n}-${i}`).traceId).toBe(root.traceId);
      }
    }
    expect(new Set([1, 2, 3].map((n) => r.span(`run-${n}`).traceId)).size).toBe(3);
  });

  it("keeps handle-form trajectories of concurrent requests apart", async () => {
    // Each request handler runs in its own async context, as in an HTTP server.
    const handler = async (n: number) => {
      const t = bento.begin({ event: `req-${n}` });
      await sleep(Math.random() * 5);
      bento.trackAi({ event: `req-${n}-llm` });
      await sleep(Math.random() * 5);
      t.finish();
    };
    await Promise.all([1, 2, 3].map((n) => new Promise<void>((resolve) => setImmediate(() => void handler(n).then(resolve)))));
    const r = await flush();
    for (const n of [1, 2, 3]) expect(r.span(`req-${n}-llm`).parentSpanId).toBe(r.span(`req-${n}`).spanId);
  });

  it("detaches begin and trackAi from an outer OpenTelemetry span", async () => {
    const appProvider = new BasicTracerProvider();
    const appSpan = appProvider.getTracer("app").startSpan("http.request");
    const ctx = trace.setSpan(ROOT_CONTEXT, appSpan);
    await context.with(ctx, async () => {
      bento.trackAi({ event: "detached-llm" });
      await bento.begin({ event: "detached-run" }, async () => undefined);
      bento.toolSpan("detached-tool").end();
    });
    appSpan.end();
    const r = await flush();
    for (const n of ["detached-llm", "detached-run", "detached-tool"]) {
      expect(r.span(n).parentSpanId).toBeUndefined();
      expect(r.span(n).traceId).not.toBe(appSpan.spanContext().traceId);
    }
  });

  it("records errors in the callback form and re-throws the same object", async () => {
    const boom = new Error("boom");
    await expect(
      bento.begin({ event: "fails" }, async () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    let caught: unknown;
    try {
      bento.toolSpan("sync-fails", {}, () => {
        throw boom;
      });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBe(boom);
    const r = await flush();
    for (const n of ["fails", "sync-fails"]) {
      expect(r.span(n).status.code).toBe(2);
      expect(r.span(n).events[0]?.name).toBe("exception");
      expect(r.span(n).events[0]?.attributes["exception.message"]).toBe("boom");
    }
  });

  it("keeps sync callbacks sync and returns their value", async () => {
    const v = bento.begin({ event: "sync-run" }, () => 42);
    expect(v).toBe(42);
    const w = bento.toolSpan("sync-tool", {}, (s) => {
      s.setOutput({ ok: true });
      return "x";
    });
    expect(w).toBe("x");
    const r = await flush();
    expect(r.span("sync-tool").attributes["output.value"]).toBe('{"ok":true}');
  });

  it("never registers a global tracer provider", () => {
    bento.trackAi({ event: "x" });
    expect(trace.getTracerProvider().constructor.name).toBe("ProxyTracerProvider");
    expect((trace.getTracerProvider() as unknown as { getDelegate(): object }).getDelegate().constructor.name).toBe("NoopTracerProvider");
  });
});
