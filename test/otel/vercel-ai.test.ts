// The README's Vercel AI SDK recipe with the real `ai` package: its telemetry spans nest under the
// trajectory with no global context manager (this file never registers one), and end with Bento's
// columns filled in from the AI SDK's own attributes.

import { createOpenAI } from "@ai-sdk/openai";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { embedMany, generateText, jsonSchema, stepCountIs, streamText, tool } from "ai";
import { MockEmbeddingModelV3, MockLanguageModelV3 } from "ai/test";
import { describe, expect, it } from "vitest";
import { type FakeOpenAI, startFakeOpenAI } from "../../examples/fake-openai.mjs";
import * as bento from "../../src/index.js";
import { hasContextManager } from "../../src/otel/context-manager.js";
import { capture } from "../../src/testing/index.js";
import { TEST_KEY } from "../helpers/receiver.js";
import { useLocalServer, useReceiver } from "../helpers/setup.js";

let server: FakeOpenAI;
useLocalServer(startFakeOpenAI, (s) => (server = s));

const { flush, receiver } = useReceiver();
const tracer = bento.getTracerProvider().getTracer("ai");
const telemetry = { isEnabled: true, tracer };

const usage = (input: number, output: number) => ({
  inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: output, text: output, reasoning: 0 },
});

describe("Vercel AI SDK telemetry through bento.getTracerProvider()", () => {
  it("nests generateText and streamText under the trajectory and fills Bento's columns, over HTTP", async () => {
    const model = createOpenAI({ apiKey: "sk-fake", baseURL: server.baseURL }).chat("gpt-4o-mini");
    const answer = await bento.begin({ event: "support_agent" }, async () => {
      const plain = await generateText({ model, prompt: "hello there", experimental_telemetry: telemetry });
      const stream = streamText({ model, prompt: "stream this please", experimental_telemetry: telemetry });
      let text = "";
      for await (const delta of stream.textStream) text += delta;
      return `${plain.text} | ${text}`;
    });
    expect(answer).toBe("Echo: hello there | Echo: stream this please");
    expect(hasContextManager()).toBe(false);

    const r = await flush();
    for (const req of r.requests) expect(req.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
    const root = r.span("support_agent");
    const generate = r.span("ai.generateText");
    const doGenerate = r.span("ai.generateText.doGenerate");
    const stream = r.span("ai.streamText");
    const doStream = r.span("ai.streamText.doStream");
    expect([generate.parentSpanId, stream.parentSpanId]).toEqual([root.spanId, root.spanId]);
    expect(doGenerate.parentSpanId).toBe(generate.spanId);
    expect(doStream.parentSpanId).toBe(stream.spanId);

    // The outer call is a chain (so it is not counted as a second LLM call), with the prompt and the answer.
    expect(generate.attributes).toMatchObject({
      "openinference.span.kind": "chain",
      "input.value": JSON.stringify({ prompt: "hello there" }),
      "input.mime_type": "application/json",
      "output.value": "Echo: hello there",
      "output.mime_type": "text/plain",
    });
    expect(generate.attributes["gen_ai.system"]).toBeUndefined();
    // The provider call is the LLM span: model, provider as Bento spells it, messages, text, tokens.
    for (const [span, question, tokens] of [
      [doGenerate, "hello there", { prompt: 2, completion: 3 }],
      [doStream, "stream this please", { prompt: 3, completion: 4 }],
    ] as const) {
      expect(span.attributes).toMatchObject({
        "openinference.span.kind": "llm",
        "gen_ai.request.model": "gpt-4o-mini",
        "gen_ai.system": "openai",
        "ai.model.provider": "openai.chat",
        "output.value": `Echo: ${question}`,
        "gen_ai.usage.input_tokens": tokens.prompt,
        "gen_ai.usage.output_tokens": tokens.completion,
        "llm.model_name": "gpt-4o-mini",
        "llm.provider": "openai",
        "llm.token_count.prompt": tokens.prompt,
        "llm.token_count.completion": tokens.completion,
        "llm.token_count.total": tokens.prompt + tokens.completion,
        "input.mime_type": "application/json",
      });
      expect(JSON.parse(String(span.attributes["input.value"]))).toEqual([{ role: "user", content: [{ type: "text", text: question }] }]);
    }
    expect(server.requests.at(-1)).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it("records a tool call as a tool span with its arguments and result, between the two model calls", async () => {
    const model = new MockLanguageModelV3({
      provider: "anthropic.messages",
      modelId: "claude-sonnet-4",
      doGenerate: [
        {
          content: [{ type: "tool-call", toolCallId: "call_1", toolName: "weather", input: JSON.stringify({ city: "Paris" }) }],
          finishReason: { unified: "tool-calls", raw: "tool_use" },
          usage: usage(10, 5),
          warnings: [],
        },
        {
          content: [{ type: "text", text: "It is sunny in Paris." }],
          finishReason: { unified: "stop", raw: "end_turn" },
          usage: usage(20, 7),
          warnings: [],
        },
      ],
    });
    const weather = tool({
      inputSchema: jsonSchema<{ city: string }>({ type: "object", properties: { city: { type: "string" } }, required: ["city"] }),
      execute: async ({ city }) => ({ city, sky: "sunny" }),
    });
    using spans = capture();
    const result = await bento.begin({ event: "weather_agent" }, () =>
      generateText({ model, prompt: "Weather in Paris?", tools: { weather }, stopWhen: stepCountIs(3), experimental_telemetry: telemetry }),
    );
    expect(result.text).toBe("It is sunny in Paris.");
    expect(spans.tree({ attributes: ["openinference.span.kind"] })).toBe(
      [
        "weather_agent",
        "  ai.generateText {openinference.span.kind=chain}",
        "    ai.generateText.doGenerate {openinference.span.kind=llm}",
        "    ai.toolCall {openinference.span.kind=tool}",
        "    ai.generateText.doGenerate {openinference.span.kind=llm}",
      ].join("\n"),
    );
    expect(spans.span("ai.toolCall").attributes).toMatchObject({
      "input.value": JSON.stringify({ city: "Paris" }),
      "input.mime_type": "application/json",
      "output.value": JSON.stringify({ city: "Paris", sky: "sunny" }),
      "output.mime_type": "application/json",
    });
    const [first, second] = spans.byName("ai.generateText.doGenerate");
    expect(first!.attributes).toMatchObject({ "gen_ai.system": "anthropic", "llm.token_count.total": 15 });
    expect(JSON.parse(String(first!.attributes["output.value"]))).toMatchObject([
      { toolName: "weather", input: JSON.stringify({ city: "Paris" }) },
    ]);
    expect(second!.attributes).toMatchObject({ "output.value": "It is sunny in Paris.", "llm.token_count.total": 27 });
  });

  it("records embeddings: the provider call is an embedding span with its inputs", async () => {
    const model = new MockEmbeddingModelV3({
      provider: "openai.embedding",
      modelId: "text-embedding-3-small",
      maxEmbeddingsPerCall: 16,
      doEmbed: async ({ values }) => ({ embeddings: values.map(() => [0.1, 0.2]), usage: { tokens: 2 }, warnings: [] }),
    });
    using spans = capture();
    await bento.begin({ event: "indexer" }, () => embedMany({ model, values: ["a", "b"], experimental_telemetry: telemetry }));
    expect(spans.tree({ attributes: ["openinference.span.kind"] })).toBe(
      ["indexer", "  ai.embedMany {openinference.span.kind=chain}", "    ai.embedMany.doEmbed {openinference.span.kind=embedding}"].join(
        "\n",
      ),
    );
    expect(JSON.parse(String(spans.span("ai.embedMany.doEmbed").attributes["input.value"]))).toEqual(["a", "b"]);
    expect(spans.span("ai.embedMany.doEmbed").attributes).toMatchObject({
      "gen_ai.system": "openai",
      "gen_ai.usage.input_tokens": 2,
      "llm.model_name": "text-embedding-3-small",
      "llm.token_count.prompt": 2,
    });
  });
});

describe("Vercel AI SDK telemetry with portable attributes off", () => {
  it("adds only the SPEC.md §2 columns", async () => {
    bento.init({ apiKey: TEST_KEY, baseUrl: receiver.url, portableAttributes: false });
    const model = new MockLanguageModelV3({
      provider: "openai.chat",
      modelId: "gpt-4o",
      doGenerate: {
        content: [{ type: "text", text: "hi" }],
        finishReason: { unified: "stop", raw: "stop" },
        usage: usage(1, 1),
        warnings: [],
      },
    });
    using spans = capture();
    await generateText({ model, prompt: "hello", experimental_telemetry: telemetry });
    const added = Object.keys(spans.span("ai.generateText.doGenerate").attributes).filter(
      (k) => !k.startsWith("ai.") && !k.startsWith("gen_ai.") && k !== "operation.name",
    );
    expect(added.sort()).toEqual(["input.value", "openinference.span.kind", "output.value"]);
  });
});

describe("Vercel AI SDK spans from the app's own provider, sent through BentoLabsSpanProcessor", () => {
  it("reach Bento with Bento's columns while the app's other exporters get them untouched", async () => {
    const appExporter = new InMemorySpanExporter();
    const processor = new bento.BentoLabsSpanProcessor({ apiKey: TEST_KEY, baseUrl: receiver.url });
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(appExporter), processor] });
    const model = new MockLanguageModelV3({
      provider: "openai.chat",
      modelId: "gpt-4o",
      doGenerate: {
        content: [{ type: "text", text: "hi there" }],
        finishReason: { unified: "stop", raw: "stop" },
        usage: usage(2, 2),
        warnings: [],
      },
    });
    await generateText({ model, prompt: "hello", experimental_telemetry: { isEnabled: true, tracer: provider.getTracer("ai") } });
    await processor.forceFlush();
    expect(receiver.span("ai.generateText.doGenerate").attributes).toMatchObject({
      "openinference.span.kind": "llm",
      "gen_ai.system": "openai",
      "output.value": "hi there",
      "llm.token_count.total": 4,
    });
    expect(receiver.span("ai.generateText").attributes["openinference.span.kind"]).toBe("chain");
    const appSide = appExporter.getFinishedSpans().find((s) => s.name === "ai.generateText.doGenerate")!;
    expect(appSide.attributes["openinference.span.kind"]).toBeUndefined();
    expect(appSide.attributes["gen_ai.system"]).toBe("openai.chat");
    await provider.shutdown();
  });

  it("reach Bento with Bento's columns through BentoLabsTraceExporter behind the app's own processor", async () => {
    const provider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(new bento.BentoLabsTraceExporter({ apiKey: TEST_KEY, baseUrl: receiver.url }))],
    });
    const model = new MockLanguageModelV3({
      provider: "amazon-bedrock",
      modelId: "anthropic.claude-3-sonnet-20240229-v1:0",
      doGenerate: {
        content: [{ type: "text", text: "ok" }],
        finishReason: { unified: "stop", raw: "stop" },
        usage: usage(1, 1),
        warnings: [],
      },
    });
    await generateText({ model, prompt: "hello", experimental_telemetry: { isEnabled: true, tracer: provider.getTracer("ai") } });
    await provider.forceFlush();
    expect(receiver.span("ai.generateText.doGenerate").attributes).toMatchObject({
      "openinference.span.kind": "llm",
      "gen_ai.system": "aws_bedrock",
    });
    await provider.shutdown();
  });
});
