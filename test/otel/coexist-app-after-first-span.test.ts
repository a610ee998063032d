// The documented caveat: after `bento.instrument()`, a span started through Bento's provider
// registered Bento's context manager because none existed, and the app registers its own only
// afterwards. OpenTelemetry refuses the second one with a diag error; the app's spans still nest
// (the kept manager is an equivalent AsyncLocalStorage one).

import { DiagLogLevel, diag, trace } from "@opentelemetry/api";
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-node";
import { afterAll, describe, expect, it } from "vitest";
import * as bento from "../../src/index.js";
import { capture } from "../../src/testing/index.js";

const diagErrors: string[] = [];
diag.setLogger(
  { error: (m) => void diagErrors.push(m), warn: () => {}, info: () => {}, debug: () => {}, verbose: () => {} },
  DiagLogLevel.ERROR,
);
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
afterAll(() => provider.shutdown());

describe("the app registers its context manager after an instrumented span", () => {
  it("reports one duplicate context registration and keeps both sides working", async () => {
    const spans = capture();
    bento.instrument();
    bento.getTracerProvider().getTracer("lib").startSpan("early.call").end();
    provider.register();
    expect(diagErrors).toHaveLength(1);
    expect(diagErrors[0]).toMatch(/duplicate registration of API: context/);

    const app = trace.getTracer("app");
    await app.startActiveSpan("GET /", async (request) => {
      await Promise.resolve();
      app.startSpan("db.query").end();
      await bento.begin({ event: "agent_run" }, () => bento.getTracerProvider().getTracer("lib").startSpan("lib.call").end());
      request.end();
    });
    const [query, req] = exporter.getFinishedSpans();
    expect(query?.parentSpanContext?.spanId).toBe(req?.spanContext().spanId);
    expect(spans.tree()).toBe("early.call\nagent_run\n  lib.call");
    spans.stop();
  });
});
