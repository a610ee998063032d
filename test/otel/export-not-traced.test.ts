// An app whose OpenTelemetry traces outgoing HTTP (NodeSDK + HttpInstrumentation, as
// auto-instrumentations do) must not see Bento's export requests as spans of its own; and
// BentoLabsSpanProcessor in that same pipeline must not export spans of its own requests, which
// would feed a loop (every export making a span that needs exporting).
import { createRequire } from "node:module";
import { trace } from "@opentelemetry/api";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as bento from "../../src/index.js";
import { Receiver, TEST_KEY } from "../helpers/receiver.js";

process.env.OTEL_METRICS_EXPORTER = "none";
process.env.OTEL_LOGS_EXPORTER = "none";

const receiver = new Receiver();
const appExporter = new InMemorySpanExporter();
let processor: bento.BentoLabsSpanProcessor;
let sdk: NodeSDK;

beforeAll(async () => {
  await receiver.start();
  processor = new bento.BentoLabsSpanProcessor({ apiKey: TEST_KEY, baseUrl: receiver.url });
  sdk = new NodeSDK({
    spanProcessors: [new SimpleSpanProcessor(appExporter), processor],
    // Outgoing requests only: the receiver runs in this process and is not the subject.
    instrumentations: [new HttpInstrumentation({ ignoreIncomingRequestHook: () => true })],
    autoDetectResources: false,
  });
  sdk.start();
  // The http module is already loaded: requiring it again is what lets the instrumentation patch it.
  createRequire(import.meta.url)("http");
  bento.init({ apiKey: TEST_KEY, baseUrl: receiver.url });
});
afterAll(async () => {
  await bento.shutdown();
  await sdk.shutdown();
  await receiver.stop();
});

const httpSpans = () => appExporter.getFinishedSpans().filter((s) => s.attributes["http.method"] ?? s.attributes["http.request.method"]);
const httpSpansAtBento = () => receiver.spans.filter((s) => s.attributes["http.method"] ?? s.attributes["http.request.method"]);

describe("Bento's export requests are not traced by the app's HTTP instrumentation", () => {
  it("the app's own outgoing requests are traced (the instrumentation is live)", async () => {
    const http = createRequire(import.meta.url)("http") as typeof import("node:http");
    await new Promise<void>((resolve) => http.get(`${receiver.url}/probe`, (res) => res.resume().on("end", resolve)));
    expect(httpSpans()).toHaveLength(1);
    appExporter.reset();
    await processor.forceFlush();
    receiver.reset();
  });

  it("exports from bento.* calls make no span in the app's pipeline", async () => {
    for (let i = 0; i < 3; i++) {
      bento.trackAi({ event: `call_${i}` });
      await bento.flush();
    }
    expect(receiver.spans.filter((s) => s.name.startsWith("call_"))).toHaveLength(3);
    expect(httpSpans()).toEqual([]);
  });

  it("BentoLabsSpanProcessor in the app's pipeline exports the app's spans without exporting its own requests", async () => {
    for (let i = 0; i < 3; i++) {
      trace.getTracer("app").startSpan(`work_${i}`).end();
      await processor.forceFlush();
    }
    await processor.forceFlush();
    expect(receiver.spans.filter((s) => s.name.startsWith("work_"))).toHaveLength(3);
    expect(httpSpansAtBento()).toEqual([]);
    expect(httpSpans()).toEqual([]);
  });
});
