import { BASE_MS, otlpSpan } from "./helpers.js";

type Span = Record<string, unknown>;

const openaiChat = (question: string) =>
  JSON.stringify({
    model: "gpt-4o",
    messages: [
      { role: "system", content: "You are a support agent." },
      { role: "user", content: question },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "call_1", type: "function", function: { name: "lookup_order", arguments: '{"order_id":42}' } }],
      },
      { role: "tool", tool_call_id: "call_1", content: '{"status":"shipped"}' },
    ],
  });

const anthropicChat = JSON.stringify({
  system: "Summarise for the customer.",
  messages: [
    { role: "user", content: "Order 42 status?" },
    { role: "assistant", content: [{ type: "tool_use", id: "tu_1", name: "kb_search", input: { q: "shipping times" } }] },
    { role: "user", content: [{ type: "tool_result", tool_use_id: "tu_1", content: "Ships in 1 day." }] },
  ],
});

/**
 * One agent run the way `bento.begin` records it (a root with no declared kind) with a step of
 * every kind: agent, retriever, embedding, chain, tool (failing, with an exception event) and
 * LLM calls in OpenAI, Anthropic and OpenInference shapes. `variant` 2 is slower, uses more
 * tokens, has an extra rerank step and answers differently (for compare).
 */
export function agentRun(trace: number, o: { user: string; session: string; variant?: 1 | 2 }): Span[] {
  const v2 = o.variant === 2;
  const t = BASE_MS + trace * 60_000;
  const id = trace * 100;
  const s = (
    span: number,
    parent: number | undefined,
    name: string,
    startMs: number,
    durationMs: number,
    attrs: Record<string, any>,
    extra: Span = {},
  ) => ({
    ...otlpSpan({
      trace,
      span: id + span,
      parent: parent === undefined ? undefined : id + parent,
      name,
      startMs: t + startMs,
      durationMs,
      attrs,
      status: extra.status as 0 | 2 | undefined,
      message: extra.message as string | undefined,
    }),
    ...(extra.events ? { events: extra.events } : {}),
  });
  const spans = [
    s(0, undefined, "support-turn", 0, v2 ? 4000 : 3000, {
      "gen_ai.user.id": o.user,
      "gen_ai.conversation.id": o.session,
      "input.value": JSON.stringify({ question: "Where is order 42?" }),
      "output.value": v2 ? "Order 42 arrives Friday." : "Order 42 ships tomorrow.",
    }),
    s(1, 0, "triage-agent", 10, v2 ? 3900 : 2900, { "openinference.span.kind": "agent" }),
    s(2, 1, "kb-search", 20, 300, {
      "openinference.span.kind": "retriever",
      "input.value": "shipping times",
      "output.value": "Ships in 1 day.",
    }),
    s(3, 2, "embed-query", 25, 80, {
      "openinference.span.kind": "embedding",
      "gen_ai.request.model": "text-embedding-3-small",
      "gen_ai.system": "openai",
      "gen_ai.usage.input_tokens": 0,
    }),
    s(4, 1, "plan", 400, v2 ? 1500 : 900, {
      "gen_ai.request.model": "gpt-4o-2024-08-06",
      "gen_ai.system": "openai",
      "gen_ai.usage.input_tokens": v2 ? 2400 : 1200,
      "gen_ai.usage.output_tokens": 100,
      "llm.token_count.prompt_details.cache_read": 400,
      "input.value": openaiChat("Where is order 42?"),
      "output.value": JSON.stringify({ choices: [{ message: { role: "assistant", content: "It shipped." } }] }),
    }),
    s(
      5,
      1,
      "lookup_order",
      1400,
      500,
      { "openinference.span.kind": "tool", "input.value": '{"order_id":42}', "output.value": '{"status":"shipped"}' },
      {
        status: 2,
        message: "orders API timed out",
        events: [
          {
            name: "exception",
            timeUnixNano: String(BigInt(t + 1900) * 1_000_000n),
            attributes: [
              { key: "exception.type", value: { stringValue: "TimeoutError" } },
              { key: "exception.message", value: { stringValue: "orders API timed out" } },
              {
                key: "exception.stacktrace",
                value: {
                  stringValue: "TimeoutError: orders API timed out\n    at lookupOrder (agent.ts:42:11)\n    at runTool (agent.ts:88:5)",
                },
              },
            ],
          },
        ],
      },
    ),
    s(6, 1, "summarise", 2000, 700, { "openinference.span.kind": "chain" }),
    s(7, 6, "claude-answer", 2010, 600, {
      "gen_ai.request.model": "claude-sonnet-4-20250514",
      "gen_ai.system": "anthropic",
      "gen_ai.usage.input_tokens": 2000,
      "gen_ai.usage.output_tokens": 300,
      "input.value": anthropicChat,
      "output.value": JSON.stringify({
        type: "message",
        role: "assistant",
        content: [{ type: "text", text: v2 ? "Arrives Friday." : "Ships tomorrow." }],
      }),
    }),
    s(8, 6, "local-check", 2650, 40, {
      "llm.model_name": "mystery-model",
      "gen_ai.request.model": "mystery-model",
      "gen_ai.usage.input_tokens": 50,
      "gen_ai.usage.output_tokens": 5,
      "llm.input_messages.0.message.role": "user",
      "llm.input_messages.0.message.content": "Is this answer polite?",
      "llm.output_messages.0.message.role": "assistant",
      "llm.output_messages.0.message.content": "Yes.",
    }),
  ];
  if (v2) spans.push(s(9, 2, "rerank", 200, 90, { "openinference.span.kind": "reranker" }));
  return spans;
}

/** A lone LLM call recorded without a trajectory (a root that is an LLM call). */
export function loneCall(trace: number, o: { user: string; session: string }): Span[] {
  return [
    otlpSpan({
      trace,
      span: trace * 100,
      name: "quick-answer",
      startMs: BASE_MS + trace * 60_000,
      durationMs: 800,
      attrs: {
        "gen_ai.user.id": o.user,
        "gen_ai.conversation.id": o.session,
        "gen_ai.request.model": "gpt-4o-mini",
        "gen_ai.system": "openai",
        "gen_ai.usage.input_tokens": 1000,
        "gen_ai.usage.output_tokens": 1000,
        "input.value": "hi",
        "output.value": "hello",
      },
    }),
  ];
}

/** A trajectory of `count` spans: a root, 40 steps, each with tool calls below; every 250th fails; one output says "needle". */
export function bigRun(trace: number, count: number): Span[] {
  const t = BASE_MS + trace * 60_000;
  const spans: Span[] = [otlpSpan({ trace, span: 1, name: "batch-eval", startMs: t, durationMs: 60_000 })];
  for (let i = 2; i <= count; i++) {
    const step = i % 50 === 2;
    const parent = step ? 1 : i - ((i - 2) % 50);
    spans.push(
      otlpSpan({
        trace,
        span: i,
        parent,
        name: step ? `step-${i}` : `tool-${i}`,
        startMs: t + i * 25,
        durationMs: step ? 1200 : 20,
        status: i % 250 === 0 ? 2 : 0,
        message: i % 250 === 0 ? `tool ${i} failed` : undefined,
        attrs: {
          "openinference.span.kind": step ? "chain" : "tool",
          "input.value": `{"i":${i}}`,
          "output.value": i === 1234 ? "found the needle" : `result ${i}`,
        },
      }),
    );
  }
  return spans;
}
