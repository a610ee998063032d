import { describe, expect, it } from "vitest";
import OpenAI from "openai";
import { OpenAIInstrumentation } from "@arizeai/openinference-instrumentation-openai";
import * as bento from "../../src/index.js";
import { useLocalServer, useReceiver } from "../helpers/setup.js";
import { startFakeOpenAI } from "../../examples/fake-openai.mjs";
import { TEST_KEY } from "../helpers/receiver.js";

// A real OpenInference instrumentation against the fake OpenAI server: its own key names, not ours.
const instrumentation = new OpenAIInstrumentation();
bento.instrument(instrumentation);
instrumentation.manuallyInstrument(OpenAI);

let client: OpenAI;
useLocalServer(startFakeOpenAI, (s) => (client = new OpenAI({ apiKey: "sk-fake", baseURL: s.baseURL, maxRetries: 0 })));
const { receiver } = useReceiver();

const QUESTION = "My email is jane@acme.com, what is my plan?";

async function run(): Promise<Record<string, unknown>> {
  await bento.begin({ event: "agent" }, () => client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: QUESTION }] }));
  expect((await bento.flush()).ok).toBe(true);
  return receiver.span("OpenAI Chat Completions").attributes;
}

describe("privacy over a real OpenInference instrumentation", () => {
  it("redacts the instrumentation's message contents and input/output", async () => {
    bento.init({ apiKey: TEST_KEY, baseUrl: receiver.url, redaction: { detectors: ["email"] } }); // a re-init: updates redaction
    const a = await run();
    expect(a["llm.input_messages.0.message.content"]).toBe("My email is [REDACTED:email], what is my plan?");
    expect(a["llm.output_messages.0.message.content"]).toBe("Echo: My email is [REDACTED:email], what is my plan?");
    expect(String(a["input.value"])).toContain("[REDACTED:email]");
    expect(JSON.stringify(receiver.requests.map((r) => r.body))).not.toContain("jane@acme.com");
  });

  it("captureContent: false keeps the model, roles and token counts, and no content", async () => {
    bento.init({ apiKey: TEST_KEY, baseUrl: receiver.url, captureContent: false });
    const a = await run();
    expect(a).toMatchObject({ "llm.model_name": "gpt-4o-mini", "llm.input_messages.0.message.role": "user", "llm.token_count.prompt": QUESTION.split(" ").length });
    expect(Object.keys(a).filter((k) => /content|input\.value|output\.value/.test(k))).toEqual([]);
    expect(JSON.stringify(receiver.requests.map((r) => r.body))).not.toContain("jane@acme.com");
  });
});
