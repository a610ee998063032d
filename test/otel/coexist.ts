// The coexistence matrix (SPEC.md §4, issue 8): one app OpenTelemetry setup per test file, since
// globals are process-wide and vitest's forks pool gives each file its own process.

import { type DiagLogger, DiagLogLevel, diag, trace } from "@opentelemetry/api";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as bento from "../../src/index.js";
import { hasContextManager } from "../../src/otel/context-manager.js";
import { Receiver, TEST_KEY } from "../helpers/receiver.js";

export interface AppSetup {
  /** Register the app's global provider (+ context manager) exporting to `exporter`; returns its shutdown. */
  register(exporter: InMemorySpanExporter): Promise<() => Promise<unknown>>;
  /** "app-first": the app registers before the SDK is touched; "sdk-first": after the SDK was used. */
  order: "app-first" | "sdk-first";
}

const BENTO_SPANS = ["bare_llm", "agent_run", "llm_call", "search", "lib.call", "handle_run", "lib.handle"];
const APP_SPANS = ["GET /chat", "db.query", "app.inside_agent"];

export function coexistenceSuite(title: string, setup: AppSetup): void {
  const diagErrors: string[] = [];
  const logger: DiagLogger = {
    error: (message, ...args) => void diagErrors.push([message, ...args.map(String)].join(" ")),
    warn: () => {},
    info: () => {},
    debug: () => {},
    verbose: () => {},
  };
  diag.setLogger(logger, DiagLogLevel.ERROR);
  const receiver = new Receiver();
  const exporter = new InMemorySpanExporter();
  let stopApp: () => Promise<unknown> = async () => {};

  beforeAll(async () => {
    await receiver.start();
    if (setup.order === "app-first") {
      stopApp = await setup.register(exporter);
      bento.init({ apiKey: TEST_KEY, baseUrl: receiver.url });
    } else {
      bento.init({ apiKey: TEST_KEY, baseUrl: receiver.url });
      await bento.begin({ event: "warmup" }, () => bento.getTracerProvider().getTracer("lib").startSpan("warmup.lib").end());
      await bento.flush();
      stopApp = await setup.register(exporter);
    }
    // Instrumentations are wired after the app's own setup (the documented order).
    bento.instrument();
  });
  afterAll(async () => {
    await bento.shutdown();
    await stopApp();
    await receiver.stop();
  });

  describe(`coexistence: ${title}`, () => {
    it("keeps the app's spans in the app's exporter and Bento's spans in Bento, nested correctly", async () => {
      const app = trace.getTracer("app");
      const lib = bento.getTracerProvider().getTracer("lib");
      let requestTraceId = "";
      await app.startActiveSpan("GET /chat", async (request) => {
        requestTraceId = request.spanContext().traceId;
        app.startSpan("db.query").end();
        bento.trackAi({ event: "bare_llm" });
        await bento.begin({ event: "agent_run" }, async () => {
          bento.trackAi({ event: "llm_call" });
          await bento.toolSpan("search", {}, async () => lib.startSpan("lib.call").end());
          app.startSpan("app.inside_agent").end();
        });
        const t = bento.begin({ event: "handle_run" });
        lib.startSpan("lib.handle").end();
        t.finish();
        request.end();
      });
      await bento.flush();

      const appSpans = exporter.getFinishedSpans();
      expect(appSpans.map((s) => s.name).sort()).toEqual([...APP_SPANS].sort());
      const request = appSpans.find((s) => s.name === "GET /chat")!;
      for (const s of appSpans.filter((x) => x !== request)) expect(s.parentSpanContext?.spanId).toBe(request.spanContext().spanId);

      const bentoSpans = receiver.spans.filter((s) => !s.name.startsWith("warmup"));
      expect(bentoSpans.map((s) => s.name).sort()).toEqual([...BENTO_SPANS].sort());
      for (const name of ["bare_llm", "agent_run", "handle_run"]) {
        expect(receiver.span(name).parentSpanId, name).toBeUndefined();
        expect(receiver.span(name).traceId, name).not.toBe(requestTraceId);
      }
      expect(receiver.span("llm_call").parentSpanId).toBe(receiver.span("agent_run").spanId);
      expect(receiver.span("lib.call").parentSpanId).toBe(receiver.span("search").spanId);
      expect(receiver.span("lib.handle").parentSpanId).toBe(receiver.span("handle_run").spanId);
      for (const req of receiver.requests) expect(req.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
    });

    if (setup.order === "sdk-first") {
      it("sent the spans made before the app registered to Bento only", () => {
        expect(
          receiver.spans
            .filter((s) => s.name.startsWith("warmup"))
            .map((s) => s.name)
            .sort(),
        ).toEqual(["warmup", "warmup.lib"]);
        expect(exporter.getFinishedSpans().filter((s) => s.name.startsWith("warmup"))).toEqual([]);
      });
    }

    it("keeps the app's context manager and reports no duplicate registration", () => {
      expect(hasContextManager()).toBe(true);
      expect(diagErrors).toEqual([]);
      // ...and the capturing logger is still the installed one (nothing replaced it).
      diag.error("probe");
      expect(diagErrors).toEqual(["probe"]);
      diagErrors.length = 0;
    });
  });
}
