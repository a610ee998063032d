// Vercel AI SDK calls as children of a Bento trajectory: hand the AI SDK one of Bento's tracers.
// Runs against a local fake OpenAI server it starts itself; set BENTOLABS_API_KEY (and
// BENTOLABS_BASE_URL) first. For the real API, drop the fake server and the baseURL option.

import { createOpenAI } from "@ai-sdk/openai";
import * as bento from "@bentolabs/sdk";
import { generateText, streamText } from "ai";
import { startFakeOpenAI } from "./fake-openai.mjs";

const server = await startFakeOpenAI();
const model = createOpenAI({ apiKey: "sk-fake", baseURL: server.baseURL }).chat("gpt-4o-mini");
const telemetry = { isEnabled: true, tracer: bento.getTracerProvider().getTracer("ai") };

const question = "What is the capital of France?";
const answer = await bento.begin({ event: "support_agent", userId: "user_42", convoId: "chat_99", input: question }, async (t) => {
  const draft = await generateText({ model, prompt: question, experimental_telemetry: telemetry });
  const polished = streamText({ model, prompt: `Polish this answer: ${draft.text}`, experimental_telemetry: telemetry });
  let text = "";
  for await (const delta of polished.textStream) text += delta;
  t.finish({ output: text });
  return text;
});

await bento.flush();
await server.close();
console.log(`answer: ${answer}`);
