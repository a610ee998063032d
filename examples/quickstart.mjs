// The README quickstart, runnable: set BENTOLABS_API_KEY (and BENTOLABS_BASE_URL) first.
import * as bento from "@bentolabs/sdk";

const question = "What is the capital of France?";
await bento.begin({ event: "chat", userId: "user_42", convoId: "chat_99", input: question }, async (t) => {
  const docs = await bento.toolSpan("lookup", { input: { question } }, async () => ["Paris is the capital of France."]);
  bento.trackAi({
    event: "answer",
    model: "gpt-4o",
    provider: "openai",
    input: docs,
    output: "Paris",
    usage: { inputTokens: 31, outputTokens: 2 },
  });
  t.finish({ output: "Paris" });
});
await bento.flush();
