// A Cloudflare Worker traced with Bento: one trajectory per request with a tool call and an LLM
// call. withWorker reads BENTOLABS_API_KEY / BENTOLABS_BASE_URL from the Worker's env and hands
// ctx.waitUntil a flush, so the response is not delayed and no span is lost.
// Deploy with wrangler.toml's `compatibility_flags = ["nodejs_compat"]` (see docs/serverless.md).
import * as bento from "@bentolabs/sdk";

const searchDocs = bento.tool(async (query) => [`${query}: Workers run on V8 isolates`, `${query}: waitUntil extends the request`], {
  name: "search_docs",
});

async function callModel(prompt) {
  // Stand-in for a real model call (fetch to your provider); recorded as an LLM span.
  await new Promise((resolve) => setTimeout(resolve, 5));
  const answer = `Answer based on ${prompt.length} characters of context.`;
  bento.trackAi({
    event: "llm_call",
    model: "gpt-4o-mini",
    provider: "openai",
    input: prompt,
    output: answer,
    usage: { inputTokens: 42, outputTokens: 9 },
  });
  return answer;
}

export default bento.withWorker({
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/stats") return Response.json(bento.stats());
    const question = url.searchParams.get("q") ?? "What is a Worker?";
    const answer = await bento.begin(
      { event: "answer_question", input: question, convoId: url.searchParams.get("convo") ?? undefined },
      async (t) => {
        const docs = await searchDocs(question);
        const out = await callModel(`${question}\n${docs.join("\n")}`);
        t.finish({ output: out });
        return out;
      },
    );
    return new Response(answer);
  },
});
