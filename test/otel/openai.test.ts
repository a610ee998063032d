import { OpenAIInstrumentation } from "@arizeai/openinference-instrumentation-openai";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { type FakeOpenAI, startFakeOpenAI } from "../../examples/fake-openai.mjs";
import * as bento from "../../src/index.js";
import { capture } from "../../src/testing/index.js";
import { runNode } from "../helpers/child.js";
import { streamChat } from "../helpers/openai.js";
import { type ReceivedSpan, type Receiver, TEST_KEY } from "../helpers/receiver.js";
import { flushUntil, useLocalServer, useReceiver } from "../helpers/setup.js";

// The ESM `openai` module is not seen by require hooks, so patch the class we hold (README recipe).
const instrumentation = new OpenAIInstrumentation();
bento.instrument(instrumentation);
instrumentation.manuallyInstrument(OpenAI);

let server: FakeOpenAI;
let client: OpenAI;
useLocalServer(startFakeOpenAI, (s) => (client = new OpenAI({ apiKey: "sk-fake", baseURL: (server = s).baseURL, maxRetries: 0 })));

const { flush } = useReceiver();

async function chat(content: string): Promise<string | null> {
  const res = await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content }] });
  return res.choices[0]!.message.content;
}

function llmSpans(r: Receiver): ReceivedSpan[] {
  return r.spans.filter((s) => s.name === "OpenAI Chat Completions");
}

/** Flush until `n` LLM spans arrived: a stream the caller did not drain ends its span when the network is done. */
function flushLlmSpans(n: number): Promise<Receiver> {
  return flushUntil(flush, (r) => llmSpans(r).length >= n, `${n} LLM spans`);
}

function expectChildLlmSpan(span: ReceivedSpan, parent: ReceivedSpan, question: string): void {
  expect(span.parentSpanId).toBe(parent.spanId);
  expect(span.traceId).toBe(parent.traceId);
  expect(span.attributes).toMatchObject({
    "openinference.span.kind": "LLM",
    "llm.model_name": "gpt-4o-mini",
    "llm.output_messages.0.message.role": "assistant",
    "llm.output_messages.0.message.content": `Echo: ${question}`,
  });
  expect(String(span.attributes["input.value"])).toContain(question);
  // JSON of the whole response for a plain call, the concatenated text for a stream
  expect(String(span.attributes["output.value"])).toContain(`Echo: ${question}`);
}

/** The fake server counts words: prompt = the question, completion = "Echo:" + the question. */
function expectTokenCounts(span: ReceivedSpan, question: string): void {
  const n = question.split(" ").length;
  expect(span.attributes).toMatchObject({
    "llm.token_count.prompt": n,
    "llm.token_count.completion": n + 1,
    "llm.token_count.total": 2 * n + 1,
  });
}

function expectSameKey(r: Receiver): void {
  expect(r.requests.length).toBeGreaterThan(0);
  for (const req of r.requests) expect(req.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
}

describe("OpenInference OpenAI instrumentation through bento.instrument()", () => {
  it("nests a chat completion and a streamed completion under a callback-form trajectory", async () => {
    const answer = await bento.begin({ event: "agent_run" }, async () => {
      const a = await chat("what is two plus two");
      const b = await streamChat(client, "and three plus three");
      return `${a} / ${b}`;
    });
    expect(answer).toBe("Echo: what is two plus two / Echo: and three plus three");
    const r = await flush();
    const trajectory = r.span("agent_run");
    const [plain, streamed] = llmSpans(r).sort((a, b) => a.startTimeUnixNano.localeCompare(b.startTimeUnixNano));
    expect(llmSpans(r)).toHaveLength(2);
    expectChildLlmSpan(plain!, trajectory, "what is two plus two");
    expectTokenCounts(plain!, "what is two plus two");
    expectChildLlmSpan(streamed!, trajectory, "and three plus three");
    expectTokenCounts(streamed!, "and three plus three");
    expectSameKey(r);
    expect(server.requests.at(-1)).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it("nests calls under a handle-form trajectory, where no OTel context is active", async () => {
    const t = bento.begin({ event: "handle_run" });
    await chat("hello there");
    await streamChat(client, "streaming hello");
    t.finish();
    const r = await flush();
    const trajectory = r.span("handle_run");
    expect(llmSpans(r)).toHaveLength(2);
    for (const s of llmSpans(r)) expect(s.parentSpanId).toBe(trajectory.spanId);
    expectSameKey(r);
  });

  it("nests calls under the innermost tool span", async () => {
    await bento.begin({ event: "outer" }, () => bento.toolSpan("research", {}, () => chat("inside a tool")));
    const r = await flush();
    expectChildLlmSpan(llmSpans(r)[0]!, r.span("research"), "inside a tool");
    expectTokenCounts(llmSpans(r)[0]!, "inside a tool");
  });

  it("records token counts on a streamed call even when the caller reads its stream late", async () => {
    // The instrumentation consumes its own branch of the stream at once and ends the span when
    // it is done; the usage chunk must be on the span by then, whatever the caller does.
    const text = await bento.begin({ event: "slow_reader" }, async () => {
      const stream = await client.chat.completions.create({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "read me later" }],
        stream: true,
        stream_options: { include_usage: true },
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      let out = "";
      for await (const chunk of stream) out += chunk.choices[0]?.delta.content ?? "";
      return out;
    });
    expect(text).toBe("Echo: read me later");
    const r = await flush();
    expectTokenCounts(llmSpans(r)[0]!, "read me later");
  });

  it("records token counts on a streamed call whose stream the caller never reads", async () => {
    await bento.begin({ event: "unread" }, async () => {
      await client.chat.completions.create({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "nobody reads this" }],
        stream: true,
        stream_options: { include_usage: true },
      });
    });
    const r = await flushLlmSpans(1);
    expectTokenCounts(llmSpans(r)[0]!, "nobody reads this");
  });

  it("keeps a streamed call's APIPromise: withResponse() still works", async () => {
    const { data: stream, response } = await client.chat.completions
      .create({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "with response" }],
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    expect(response.status).toBe(200);
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("Echo: with response");
    const r = await flush();
    expectTokenCounts(llmSpans(r)[0]!, "with response");
  });

  it("leaves a streamed call without include_usage as it was: no token counts, every chunk delivered", async () => {
    const chunks: unknown[] = [];
    await bento.begin({ event: "no_usage" }, async () => {
      const stream = await client.chat.completions.create({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "no usage please" }],
        stream: true,
      });
      for await (const chunk of stream) chunks.push(chunk);
    });
    const r = await flush();
    expect(chunks.map((c) => (c as { choices: { delta: { content?: string } }[] }).choices[0]?.delta.content ?? "").join("")).toBe(
      "Echo: no usage please",
    );
    expect(Object.keys(llmSpans(r)[0]!.attributes).filter((k) => k.startsWith("llm.token_count"))).toEqual([]);
    expect(llmSpans(r)[0]!.attributes["output.value"]).toBe("Echo: no usage please");
  });

  it("ends cleanly when the caller breaks out of a streamed call early", async () => {
    const first = await bento.begin({ event: "early_break" }, async () => {
      const stream = await client.chat.completions.create({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "stop after the first word" }],
        stream: true,
        stream_options: { include_usage: true },
      });
      for await (const chunk of stream) if (chunk.choices[0]?.delta.content) return chunk.choices[0].delta.content;
      return "";
    });
    expect(first).toBe("Echo: ");
    const r = await flushLlmSpans(1);
    expect(llmSpans(r)[0]!.parentSpanId).toBe(r.span("early_break").spanId);
    expectTokenCounts(llmSpans(r)[0]!, "stop after the first word");
  });

  it("ends a consumed stream's span before the caller's loop ends, so a flush right after exports it", async () => {
    // A serverless handler: consume, flush, return. The LLM span must have ended by the time the
    // caller's loop is done, not some microtasks later when the instrumentation's branch catches up.
    using spans = capture();
    for (let i = 1; i <= 5; i++) {
      const stream = await client.chat.completions.create({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: `request number ${i}` }],
        stream: true,
        stream_options: { include_usage: true },
      });
      for await (const _ of stream);
      expect(spans.byName("OpenAI Chat Completions"), `request ${i}`).toHaveLength(i);
    }
    expectTokenCounts(llmSpans(await flush()).at(-1)!, "request number 5");
  });

  it("survives a stream the server cuts off: the caller gets the SDK's error, the span ends as an error, nothing is unhandled", async () => {
    // Upstream alone rethrows the read error from a detached promise: an unhandled rejection that
    // ends the process by default, and an LLM span that never ends.
    const failure = await bento
      .begin({ event: "cut_off" }, () => streamChat(client, "please [cut the stream] now"))
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(Error);
    const r = await flushLlmSpans(1);
    const [cut] = llmSpans(r);
    expect(cut!.parentSpanId).toBe(r.span("cut_off").spanId);
    expect(cut!.status).toMatchObject({ code: 2, message: (failure as Error).message });
    expect(cut!.events?.map((e) => e.name)).toEqual(["exception"]);
    // What arrived before the cut is kept.
    expect(cut!.attributes["output.value"]).toBe("Echo: ");
    // The next streamed call is unaffected.
    await bento.begin({ event: "after_cut" }, () => streamChat(client, "all good again"));
    expectTokenCounts(llmSpans(await flushLlmSpans(2))[1]!, "all good again");
  });

  it("keeps a process alive when a stream is cut off and the caller handles the error", async () => {
    // What a user's app sees: upstream alone crashes here (exit 1, unhandled rejection).
    const res = await runNode(
      `import * as bento from "@bentolabs/sdk";
       import OpenAI from "openai";
       import { OpenAIInstrumentation } from "@arizeai/openinference-instrumentation-openai";
       const instrumentation = new OpenAIInstrumentation();
       bento.instrument(instrumentation);
       instrumentation.manuallyInstrument(OpenAI);
       const client = new OpenAI({ apiKey: "sk-fake", baseURL: ${JSON.stringify(server.baseURL)}, maxRetries: 0 });
       try {
         const stream = await client.chat.completions.create({
           model: "gpt-4o-mini", messages: [{ role: "user", content: "[cut the stream]" }], stream: true,
         });
         for await (const chunk of stream);
       } catch (error) {
         console.log("caught:", error.message);
       }
       await new Promise((resolve) => setTimeout(resolve, 100));
       console.log("still alive");`,
      { env: { BENTOLABS_LOG_LEVEL: "error" } },
    );
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/caught: .*\nstill alive/);
  });

  it("traces the Responses API, plain and streamed, with token counts", async () => {
    const text = await bento.begin({ event: "responses_run" }, async () => {
      const plain = await client.responses.create({ model: "gpt-4o-mini", input: "plain responses call" });
      const stream = await client.responses.create({ model: "gpt-4o-mini", input: "streamed responses call", stream: true });
      let streamed = "";
      for await (const event of stream) if (event.type === "response.output_text.delta") streamed += event.delta;
      return `${plain.output_text} | ${streamed}`;
    });
    expect(text).toBe("Echo: plain responses call | Echo: streamed responses call");
    const r = await flush();
    const spans = r.spans.filter((s) => s.name === "OpenAI Responses");
    expect(spans).toHaveLength(2);
    for (const s of spans) {
      expect(s.parentSpanId).toBe(r.span("responses_run").spanId);
      expect(s.attributes).toMatchObject({
        "llm.model_name": "gpt-4o-mini",
        "llm.token_count.prompt": 3,
        "llm.token_count.completion": 4,
        "llm.token_count.total": 7,
      });
    }
  });

  it("survives a cut-off Responses stream: the caller gets the error, the span ends as an error", async () => {
    const failure = await bento
      .begin({ event: "responses_cut" }, async () => {
        const stream = await client.responses.create({ model: "gpt-4o-mini", input: "please [cut the stream]", stream: true });
        for await (const _ of stream);
      })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(Error);
    const r = await flushUntil(flush, (x) => x.spans.some((s) => s.name === "OpenAI Responses"), "the Responses span");
    const span = r.spans.find((s) => s.name === "OpenAI Responses")!;
    expect(span.parentSpanId).toBe(r.span("responses_cut").spanId);
    expect(span.status).toMatchObject({ code: 2, message: (failure as Error).message });
    expect(span.events.map((e) => e.name)).toEqual(["exception"]);
  });

  it("nests spans made inside the instrumented call under the LLM span, not the trajectory", async () => {
    // A fetch that traces itself, like an HTTP instrumentation wired to Bento's provider would.
    const http = bento.getTracerProvider().getTracer("http");
    const tracedFetch: typeof fetch = (input, init) => http.startActiveSpan("POST", (span) => fetch(input, init).finally(() => span.end()));
    const traced = new OpenAI({ apiKey: "sk-fake", baseURL: server.baseURL, maxRetries: 0, fetch: tracedFetch });
    await bento.begin({ event: "run" }, () =>
      traced.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
    );
    const r = await flush();
    expect(r.span("POST").parentSpanId).toBe(r.span("OpenAI Chat Completions").spanId);
    expect(r.span("OpenAI Chat Completions").parentSpanId).toBe(r.span("run").spanId);
  });

  it("exports a call made outside any trajectory as its own root span", async () => {
    await chat("standalone call");
    const r = await flush();
    const [span] = llmSpans(r);
    expect(span?.parentSpanId).toBeUndefined();
    expectSameKey(r);
  });

  it("keeps exporting after shutdown and re-initialization", async () => {
    await bento.shutdown();
    bento.init({ apiKey: TEST_KEY, baseUrl: (await flush()).url });
    await bento.begin({ event: "after_restart" }, () => chat("still traced"));
    const r = await flush();
    expectChildLlmSpan(llmSpans(r)[0]!, r.span("after_restart"), "still traced");
  });

  it("patches openai loaded with require() after instrument(), with no manual step, streams included", async () => {
    // A CommonJS app: the require hook patches `openai` when it is loaded. Spans go to a test capture.
    const res = await runNode(
      `const bento = require("@bentolabs/sdk");
       const { capture } = require("@bentolabs/sdk/testing");
       const { OpenAIInstrumentation } = require("@arizeai/openinference-instrumentation-openai");
       bento.instrument(new OpenAIInstrumentation());
       const OpenAI = require("openai");
       (async () => {
         const spans = capture();
         const client = new OpenAI({ apiKey: "sk-fake", baseURL: ${JSON.stringify(server.baseURL)}, maxRetries: 0 });
         const t = bento.begin({ event: "cjs_run" });
         await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });
         const stream = await client.chat.completions.create({
           model: "gpt-4o-mini", messages: [{ role: "user", content: "hi again" }], stream: true, stream_options: { include_usage: true },
         });
         for await (const chunk of stream);
         t.finish();
         await new Promise((resolve) => setTimeout(resolve, 20));
         console.log(spans.tree({ attributes: ["llm.model_name", "llm.token_count.total"] }));
       })();`,
      { cjs: true },
    );
    expect(res.stderr).toBe("");
    expect(res.stdout.trim()).toBe(
      [
        "cjs_run",
        "  OpenAI Chat Completions {llm.model_name=gpt-4o-mini, llm.token_count.total=3}",
        "  OpenAI Chat Completions {llm.model_name=gpt-4o-mini, llm.token_count.total=5}",
      ].join("\n"),
    );
  });
});
