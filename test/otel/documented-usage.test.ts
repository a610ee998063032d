// Bento's documented TypeScript usage, copied as a new user would: the documented class names,
// a registered NodeTracerProvider, the six column attributes, forceFlush() and shutdown().

import { trace } from "@opentelemetry/api";
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import pkg from "../../package.json" with { type: "json" };
import * as bento from "../../src/index.js";
import { BentoLabsSpanProcessor, BentoLabsTraceExporter, SDK_VERSION } from "../../src/index.js";
import { Receiver, TEST_KEY } from "../helpers/receiver.js";

const receiver = new Receiver();
const saved = { key: process.env.BENTOLABS_API_KEY, url: process.env.BENTOLABS_BASE_URL };
beforeAll(async () => {
  await receiver.start();
  process.env.BENTOLABS_API_KEY = TEST_KEY;
  process.env.BENTOLABS_BASE_URL = receiver.url;
});
afterEach(() => receiver.reset());
afterAll(async () => {
  for (const [name, value] of [
    ["BENTOLABS_API_KEY", saved.key],
    ["BENTOLABS_BASE_URL", saved.url],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await bento.shutdown();
  await receiver.stop();
});

const SIX = {
  "gen_ai.user.id": "user_42",
  "gen_ai.conversation.id": "chat_99",
  "gen_ai.request.model": "gpt-4o",
  "gen_ai.system": "openai",
  "input.value": "What is the capital of France?",
  "output.value": "Paris.",
};

describe("the documented names", () => {
  it("exports SDK_VERSION as the package version", () => {
    expect(SDK_VERSION).toBe(pkg.version);
    expect(bento.VERSION).toBe(SDK_VERSION);
  });

  it("keeps the earlier names as aliases of the same classes", () => {
    expect(bento.BentoSpanProcessor).toBe(BentoLabsSpanProcessor);
    expect(bento.BentoTraceExporter).toBe(BentoLabsTraceExporter);
    expect(new bento.BentoSpanProcessor()).toBeInstanceOf(BentoLabsSpanProcessor);
  });

  it("throws BentoAuthError from the constructors for a missing or malformed key", () => {
    expect(() => new BentoLabsSpanProcessor({ apiKey: "sk-wrong" })).toThrow(
      expect.objectContaining({ name: "BentoAuthError", code: "invalid_api_key_format" }),
    );
    expect(() => new BentoLabsTraceExporter({ apiKey: "sk-wrong" })).toThrow(expect.objectContaining({ code: "invalid_api_key_format" }));
    expect(() => bento.resolveOptions({}, {})).toThrow(expect.objectContaining({ code: "missing_api_key" }));
  });
});

describe("BentoLabsSpanProcessor in a registered NodeTracerProvider (the documented usage)", () => {
  it("sends the span with its six columns, reading the key and URL from the environment", async () => {
    const provider = new NodeTracerProvider({ spanProcessors: [new BentoLabsSpanProcessor()] });
    provider.register();
    const tracer = trace.getTracer("my-agent");
    tracer.startActiveSpan("answer", (span) => {
      span.setAttributes(SIX);
      span.end();
    });
    await provider.forceFlush();
    expect(receiver.span("answer").attributes).toEqual(SIX);
    expect(receiver.requests.at(-1)!.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
    await provider.shutdown();
    trace.disable();
  });
});

describe("BentoLabsTraceExporter under a SimpleSpanProcessor (the documented usage)", () => {
  it("sends the span with explicit { apiKey, baseUrl }", async () => {
    const provider = new NodeTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(new BentoLabsTraceExporter({ apiKey: TEST_KEY, baseUrl: receiver.url }))],
    });
    provider.getTracer("my-agent").startActiveSpan("answer", (span) => {
      span.setAttributes(SIX);
      span.end();
    });
    await provider.forceFlush();
    expect(receiver.span("answer").attributes).toEqual(SIX);
    await provider.shutdown();
  });

  it("adds Bento's columns from other conventions to Bento's copy only", async () => {
    const memory = new InMemorySpanExporter();
    const provider = new NodeTracerProvider({
      spanProcessors: [
        new SimpleSpanProcessor(memory),
        new SimpleSpanProcessor(new BentoLabsTraceExporter({ apiKey: TEST_KEY, baseUrl: receiver.url })),
      ],
    });
    provider
      .getTracer("openinference")
      .startSpan("llm", { attributes: { "llm.model_name": "claude-haiku-4-5", "llm.provider": "anthropic", "llm.token_count.prompt": 9 } })
      .end();
    await provider.forceFlush();
    expect(receiver.span("llm").attributes).toMatchObject({
      "llm.model_name": "claude-haiku-4-5",
      "gen_ai.request.model": "claude-haiku-4-5",
      "gen_ai.system": "anthropic",
      "gen_ai.usage.input_tokens": 9,
    });
    expect(memory.getFinishedSpans()[0]!.attributes).toEqual({
      "llm.model_name": "claude-haiku-4-5",
      "llm.provider": "anthropic",
      "llm.token_count.prompt": 9,
    });
    await provider.shutdown();
  });
});
