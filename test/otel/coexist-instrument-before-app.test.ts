// `bento.instrument()` called at the top of the entry file, before the app sets up its own
// OpenTelemetry (the order an import-at-the-top SDK gets): the app's context manager is the one
// registered, with no "duplicate registration" error, and instrumented calls still nest.

import { DiagLogLevel, diag, trace } from "@opentelemetry/api";
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-node";
import { afterAll, describe, expect, it } from "vitest";
import * as bento from "../../src/index.js";
import { hasContextManager } from "../../src/otel/context-manager.js";
import { capture } from "../../src/testing/index.js";

const diagErrors: string[] = [];
diag.setLogger(
  { error: (m) => void diagErrors.push(m), warn: () => {}, info: () => {}, debug: () => {}, verbose: () => {} },
  DiagLogLevel.ERROR,
);
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
afterAll(() => provider.shutdown());

describe("instrument() before the app registers its context manager", () => {
  it("registers nothing until a span needs it, so the app's registration succeeds", async () => {
    const spans = capture();
    bento.instrument();
    expect(hasContextManager()).toBe(false);
    provider.register();
    expect(diagErrors).toEqual([]);

    const app = trace.getTracer("app");
    const lib = bento.getTracerProvider().getTracer("lib");
    await app.startActiveSpan("GET /", async (request) => {
      await Promise.resolve();
      app.startSpan("db.query").end();
      await bento.begin({ event: "agent_run" }, () =>
        lib.startActiveSpan("lib.call", async (call) => {
          await Promise.resolve();
          lib.startSpan("lib.nested").end();
          call.end();
        }),
      );
      request.end();
    });
    expect(diagErrors).toEqual([]);
    const [query, req] = exporter.getFinishedSpans();
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(["db.query", "GET /"]);
    expect(query?.parentSpanContext?.spanId).toBe(req?.spanContext().spanId);
    expect(spans.tree()).toBe("agent_run\n  lib.call\n    lib.nested");
    spans.stop();
  });
});
