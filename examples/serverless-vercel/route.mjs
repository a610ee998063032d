// A Next.js App Router route handler (app/api/answer/route.js) on the Edge runtime, traced with
// Bento. There is no `await bento.flush()`: when the trajectory ends, Bento hands its delivery to
// Vercel's waitUntil, so the response goes out at once and the function stays alive until the
// spans are stored. The same code works on the Node.js runtime (drop `runtime = "edge"`).
import * as bento from "@bentolabs/sdk";

export const runtime = "edge";

const searchDocs = bento.tool(async (query) => [`${query}: Edge Functions run close to users`], { name: "search_docs" });

async function callModel(prompt) {
  // Stand-in for a real model call; recorded as an LLM span with token usage.
  await new Promise((resolve) => setTimeout(resolve, 5));
  const answer = `Answer based on ${prompt.length} characters of context.`;
  bento.trackAi({
    event: "llm_call",
    model: "gpt-4o-mini",
    provider: "openai",
    input: prompt,
    output: answer,
    usage: { inputTokens: 40, outputTokens: 8 },
  });
  return answer;
}

export async function POST(request) {
  const { question, convoId } = await request.json();
  const answer = await bento.begin({ event: "answer_question", input: question, convoId }, async (t) => {
    const docs = await searchDocs(question);
    const out = await callModel(`${question}\n${docs.join("\n")}`);
    t.finish({ output: out });
    return out;
  });
  return Response.json({ answer });
}

export function GET() {
  return Response.json(bento.stats());
}
