import { afterEach, describe, expect, it, vi } from "vitest";
import { runNode } from "../helpers/child.js";
import { streamChat } from "../helpers/openai.js";
import { useLocalServer } from "../helpers/setup.js";
import OpenAI from "openai";
import { OpenAIInstrumentation } from "@arizeai/openinference-instrumentation-openai";
import * as bento from "../../src/index.js";
import { capture } from "../../src/testing/index.js";
import { installStreamObserver, OPENINFERENCE_OPENAI, usageAttributes } from "../../src/otel/openai-stream-usage.js";
import { resetLogState } from "../../src/log.js";
import { startFakeOpenAI, type FakeOpenAI } from "../../examples/fake-openai.mjs";

// Spans go to an in-memory capture (no key): this file is about span shape, not export.
let server: FakeOpenAI;
let client: OpenAI;
useLocalServer(startFakeOpenAI, (s) => (client = new OpenAI({ apiKey: "sk-fake", baseURL: (server = s).baseURL, maxRetries: 0 })));
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  resetLogState();
});

const tokenKeys = (attributes: Record<string, unknown>): string[] => Object.keys(attributes).filter((k) => k.startsWith("llm.token_count"));

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe("usageAttributes", () => {
  it("maps OpenAI's usage, details included, to the OpenInference token keys", () => {
    expect(
      usageAttributes({
        prompt_tokens: 120,
        completion_tokens: 30,
        total_tokens: 150,
        prompt_tokens_details: { cached_tokens: 100, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 12, audio_tokens: 0 },
      }),
    ).toEqual({
      "llm.token_count.prompt": 120,
      "llm.token_count.completion": 30,
      "llm.token_count.total": 150,
      "llm.token_count.prompt_details.cache_read": 100,
      "llm.token_count.prompt_details.audio": 0,
      "llm.token_count.completion_details.reasoning": 12,
      "llm.token_count.completion_details.audio": 0,
    });
  });

  it("drops what is not a finite number", () => {
    expect(usageAttributes({ prompt_tokens: "12", completion_tokens: Number.NaN, total_tokens: null, prompt_tokens_details: null })).toEqual({});
  });
});

describe("the stream observer on an openai-shaped module", () => {
  // A module with the shape the observer needs (Chat.Completions.prototype.create returning an
  // APIPromise-like with `_thenUnwrap`, resolving to a Stream-like with `iterator`), so hostile
  // chunks can be fed that no HTTP server would send.
  function fakeModule(chunks: unknown[]) {
    class Completions {
      create(body: { stream?: boolean }) {
        const stream = {
          iterator: async function* () {
            yield* chunks;
          },
          async *[Symbol.asyncIterator]() {
            yield* this.iterator();
          },
        };
        const result = Promise.resolve(body.stream ? stream : { choices: [] });
        return Object.assign(result, { _thenUnwrap: (fn: (v: unknown) => unknown) => result.then(fn) });
      }
    }
    return { OpenAI: { Chat: { Completions } } };
  }

  async function callInLlmSpan(module: ReturnType<typeof fakeModule>, body: { stream?: boolean }) {
    const tracer = bento.getTracerProvider().getTracer(OPENINFERENCE_OPENAI);
    const received: unknown[] = [];
    await tracer.startActiveSpan("OpenAI Chat Completions", async (span) => {
      const stream = (await new module.OpenAI.Chat.Completions().create(body)) as AsyncIterable<unknown>;
      for await (const chunk of stream) received.push(chunk);
      span.end();
    });
    return received;
  }

  it("never lets a hostile usage chunk reach the caller as an error", async () => {
    const hostile = [
      { usage: { get prompt_tokens(): number { throw new Error("getter"); } } },
      { usage: new Proxy({}, { get() { throw new Error("proxy"); } }) },
      { usage: { prompt_tokens: 10n, completion_tokens: 2 } },
      null,
      "text",
      { usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } },
    ];
    const module = fakeModule(hostile);
    installStreamObserver(module);
    using spans = capture();
    const received = await callInLlmSpan(module, { stream: true });
    expect(received).toEqual(hostile);
    // The BigInt chunk set what was a number; the last chunk's counts win.
    expect(spans.span("OpenAI Chat Completions").attributes).toMatchObject({
      "llm.token_count.prompt": 3,
      "llm.token_count.completion": 4,
      "llm.token_count.total": 7,
    });
  });

  it("leaves spans of other tracers and non-streamed calls alone", async () => {
    const module = fakeModule([{ usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } }]);
    installStreamObserver(module);
    using spans = capture();
    await bento.getTracerProvider().getTracer("my-app").startActiveSpan("mine", async (span) => {
      for await (const _ of (await new module.OpenAI.Chat.Completions().create({ stream: true })) as AsyncIterable<unknown>);
      span.end();
    });
    expect(tokenKeys(spans.span("mine").attributes)).toEqual([]);
    expect(await new module.OpenAI.Chat.Completions().create({})).toEqual({ choices: [] });
  });

  it("installs once, and ignores modules of another shape", () => {
    const module = fakeModule([]);
    installStreamObserver(module);
    const once = module.OpenAI.Chat.Completions.prototype.create;
    installStreamObserver(module);
    expect(module.OpenAI.Chat.Completions.prototype.create).toBe(once);
    expect(() => installStreamObserver(undefined)).not.toThrow();
    expect(() => installStreamObserver({ OpenAI: { Chat: null } })).not.toThrow();
    expect(() => installStreamObserver(Object.freeze({ OpenAI: { Chat: { Completions: Object.freeze(class {}) } } }))).not.toThrow();
  });
});

describe("with the real client and instrumentation", () => {
  const instrumentation = new OpenAIInstrumentation();
  bento.instrument(instrumentation);
  instrumentation.manuallyInstrument(OpenAI);

  it("stops observing when the instrumentation is disabled, and resumes when it patches again", async () => {
    using spans = capture();
    instrumentation.disable();
    // Our observer stays on `create` underneath, but only annotates OpenInference's LLM spans.
    await bento.getTracerProvider().getTracer("my-app").startActiveSpan("mine", async (span) => {
      expect(await streamChat(client, "not traced")).toBe("Echo: not traced");
      span.end();
    });
    expect(spans.byName("OpenAI Chat Completions")).toHaveLength(0);
    expect(tokenKeys(spans.span("mine").attributes)).toEqual([]);

    instrumentation.manuallyInstrument(OpenAI);
    await bento.begin({ event: "again" }, () => streamChat(client, "traced again"));
    await until(() => spans.byName("OpenAI Chat Completions").length > 0);
    expect(spans.span("OpenAI Chat Completions").attributes).toMatchObject({
      "llm.token_count.prompt": 2,
      "llm.token_count.completion": 3,
      "llm.token_count.total": 5,
    });
  });

  it("warns once, naming the fix, when openai was patched before bento.instrument(); calls stay traced", async () => {
    // A fresh process: OpenInference patches a module once per process.
    const res = await runNode(
      `import * as bento from "@bentolabs/sdk";
       import { capture } from "@bentolabs/sdk/testing";
       import OpenAI from "openai";
       import { OpenAIInstrumentation } from "@arizeai/openinference-instrumentation-openai";
       const instrumentation = new OpenAIInstrumentation();
       instrumentation.manuallyInstrument(OpenAI); // the wrong order
       bento.instrument(instrumentation);
       bento.instrument(instrumentation);
       const spans = capture();
       const client = new OpenAI({ apiKey: "sk-fake", baseURL: ${JSON.stringify(server.baseURL)}, maxRetries: 0 });
       const t = bento.begin({ event: "run" });
       const stream = await client.chat.completions.create({
         model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }], stream: true, stream_options: { include_usage: true },
       });
       for await (const chunk of stream);
       t.finish();
       await new Promise((resolve) => setTimeout(resolve, 20));
       console.log(spans.tree({ attributes: ["llm.model_name", "llm.token_count.total"] }));`,
    );
    expect(res.stdout.trim()).toBe("run\n  OpenAI Chat Completions {llm.model_name=gpt-4o-mini}");
    const warnings = res.stderr.trim().split("\n");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/streamed chat completions will carry no token counts\. Call bento\.instrument\(instrumentation\) before manuallyInstrument/);
  });
});
