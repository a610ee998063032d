import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BentoAuthError, BentoLabsSpanProcessor, BentoLabsTraceExporter } from "../src/index.js";
import { Receiver, TEST_KEY } from "./helpers/receiver.js";

const receiver = new Receiver();
beforeAll(() => receiver.start());
afterAll(() => receiver.stop());

describe("BentoLabsSpanProcessor and BentoLabsTraceExporter in a user's provider", () => {
  it("sends the app's own spans to Bento with bearer auth", async () => {
    const processor = new BentoLabsSpanProcessor({ apiKey: TEST_KEY, baseUrl: receiver.url });
    const provider = new BasicTracerProvider({ spanProcessors: [processor] });
    provider
      .getTracer("app")
      .startSpan("app-span", { attributes: { a: 1 } })
      .end();
    await provider.forceFlush();
    expect(receiver.span("app-span").attributes.a).toBe(1);
    expect(receiver.requests.at(-1)!.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
    await provider.shutdown();
  });

  it("works as a plain exporter behind the app's batch processor", async () => {
    const provider = new BasicTracerProvider({
      spanProcessors: [new BatchSpanProcessor(new BentoLabsTraceExporter({ apiKey: TEST_KEY, baseUrl: receiver.url }))],
    });
    provider.getTracer("app").startSpan("exported-span").end();
    await provider.forceFlush();
    expect(receiver.span("exported-span")).toBeDefined();
    await provider.shutdown();
  });

  it("throws BentoAuthError on construction with a bad key", () => {
    expect(() => new BentoLabsSpanProcessor({ apiKey: "bad" })).toThrow(BentoAuthError);
    expect(() => new BentoLabsTraceExporter({ apiKey: "bad" })).toThrow(BentoAuthError);
  });
});
