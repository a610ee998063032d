// An app that owns its NodeTracerProvider and adds BentoLabsSpanProcessor to it, while also using the
// SDK's own API: every span arrives once where it should, none twice.

import { trace } from "@opentelemetry/api";
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as bento from "../../src/index.js";
import { Receiver, TEST_KEY } from "../helpers/receiver.js";

const receiver = new Receiver();
const exporter = new InMemorySpanExporter();
let provider: NodeTracerProvider;

beforeAll(async () => {
  await receiver.start();
  provider = new NodeTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter), new bento.BentoLabsSpanProcessor({ apiKey: TEST_KEY, baseUrl: receiver.url })],
  });
  provider.register();
  bento.init({ apiKey: TEST_KEY, baseUrl: receiver.url });
});
afterAll(async () => {
  await bento.shutdown();
  await provider.shutdown();
  await receiver.stop();
});

describe("BentoLabsSpanProcessor in the app's own registered provider, next to the SDK", () => {
  it("delivers the app's spans to both exporters and Bento's spans to Bento only, each exactly once", async () => {
    const app = trace.getTracer("app");
    await app.startActiveSpan("POST /agent", async (request) => {
      await bento.begin({ event: "agent_run" }, async () => {
        bento.trackAi({ event: "llm_call" });
        app.startSpan("db.query").end();
      });
      request.end();
    });
    await Promise.all([bento.flush(), provider.forceFlush()]);

    expect(
      exporter
        .getFinishedSpans()
        .map((s) => s.name)
        .sort(),
    ).toEqual(["POST /agent", "db.query"]);
    expect(receiver.spans.map((s) => s.name).sort()).toEqual(["POST /agent", "agent_run", "db.query", "llm_call"]);
    expect(receiver.span("db.query").parentSpanId).toBe(receiver.span("POST /agent").spanId);
    expect(receiver.span("llm_call").parentSpanId).toBe(receiver.span("agent_run").spanId);
    expect(receiver.span("agent_run").parentSpanId).toBeUndefined();
    for (const req of receiver.requests) expect(req.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
  });
});
