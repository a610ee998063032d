/**
 * Which attribute keys carry content (prompts, completions, tool arguments and results, retrieved
 * documents) rather than metadata, across the conventions the SDK exports: Bento's own
 * (`input.value` / `output.value`), OpenInference, the OpenTelemetry GenAI conventions (and
 * Traceloop's indexed `gen_ai.prompt.N.content`), and the Vercel AI SDK's `ai.*` keys.
 * With `captureContent: false` these keys are dropped; names, models, token counts stay.
 */

const EXACT = new Set([
  "input.value",
  "output.value",
  // OpenInference
  "llm.prompts",
  "llm.prompt_template.template",
  "llm.prompt_template.variables",
  "tool_call.function.arguments",
  // OpenTelemetry GenAI (current and deprecated)
  "gen_ai.prompt",
  "gen_ai.completion",
  "gen_ai.input.messages",
  "gen_ai.output.messages",
  "gen_ai.system_instructions",
  "gen_ai.tool.call.arguments",
  "gen_ai.tool.call.result",
  "gen_ai.tool.definitions",
  // Vercel AI SDK
  "ai.prompt",
  "ai.prompt.messages",
  "ai.prompt.tools",
  "ai.response.text",
  "ai.response.object",
  "ai.response.toolCalls",
  "ai.response.reasoning",
  "ai.toolCall.args",
  "ai.toolCall.result",
  "ai.value",
  "ai.values",
  "ai.embedding",
  "ai.embeddings",
]);

/** Indexed keys: `llm.input_messages.0.message.content`, `gen_ai.prompt.1.content`, … */
const PATTERNS: readonly RegExp[] = [
  /^llm\.(?:input|output)_messages\.\d+\.message\.(?:content|contents\.\d+\.message_content\.(?:text|image\.image\.url)|tool_calls\.\d+\.tool_call\.function\.arguments)$/,
  /^gen_ai\.(?:prompt|completion)\.\d+\.(?:content|tool_calls\.\d+\.arguments)$/,
  /^retrieval\.documents\.\d+\.document\.content$/,
  /^reranker\.(?:input|output)_documents\.\d+\.document\.content$/,
  /^reranker\.query$/,
  /^embedding\.embeddings\.\d+\.embedding\.(?:text|vector)$/,
];

/** Event attributes that carry message content (GenAI events such as `gen_ai.user.message`). */
const EVENT_CONTENT = new Set(["content", "gen_ai.prompt", "gen_ai.completion", "message", "body", "gen_ai.event.content"]);

/** True when `key` holds content rather than metadata. */
export function isContentKey(key: string): boolean {
  if (EXACT.has(key)) return true;
  // Cheap prefix test first: most keys belong to none of these families.
  const c = key.charCodeAt(0);
  if (c !== 108 /* l */ && c !== 103 /* g */ && c !== 114 /* r */ && c !== 101 /* e */) return false;
  for (const p of PATTERNS) if (p.test(key)) return true;
  return false;
}

/** True when an attribute of the event named `eventName` holds content. Exception events keep theirs. */
export function isEventContentKey(eventName: string, key: string): boolean {
  if (isContentKey(key)) return true;
  return eventName.startsWith("gen_ai.") && EVENT_CONTENT.has(key);
}
