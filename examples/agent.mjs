// An example support agent instrumented with @bentolabs/sdk's public API only.
// The "LLM" and tools are deterministic stand-ins so the example runs offline.
import * as bento from "@bentolabs/sdk";

const DOCS = {
  refund: "Refunds are issued within 5 business days to the original payment method.",
  shipping: "Standard shipping takes 3-5 days; express ships next day.",
};

async function fakeLlm(messages) {
  await new Promise((r) => setTimeout(r, 5));
  const last = messages.at(-1).content;
  return { text: `Answer based on: ${last.slice(0, 60)}`, usage: { inputTokens: 20 + last.length, outputTokens: 18 } };
}

async function searchDocs(query) {
  return bento.toolSpan("search_docs", { input: { query } }, async (span) => {
    await new Promise((r) => setTimeout(r, 2));
    const hits = Object.entries(DOCS)
      .filter(([k]) => query.toLowerCase().includes(k))
      .map(([, v]) => v);
    span.setAttribute("hits", hits.length);
    span.setOutput(hits);
    if (hits.length === 0) throw new Error(`no documents match "${query}"`);
    return hits;
  });
}

/** Answer one question as one trajectory: a retrieval tool call, then an LLM call. */
export async function answer({ question, userId, convoId }) {
  return bento.begin({ event: "support_agent", userId, convoId, input: question }, async (t) => {
    let context = [];
    try {
      context = await searchDocs(question);
    } catch {
      t.update({ properties: { fallback: true } });
    }
    const messages = [
      { role: "system", content: "You answer support questions." },
      { role: "user", content: `${question}\n\nContext: ${context.join(" ")}` },
    ];
    const started = Date.now();
    const reply = await fakeLlm(messages);
    bento.trackAi({
      event: "chat_completion",
      model: "gpt-4o-mini",
      provider: "openai",
      userId,
      convoId,
      input: messages,
      output: reply.text,
      usage: reply.usage,
      startTime: started,
      properties: { temperature: 0.2, context_docs: context.length },
    });
    t.finish({ output: reply.text, usage: reply.usage });
    return reply.text;
  });
}

/** Several trajectories across two sessions and two users, including a failing one. */
export async function runAgent() {
  const turns = [
    { question: "How do refunds work?", userId: "user_ada", convoId: "chat_1" },
    { question: "And what about shipping?", userId: "user_ada", convoId: "chat_1" },
    { question: "Tell me about warranties", userId: "user_bob", convoId: "chat_2" },
  ];
  for (const turn of turns) await answer(turn);
  try {
    await bento.begin({ event: "support_agent", userId: "user_bob", convoId: "chat_2", input: "crash please" }, async () => {
      await bento.toolSpan("billing_api", { input: { account: "acct_1" } }, async () => {
        throw new Error("billing API timed out");
      });
    });
  } catch (err) {
    console.log(`(expected) agent run failed: ${err.message}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runAgent();
  await bento.flush();
}
