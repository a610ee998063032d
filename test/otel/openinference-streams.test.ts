import { OpenAIInstrumentation } from "@arizeai/openinference-instrumentation-openai";
import { SpanStatusCode } from "@opentelemetry/api";
import OpenAI from "openai";
import { Stream } from "openai/streaming";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type FakeOpenAI, startFakeOpenAI } from "../../examples/fake-openai.mjs";
import * as bento from "../../src/index.js";
import { resetLogState } from "../../src/log.js";
import { installBeneath } from "../../src/otel/openinference/beneath.js";
import { prepareStream, usageAttributes } from "../../src/otel/openinference/streams.js";
import { capture } from "../../src/testing/index.js";
import { runNode } from "../helpers/child.js";
import { streamChat } from "../helpers/openai.js";
import { useLocalServer } from "../helpers/setup.js";

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
    expect(
      usageAttributes({ prompt_tokens: "12", completion_tokens: Number.NaN, total_tokens: null, prompt_tokens_details: null }),
    ).toEqual({});
  });
});

describe("prepareStream on openai's real Stream class", () => {
  const tracer = bento.getTracerProvider().getTracer("@arizeai/openinference-instrumentation-openai");

  function streamOf(items: unknown[], failAfter?: Error): Stream<unknown> {
    return new Stream(async function* () {
      yield* items;
      if (failAfter) throw failAfter;
    }, new AbortController());
  }

  it("records usage from the chunks, and never lets a hostile usage chunk reach the caller as an error", async () => {
    const hostile = [
      {
        usage: {
          get prompt_tokens(): number {
            throw new Error("getter");
          },
        },
      },
      {
        usage: new Proxy(
          {},
          {
            get() {
              throw new Error("proxy");
            },
          },
        ),
      },
      { usage: { prompt_tokens: 10n, completion_tokens: 2 } },
      null,
      "text",
      { usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } },
    ];
    using spans = capture();
    const span = tracer.startSpan("llm");
    const stream = streamOf(hostile);
    prepareStream(stream, span, { usage: true });
    const received: unknown[] = [];
    for await (const chunk of stream) received.push(chunk);
    span.end();
    expect(received).toEqual(hostile);
    // The BigInt chunk set what was a number; the last chunk's counts win.
    expect(spans.span("llm").attributes).toMatchObject({
      "llm.token_count.prompt": 3,
      "llm.token_count.completion": 4,
      "llm.token_count.total": 7,
    });
  });

  it("turns a read error into a failed span on the branch read at once, and leaves the other branch's error alone", async () => {
    using spans = capture();
    const span = tracer.startSpan("llm");
    const stream = streamOf([{ n: 1 }], new Error("other side closed"));
    prepareStream(stream, span, { usage: false });
    const [caller, instrumentation] = stream.tee();
    // What the instrumentation does: read its branch at once, end the span after the loop, mark it OK.
    const consumed = (async () => {
      const seen: unknown[] = [];
      for await (const chunk of instrumentation) seen.push(chunk);
      span.setStatus({ code: SpanStatusCode.OK });
      span.end();
      return seen;
    })();
    expect(await consumed).toEqual([{ n: 1 }]);
    const read = (async () => {
      for await (const _ of caller);
    })();
    await expect(read).rejects.toThrow("other side closed");
    const recorded = spans.span("llm");
    expect(recorded.status).toMatchObject({ code: "error", message: "other side closed" });
    expect(recorded.events.map((e) => e.name)).toEqual(["exception"]);
  });

  it("delivers the caller's end only after the span ended, however many microtasks the instrumentation takes", async () => {
    using spans = capture();
    const span = tracer.startSpan("llm");
    const stream = streamOf([{ n: 1 }, { n: 2 }]);
    prepareStream(stream, span, { usage: false });
    const [caller, instrumentation] = stream.tee();
    void (async () => {
      for await (const _ of instrumentation);
      for (let i = 0; i < 20; i++) await Promise.resolve(); // slow bookkeeping before span.end()
      span.end();
    })();
    for await (const _ of caller);
    expect(spans.byName("llm")).toHaveLength(1);
  });

  it("does not hold the caller's end when the span never ends", async () => {
    const span = tracer.startSpan("llm");
    const stream = streamOf([{ n: 1 }]);
    prepareStream(stream, span, { usage: false });
    const [caller, instrumentation] = stream.tee();
    void (async () => {
      for await (const _ of instrumentation);
    })();
    const started = performance.now();
    for await (const _ of caller);
    expect(performance.now() - started).toBeLessThan(1000);
    span.end();
  });

  it("guards no branch that is first read later than tee()'s own tick", async () => {
    const span = tracer.startSpan("llm");
    const stream = streamOf([], new Error("cut"));
    prepareStream(stream, span, { usage: false });
    const [a, b] = stream.tee();
    await Promise.resolve();
    const first = (async () => {
      for await (const _ of a);
    })();
    const second = (async () => {
      for await (const _ of b);
    })();
    await expect(first).rejects.toThrow("cut");
    await expect(second).rejects.toThrow("cut");
    span.end();
  });
});

describe("installBeneath", () => {
  it("installs once, refuses a method an instrumentation already wrapped, and ignores other shapes", () => {
    class Completions {
      create() {
        return "original";
      }
    }
    const wrap = (original: (this: unknown, ...args: unknown[]) => unknown) =>
      function (this: unknown, ...args: unknown[]) {
        return `beneath ${String(original.apply(this, args))}`;
      };
    expect(installBeneath(Completions.prototype, "create", wrap)).toBe("installed");
    expect(installBeneath(Completions.prototype, "create", wrap)).toBe("already");
    expect(new Completions().create()).toBe("beneath original");
    const patched = Object.assign(() => "instrumented", { __wrapped: true });
    expect(installBeneath({ create: patched }, "create", wrap)).toBe("too-late");
    expect(installBeneath(undefined, "create", wrap)).toBe("absent");
    expect(installBeneath(Object.freeze({ create() {} }), "create", wrap)).toBe("absent");
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
    await bento
      .getTracerProvider()
      .getTracer("my-app")
      .startActiveSpan("mine", async (span) => {
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
    expect(warnings[0]).toMatch(
      /openai was patched by the OpenInference instrumentation before bento\.instrument\(\).*Call bento\.instrument\(instrumentation\) before manuallyInstrument/,
    );
  });
});
