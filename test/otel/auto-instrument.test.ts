// bento.instrument() with no argument, and the "done" scenario: an auto-instrumented
// OpenAI call inside bento.begin under init({ userId, sessionId }) arrives with every column.

import OpenAI from "openai";
import { beforeEach, describe, expect, it } from "vitest";
import { type FakeOpenAI, startFakeOpenAI } from "../../examples/fake-openai.mjs";
import * as bento from "../../src/index.js";
import { autoInstrument } from "../../src/otel/instrument.js";
import { runNode } from "../helpers/child.js";
import { streamChat } from "../helpers/openai.js";
import { type Receiver, TEST_KEY } from "../helpers/receiver.js";
import { flushUntil, useLocalServer, useReceiver } from "../helpers/setup.js";

const OPENAI = "@arizeai/openinference-instrumentation-openai";
const ANTHROPIC = "@arizeai/openinference-instrumentation-anthropic";
const LLM = "OpenAI Chat Completions";

let server: FakeOpenAI;
let client: OpenAI;
useLocalServer(startFakeOpenAI, (s) => (client = new OpenAI({ apiKey: "sk-fake", baseURL: (server = s).baseURL, maxRetries: 0 })));
const { receiver, flush } = useReceiver();

async function chat(content: string): Promise<void> {
  await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content }] });
}
const llmSpans = (r: Receiver) => r.spans.filter((s) => s.name === LLM);

describe("bento.instrument() with no argument", () => {
  let enabled: string[];
  beforeEach(async () => {
    enabled = await bento.instrument();
  });

  it("enables the OpenInference instrumentations installed next to their clients and says which", () => {
    expect(enabled).toEqual([OPENAI, ANTHROPIC]);
  });

  it("fills user, session, model, provider and token columns on an OpenAI call inside a trajectory", async () => {
    bento.init({ apiKey: TEST_KEY, baseUrl: receiver.url, userId: "user_42", sessionId: "chat_99" });
    await bento.begin({ event: "agent_run" }, async () => {
      await chat("what is two plus two");
      await streamChat(client, "and three plus three");
    });
    const r = await flushUntil(flush, (x) => llmSpans(x).length === 2, "two LLM spans");
    for (const span of llmSpans(r)) {
      expect(span.parentSpanId).toBe(r.span("agent_run").spanId);
      expect(span.attributes).toMatchObject({
        "gen_ai.user.id": "user_42",
        "gen_ai.conversation.id": "chat_99",
        "gen_ai.request.model": "gpt-4o-mini",
        "gen_ai.system": "openai",
        "llm.model_name": "gpt-4o-mini",
      });
    }
    const [plain, streamed] = llmSpans(r).sort((a, b) => a.startTimeUnixNano.localeCompare(b.startTimeUnixNano));
    // The fake server counts words: prompt = the question, completion = "Echo:" + the question.
    expect(plain!.attributes).toMatchObject({ "gen_ai.usage.input_tokens": 5, "gen_ai.usage.output_tokens": 6 });
    expect(streamed!.attributes).toMatchObject({ "gen_ai.usage.input_tokens": 4, "gen_ai.usage.output_tokens": 5 });
    expect(r.span("agent_run").attributes).toMatchObject({ "gen_ai.user.id": "user_42", "gen_ai.conversation.id": "chat_99" });
  });

  it("does not enable a second copy when called twice", async () => {
    expect(await bento.instrument()).toEqual([]);
    await chat("once");
    expect(llmSpans(await flushUntil(flush, (x) => llmSpans(x).length > 0))).toHaveLength(1);
  });

  it("stops tracing the client after uninstrument()", async () => {
    bento.uninstrument();
    await chat("not traced");
    bento.trackAi({ event: "marker" });
    const r = await flush();
    expect(r.span("marker")).toBeDefined();
    expect(llmSpans(r)).toHaveLength(0);
    expect(server.requests.length).toBeGreaterThan(0);
  });

  it("is disabled by shutdown(), and enabled again by the next instrument()", async () => {
    await bento.shutdown();
    bento.init({ apiKey: TEST_KEY, baseUrl: receiver.url });
    await chat("after shutdown");
    bento.trackAi({ event: "marker" });
    expect(llmSpans(await flush())).toHaveLength(0);
    expect(await bento.instrument()).toEqual([OPENAI, ANTHROPIC]);
    await chat("instrumented again");
    expect(llmSpans(await flushUntil(flush, (x) => llmSpans(x).length > 0))).toHaveLength(1);
  });
});

describe("bento.instrument() with no argument in the built package", () => {
  const script = (load: string) => `
    ${load}
    (async () => {
      const spans = capture();
      console.log(JSON.stringify(await bento.instrument()));
      const client = new OpenAI({ apiKey: "sk-fake", baseURL: ${JSON.stringify("BASE")}, maxRetries: 0 });
      bento.init({ userId: "u1" });
      await bento.begin({ event: "run" }, () => client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }));
      console.log(spans.tree({ attributes: ["gen_ai.user.id", "gen_ai.request.model", "gen_ai.system"] }));
      await bento.shutdown();
    })();`;
  const expected = [
    "run {gen_ai.user.id=u1}",
    "  OpenAI Chat Completions {gen_ai.user.id=u1, gen_ai.request.model=gpt-4o-mini, gen_ai.system=openai}",
  ].join("\n");

  it("patches the openai a CommonJS app already required", async () => {
    const res = await runNode(
      script(
        `const bento = require("@bentolabs/sdk"); const { capture } = require("@bentolabs/sdk/testing"); const OpenAI = require("openai");`,
      ).replace("BASE", server.baseURL),
      { cjs: true, env: { BENTOLABS_API_KEY: TEST_KEY, BENTOLABS_BASE_URL: receiver.url } },
    );
    expect(res.stderr).toBe("");
    expect(res.stdout.trim()).toBe(`${JSON.stringify([OPENAI, ANTHROPIC])}\n${expected}`);
  });

  it("patches the openai an ES module app imported", async () => {
    const res = await runNode(
      script(
        `import * as bento from "@bentolabs/sdk"; import { capture } from "@bentolabs/sdk/testing"; import OpenAI from "openai";`,
      ).replace("BASE", server.baseURL),
      { env: { BENTOLABS_API_KEY: TEST_KEY, BENTOLABS_BASE_URL: receiver.url } },
    );
    expect(res.stderr).toBe("");
    expect(res.stdout.trim()).toBe(`${JSON.stringify([OPENAI, ANTHROPIC])}\n${expected}`);
  });
});

describe("auto-detection when nothing is installed", () => {
  it("resolves with an empty list and never rejects", async () => {
    const missing = {
      importModule: (name: string) => Promise.reject(new Error(`Cannot find package '${name}'`)),
      requiredModule: () => undefined,
    };
    await expect(autoInstrument(missing)).resolves.toEqual([]);
  });
});
