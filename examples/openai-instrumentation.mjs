// Auto-capture OpenAI calls as children of a Bento trajectory, with OpenInference's instrumentation
// (`npm install @arizeai/openinference-instrumentation-openai`), found by `bento.instrument()`.
// Runs against a local fake OpenAI server it starts itself; set BENTOLABS_API_KEY (and
// BENTOLABS_BASE_URL) first. For the real API, drop the fake server and the baseURL option.
import * as bento from "@bentolabs/sdk";
import OpenAI from "openai";
import { startFakeOpenAI } from "./fake-openai.mjs";

// Identity for every span, the instrumentation's included.
bento.init({ userId: "user_42", sessionId: "chat_99" });
const enabled = await bento.instrument(); // finds the installed instrumentation, patches `openai`
console.log(`instrumented: ${enabled.join(", ")}`);

const server = await startFakeOpenAI();
const client = new OpenAI({ apiKey: "sk-fake", baseURL: server.baseURL });

const question = "What is the capital of France?";
const answer = await bento.begin({ event: "support_agent", input: question }, async (t) => {
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
