// Auto-capture OpenAI calls as children of a Bento trajectory, with OpenInference's instrumentation.
// Runs against a local fake OpenAI server it starts itself; set BENTOLABS_API_KEY (and
// BENTOLABS_BASE_URL) first. For the real API, drop the fake server and the baseURL option.
import * as bento from "@bentolabs/sdk";
import OpenAI from "openai";
import { OpenAIInstrumentation } from "@arizeai/openinference-instrumentation-openai";
import { startFakeOpenAI } from "./fake-openai.mjs";

const openaiInstrumentation = new OpenAIInstrumentation();
bento.instrument(openaiInstrumentation);
// This file imports `openai` as ESM, which require hooks do not see: patch the class we hold.
openaiInstrumentation.manuallyInstrument(OpenAI);

const server = await startFakeOpenAI();
const client = new OpenAI({ apiKey: "sk-fake", baseURL: server.baseURL });

const question = "What is the capital of France?";
const answer = await bento.begin({ event: "support_agent", userId: "user_42", convoId: "chat_99", input: question }, async (t) => {
  const draft = await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: question }] });
  const stream = await client.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: `Polish this answer: ${draft.choices[0].message.content}` }],
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = "";
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
  t.finish({ output: text });
  return text;
});

await bento.flush();
await server.close();
console.log(`answer: ${answer}`);
