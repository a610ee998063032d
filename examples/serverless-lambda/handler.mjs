// An AWS Lambda handler traced with Bento. wrapHandler opens a trajectory named after the
// function, and delivers its spans before the handler's promise settles, on every return path
// (and on errors), so nothing is lost when Lambda freezes the sandbox. Set BENTOLABS_API_KEY in
// the function's environment.
import * as bento from "@bentolabs/sdk";

const lookupOrder = bento.tool(async (orderId) => ({ orderId, status: "shipped", eta: "2 days" }), { name: "lookup_order" });

async function callModel(prompt) {
  // Stand-in for a real model call; recorded as an LLM span with token usage.
  const answer = `Your order is on its way (${prompt.length} characters of context).`;
  bento.trackAi({
    event: "llm_call",
    model: "gpt-4o-mini",
    provider: "openai",
    input: prompt,
    output: answer,
    usage: { inputTokens: 31, outputTokens: 12 },
  });
  return answer;
}

export const handler = bento.wrapHandler(async (event) => {
  if (!event?.question) return { statusCode: 400, body: "missing question" };
  const order = await lookupOrder(event.orderId ?? "A-1");
  const answer = await callModel(`${event.question}\n${JSON.stringify(order)}`);
  return { statusCode: 200, body: answer };
});
