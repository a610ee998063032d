// Function wrappers and a streaming tool, public API only. (Decorators need TypeScript or a
// decorator-aware build; the wrappers are the same code path: `@bento.tool` delegates to `bento.tool`.)
import * as bento from "@bentolabs/sdk";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Arguments are recorded by parameter name: input.value = {"query":"refund","limit":2}
const searchDocs = bento.tool(async function search_docs(query, limit = 3) {
  await sleep(2);
  return [`${query} policy`, `${query} faq`].slice(0, limit);
});

// A streaming tool: the span stays open until the caller has read the stream, and the
// yielded chunks become output.value (string chunks are joined into one string).
const streamAnswer = bento.tool(async function* stream_answer(question, docs) {
  for (const word of `Per ${docs[0]}: refunds take 5 days.`.split(" ")) {
    await sleep(1);
    yield `${word} `;
  }
});

const supportAgent = bento.interaction(async function support_agent(question) {
  const docs = await searchDocs("refund", 2);
  let answer = "";
  for await (const chunk of streamAnswer(question, docs)) answer += chunk;
  return answer.trim(); // becomes the trajectory's output.value
});

console.log(await supportAgent("How long do refunds take?"));
await bento.flush();
