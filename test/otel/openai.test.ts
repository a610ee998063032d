import { afterAll, beforeAll, describe, expect, it } from "vitest";
import OpenAI from "openai";
import { OpenAIInstrumentation } from "@arizeai/openinference-instrumentation-openai";
import * as bento from "../../src/index.js";
import { useReceiver } from "../helpers/setup.js";
import { TEST_KEY, type Receiver, type ReceivedSpan } from "../helpers/receiver.js";
import { startFakeOpenAI, type FakeOpenAI } from "../../examples/fake-openai.mjs";
import { runNode } from "../helpers/child.js";

// The ESM `openai` module is not seen by require hooks, so patch the class we hold (README recipe).
const instrumentation = new OpenAIInstrumentation();
bento.instrument(instrumentation);
instrumentation.manuallyInstrument(OpenAI);

let server: FakeOpenAI;
let client: OpenAI;
beforeAll(async () => {
  server = await startFakeOpenAI();
  client = new OpenAI({ apiKey: "sk-fake", baseURL: server.baseURL, maxRetries: 0 });
});
afterAll(() => server.close());

const { flush } = useReceiver();

async function chat(content: string): Promise<string | null> {
  const res = await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content }] });
  return res.choices[0]!.message.content;
}

async function streamChat(content: string): Promise<string> {
  const stream = await client.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content }],
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = "";
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
  return text;
}

function llmSpans(r: Receiver): ReceivedSpan[] {
  return r.spans.filter((s) => s.name === "OpenAI Chat Completions");
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
  expect(span.attributes).toMatchObject({ "llm.token_count.prompt": n, "llm.token_count.completion": n + 1, "llm.token_count.total": 2 * n + 1 });
}

function expectSameKey(r: Receiver): void {
  expect(r.requests.length).toBeGreaterThan(0);
  for (const req of r.requests) expect(req.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
}

describe("OpenInference OpenAI instrumentation through bento.instrument()", () => {
  it("nests a chat completion and a streamed completion under a callback-form trajectory", async () => {
    const answer = await bento.begin({ event: "agent_run" }, async () => {
      const a = await chat("what is two plus two");
      const b = await streamChat("and three plus three");
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
    expectSameKey(r);
    expect(server.requests.at(-1)).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it("nests calls under a handle-form trajectory, where no OTel context is active", async () => {
    const t = bento.begin({ event: "handle_run" });
    await chat("hello there");
    await streamChat("streaming hello");
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

  it("records no token counts on streamed calls (upstream OpenInference 4.2.x skips the usage chunk)", async () => {
    // Pins a known gap of @arizeai/openinference-instrumentation-openai 4.2.7: its stream consumer
    // skips chunks without choices, which is where OpenAI puts `usage`. The request did ask for
    // it and the server sent it. When this fails, upstream fixed it: assert the counts instead.
    await bento.begin({ event: "streamed" }, () => streamChat("count my tokens"));
    const r = await flush();
    expect(server.requests.at(-1)).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(Object.keys(llmSpans(r)[0]!.attributes).filter((k) => k.startsWith("llm.token_count"))).toEqual([]);
  });

  it("nests spans made inside the instrumented call under the LLM span, not the trajectory", async () => {
    // A fetch that traces itself, like an HTTP instrumentation wired to Bento's provider would.
    const http = bento.getTracerProvider().getTracer("http");
    const tracedFetch: typeof fetch = (input, init) => http.startActiveSpan("POST", (span) => fetch(input, init).finally(() => span.end()));
    const traced = new OpenAI({ apiKey: "sk-fake", baseURL: server.baseURL, maxRetries: 0, fetch: tracedFetch });
    await bento.begin({ event: "run" }, () => traced.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }));
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

  it("patches openai loaded with require() after instrument(), with no manual step", async () => {
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
         t.finish();
         console.log(spans.tree({ attributes: ["llm.model_name", "llm.token_count.total"] }));
       })();`,
      { cjs: true },
    );
    expect(res.stderr).toBe("");
    expect(res.stdout.trim()).toBe("cjs_run\n  OpenAI Chat Completions {llm.model_name=gpt-4o-mini, llm.token_count.total=3}");
  });
});
