import Anthropic from "@anthropic-ai/sdk";
import { AnthropicInstrumentation } from "@arizeai/openinference-instrumentation-anthropic";
import { describe, expect, it } from "vitest";
import * as bento from "../../src/index.js";
import { type FakeAnthropic, type SentEvent, startFakeAnthropic } from "../helpers/fake-anthropic.js";
import { type ReceivedSpan, type Receiver, TEST_KEY } from "../helpers/receiver.js";
import { flushUntil, useLocalServer, useReceiver } from "../helpers/setup.js";

// The docs' recipe, as written: the ESM `@anthropic-ai/sdk` module is not seen by require hooks,
// so patch the class we hold.
const anthropicInstrumentation = new AnthropicInstrumentation();
bento.instrument(anthropicInstrumentation);
anthropicInstrumentation.manuallyInstrument(Anthropic);

const MODEL = "claude-haiku-4-5";
const LLM_SPAN = "Anthropic Messages";

let server: FakeAnthropic;
let client: Anthropic;
useLocalServer(
  startFakeAnthropic,
  (s) => (client = new Anthropic({ apiKey: "sk-ant-fake", baseURL: (server = s).baseURL, maxRetries: 0 })),
);

const { flush } = useReceiver();

type Params = { model: string; max_tokens: number; messages: Array<{ role: "user"; content: string }> };
const params = (content: string): Params => ({ model: MODEL, max_tokens: 256, messages: [{ role: "user", content }] });

function textOf(message: Anthropic.Message): string {
  return message.content.map((b) => (b.type === "text" ? b.text : "")).join("");
}

async function ask(content: string): Promise<string> {
  return textOf(await client.messages.create(params(content)));
}

/** `messages.create({ stream: true })`, read to the end: the joined text and every event received. */
async function askStreamed(content: string): Promise<{ text: string; events: Anthropic.RawMessageStreamEvent[] }> {
  const stream = await client.messages.create({ ...params(content), stream: true });
  const events: Anthropic.RawMessageStreamEvent[] = [];
  let text = "";
  for await (const event of stream) {
    events.push(event);
    if (event.type === "content_block_delta" && event.delta.type === "text_delta") text += event.delta.text;
  }
  return { text, events };
}

/** The `client.messages.stream()` helper: its text events, raw events and final message. */
async function askWithHelper(content: string): Promise<{ text: string; events: unknown[]; final: Anthropic.Message }> {
  const stream = client.messages.stream(params(content));
  const events: unknown[] = [];
  let text = "";
  stream.on("streamEvent", (event) => events.push(event));
  stream.on("text", (delta) => (text += delta));
  const final = await stream.finalMessage();
  return { text, events, final };
}

/** The events the server sent, as the SDK hands them on: it drops `ping`. */
function sentEvents(response: unknown): SentEvent["data"][] {
  return (response as SentEvent[]).filter((e) => e.event !== "ping").map((e) => e.data);
}

function llmSpans(r: Receiver): ReceivedSpan[] {
  return r.spans.filter((s) => s.name === LLM_SPAN).sort((a, b) => a.startTimeUnixNano.localeCompare(b.startTimeUnixNano));
}

/** Flush until `n` LLM spans arrived: a stream's span ends when the instrumentation's own branch of it is read, which can be a little after the caller's. */
function flushLlmSpans(n: number): Promise<Receiver> {
  return flushUntil(flush, (r) => llmSpans(r).length >= n, `${n} LLM spans`);
}

/** Every attribute the instrumentation writes on a text-only call, plain or streamed (measured). */
const LLM_ATTRIBUTE_KEYS = [
  "openinference.span.kind",
  "llm.system",
  "llm.provider",
  "llm.model_name",
  "llm.request.model_name",
  "llm.response.model_name",
  "llm.invocation_parameters",
  "input.value",
  "input.mime_type",
  "llm.input_messages.0.message.role",
  "llm.input_messages.0.message.content",
  "output.value",
  "output.mime_type",
  "llm.output_messages.0.message.role",
  "llm.output_messages.0.message.contents.0.message_content.type",
  "llm.output_messages.0.message.contents.0.message_content.text",
  "llm.finish_reason",
  "llm.token_count.prompt",
  "llm.token_count.completion",
  "llm.token_count.total",
  // Bento's columns, from the OpenInference keys above (SPEC.md §5a)
  "gen_ai.request.model",
  "gen_ai.system",
  "gen_ai.usage.input_tokens",
  "gen_ai.usage.output_tokens",
].sort();

/**
 * An LLM span for one question, child of `parent`. The fake server counts words: input_tokens = the
 * question, output_tokens = "Echo:" + the question. On a stream, message_start says output_tokens 1
 * and message_delta gives the final count, so a completion count of n + 1 proves the span took the
 * final one.
 */
function expectLlmSpan(span: ReceivedSpan | undefined, parent: ReceivedSpan | undefined, question: string, streamed: boolean): void {
  expect(span).toBeDefined();
  expect(span!.parentSpanId).toBe(parent?.spanId);
  if (parent) expect(span!.traceId).toBe(parent.traceId);
  expect(Object.keys(span!.attributes).sort()).toEqual(LLM_ATTRIBUTE_KEYS);
  const n = question.split(" ").length;
  expect(span!.attributes).toMatchObject({
    "openinference.span.kind": "LLM",
    "llm.system": "anthropic",
    "llm.provider": "anthropic",
    "llm.model_name": MODEL,
    "llm.request.model_name": MODEL,
    "llm.response.model_name": MODEL,
    "input.mime_type": "application/json",
    "llm.input_messages.0.message.role": "user",
    "llm.input_messages.0.message.content": question,
    "llm.output_messages.0.message.role": "assistant",
    "llm.output_messages.0.message.contents.0.message_content.type": "text",
    "llm.output_messages.0.message.contents.0.message_content.text": `Echo: ${question}`,
    "llm.finish_reason": "end_turn",
    "llm.token_count.prompt": n,
    "llm.token_count.completion": n + 1,
    "llm.token_count.total": 2 * n + 1,
    "gen_ai.request.model": MODEL,
    "gen_ai.system": "anthropic",
    "gen_ai.usage.input_tokens": n,
    "gen_ai.usage.output_tokens": n + 1,
  });
  const stream = streamed ? { stream: true } : {};
  expect(JSON.parse(String(span!.attributes["input.value"]))).toEqual({ ...params(question), ...stream });
  expect(JSON.parse(String(span!.attributes["llm.invocation_parameters"]))).toEqual({ model: MODEL, max_tokens: 256, ...stream });
  if (streamed) {
    // A stream's output is the concatenated text
    expect(span!.attributes).toMatchObject({ "output.value": `Echo: ${question}`, "output.mime_type": "text/plain" });
  } else {
    // A plain call's output is the whole Message as JSON
    expect(span!.attributes["output.mime_type"]).toBe("application/json");
    expect(JSON.parse(String(span!.attributes["output.value"]))).toMatchObject({
      role: "assistant",
      content: [{ type: "text", text: `Echo: ${question}` }],
    });
  }
  expect(span!.status.code).toBe(1); // OK
}

function expectSameKey(r: Receiver): void {
  expect(r.requests.length).toBeGreaterThan(0);
  for (const req of r.requests) expect(req.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
}

describe("OpenInference Anthropic instrumentation through bento.instrument()", () => {
  it("nests a plain and a streamed messages.create under a callback-form trajectory, with model, input, output and token counts", async () => {
    const answer = await bento.begin({ event: "agent_run" }, async () => {
      const a = await ask("what is two plus two");
      const b = await askStreamed("and three plus three");
      return `${a} / ${b.text}`;
    });
    expect(answer).toBe("Echo: what is two plus two / Echo: and three plus three");
    const r = await flushLlmSpans(2);
    const trajectory = r.span("agent_run");
    const [plain, streamed] = llmSpans(r);
    expect(llmSpans(r)).toHaveLength(2);
    expectLlmSpan(plain, trajectory, "what is two plus two", false);
    expectLlmSpan(streamed, trajectory, "and three plus three", true);
    // Nothing else: the Anthropic SDK's own OpenTelemetry support (on by default in 1.x) uses the
    // global tracer provider and propagator, which Bento leaves alone, so it adds no span and no
    // trace header to the API request.
    expect(r.spans.map((s) => s.name).sort()).toEqual(["Anthropic Messages", "Anthropic Messages", "agent_run"]);
    for (const h of server.headers.slice(-2)) expect(Object.keys(h).filter((k) => k === "traceparent" || k === "tracestate")).toEqual([]);
    expectSameKey(r);
  });

  it("nests client.messages.stream() as one LLM span with token counts, and the helper still delivers its events and final message", async () => {
    const out = await bento.begin({ event: "helper_run" }, () => askWithHelper("stream me with the helper"));
    expect(out.text).toBe("Echo: stream me with the helper");
    expect(textOf(out.final)).toBe("Echo: stream me with the helper");
    expect(out.final.usage).toMatchObject({ input_tokens: 5, output_tokens: 6 });
    // The helper accumulates its snapshot into the message_start event's message (with or
    // without instrumentation), so compare the event types here; the test against the
    // uninstrumented SDK compares the events themselves.
    expect(out.events.map((e) => (e as { type: string }).type)).toEqual(sentEvents(server.responses.at(-1)).map((e) => e.type));
    expect(server.requests.at(-1)).toEqual({ ...params("stream me with the helper"), stream: true });
    const r = await flushLlmSpans(1);
    expect(llmSpans(r)).toHaveLength(1);
    expectLlmSpan(llmSpans(r)[0], r.span("helper_run"), "stream me with the helper", true);
    expectSameKey(r);
  });

  it("nests calls under a handle-form trajectory, where no OTel context is active", async () => {
    const t = bento.begin({ event: "handle_run" });
    await ask("hello there");
    await askStreamed("streaming hello");
    await askWithHelper("helper hello");
    t.finish();
    const r = await flushLlmSpans(3);
    const trajectory = r.span("handle_run");
    const [plain, streamed, helper] = llmSpans(r);
    expect(llmSpans(r)).toHaveLength(3);
    expectLlmSpan(plain, trajectory, "hello there", false);
    expectLlmSpan(streamed, trajectory, "streaming hello", true);
    expectLlmSpan(helper, trajectory, "helper hello", true);
    expectSameKey(r);
  });

  it("nests calls under the innermost tool span", async () => {
    await bento.begin({ event: "outer" }, () => bento.toolSpan("research", {}, () => askStreamed("inside a tool")));
    const r = await flushLlmSpans(1);
    expectLlmSpan(llmSpans(r)[0], r.span("research"), "inside a tool", true);
  });

  it("hands the caller exactly what the server sent, and sends the request unchanged", async () => {
    await bento.begin({ event: "exact" }, async () => {
      const message = await client.messages.create(params("give me the message"));
      expect(message).toEqual(server.responses.at(-1));
      expect(server.requests.at(-1)).toEqual(params("give me the message"));
      const { events } = await askStreamed("give me the events");
      expect(events).toEqual(sentEvents(server.responses.at(-1)));
      expect(events.map((e) => e.type)).toEqual([
        "message_start",
        "content_block_start",
        ...Array<string>(5).fill("content_block_delta"), // "Echo: ", "give ", "me ", "the ", "events"
        "content_block_stop",
        "message_delta",
        "message_stop",
      ]);
      expect(server.requests.at(-1)).toEqual({ ...params("give me the events"), stream: true });
    });
    expect(llmSpans(await flushLlmSpans(2))).toHaveLength(2);
  });

  it("gives the caller the same results as the uninstrumented SDK", async () => {
    // Message ids are the only thing that differs between two runs against the fake server.
    const run = async () =>
      JSON.parse(
        JSON.stringify({
          message: await client.messages.create(params("same either way")),
          streamed: await askStreamed("same either way"),
          helper: await askWithHelper("same either way"),
        }).replace(/msg_fake\d+/g, "msg_X"),
      ) as unknown;
    anthropicInstrumentation.disable();
    let bare: unknown;
    try {
      bare = await bento.begin({ event: "bare" }, run);
    } finally {
      bento.instrument(anthropicInstrumentation);
      anthropicInstrumentation.manuallyInstrument(Anthropic);
    }
    const r1 = await flush();
    expect(r1.spans.map((s) => s.name)).toEqual(["bare"]); // really uninstrumented
    const instrumented = await bento.begin({ event: "instrumented" }, run);
    expect(instrumented).toEqual(bare);
    expect(JSON.stringify(instrumented)).toContain("Echo: same either way");
    const r2 = await flushLlmSpans(3);
    expect(llmSpans(r2).filter((s) => s.parentSpanId === r2.span("instrumented").spanId)).toHaveLength(3);
  });

  it("keeps create()'s APIPromise: withResponse() still works, plain and streamed", async () => {
    const plain = await client.messages.create(params("with response")).withResponse();
    expect(plain.response.status).toBe(200);
    expect(plain.request_id).toMatch(/^req_fake/);
    expect(textOf(plain.data)).toBe("Echo: with response");
    const streamed = await client.messages.create({ ...params("streamed with response"), stream: true }).withResponse();
    expect(streamed.response.status).toBe(200);
    let text = "";
    for await (const event of streamed.data)
      if (event.type === "content_block_delta" && event.delta.type === "text_delta") text += event.delta.text;
    expect(text).toBe("Echo: streamed with response");
    const r = await flushLlmSpans(2);
    expectLlmSpan(llmSpans(r)[0], undefined, "with response", false);
    expectLlmSpan(llmSpans(r)[1], undefined, "streamed with response", true);
  });

  it("ends a streamed call's span, with token counts, even when the caller never reads the stream", async () => {
    // The instrumentation tees the stream and reads its own branch at once.
    await bento.begin({ event: "unread" }, async () => {
      await client.messages.create({ ...params("nobody reads this"), stream: true });
    });
    const r = await flushLlmSpans(1);
    expectLlmSpan(llmSpans(r)[0], r.span("unread"), "nobody reads this", true);
  });

  it("records the whole answer and token counts when the caller breaks out of a stream early", async () => {
    const first = await bento.begin({ event: "early_break" }, async () => {
      const stream = await client.messages.create({ ...params("stop after the first word"), stream: true });
      for await (const event of stream)
        if (event.type === "content_block_delta" && event.delta.type === "text_delta") return event.delta.text;
      return "";
    });
    expect(first).toBe("Echo: ");
    const r = await flushLlmSpans(1);
    expectLlmSpan(llmSpans(r)[0], r.span("early_break"), "stop after the first word", true);
  });

  it("records a failed call as an error span under the trajectory, and the caller still gets the SDK's error", async () => {
    const err = await bento
      .begin({ event: "failing" }, () => client.messages.create({ ...params("no such model"), model: "gpt-4o" }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.NotFoundError);
    expect((err as InstanceType<typeof Anthropic.NotFoundError>).status).toBe(404);
    const r = await flushLlmSpans(1);
    const [span] = llmSpans(r);
    expect(span!.parentSpanId).toBe(r.span("failing").spanId);
    expect(span!.status.code).toBe(2); // ERROR
    expect(span!.status.message).toContain("model: gpt-4o");
    expect(span!.events.map((e) => e.name)).toContain("exception");
    expect(span!.attributes).toMatchObject({ "llm.model_name": "gpt-4o", "llm.input_messages.0.message.content": "no such model" });
    expect(Object.keys(span!.attributes).filter((k) => k.startsWith("llm.token_count") || k.startsWith("output."))).toEqual([]);
  });

  it("survives a stream the server cuts off: the caller gets the SDK's error, the span ends as an error, nothing is unhandled", async () => {
    // Upstream alone rethrows the read error from a detached promise (an unhandled rejection, which
    // ends the process by default) and leaves the span open; bento.instrument() guards its branch.
    const err = await bento.begin({ event: "cut_off" }, () => askStreamed("please [cut the stream] now")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    const r = await flushLlmSpans(1);
    const [span] = llmSpans(r);
    expect(span!.parentSpanId).toBe(r.span("cut_off").spanId);
    // The instrumentation marks its finished loop OK; the read error stays the final word.
    expect(span!.status).toMatchObject({ code: 2, message: (err as Error).message });
    expect(span!.events.map((e) => e.name)).toEqual(["exception"]);
    // The next streamed call is unaffected.
    await bento.begin({ event: "after_cut" }, () => askStreamed("all good again"));
    expect(llmSpans(await flushLlmSpans(2))[1]!.status.code).toBe(1);
  });

  it("exports a call made outside any trajectory as its own root span", async () => {
    await ask("standalone call");
    const r = await flush();
    expect(r.spans).toHaveLength(1);
    expectLlmSpan(llmSpans(r)[0], undefined, "standalone call", false);
    expectSameKey(r);
  });
});
