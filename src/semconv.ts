/** Every attribute key the SDK writes, in one place. SPEC.md §2 is the contract for the first block. */

// SPEC.md §2: Bento's dashboard columns.
export const GEN_AI_USER_ID = "gen_ai.user.id";
export const GEN_AI_CONVERSATION_ID = "gen_ai.conversation.id";
export const GEN_AI_REQUEST_MODEL = "gen_ai.request.model";
export const GEN_AI_SYSTEM = "gen_ai.system";
export const INPUT_VALUE = "input.value";
export const OUTPUT_VALUE = "output.value";
export const OPENINFERENCE_SPAN_KIND = "openinference.span.kind";
export const LANGFUSE_TAGS = "langfuse.tags";

// Token usage (issue: core SDK): GenAI semantic conventions.
export const GEN_AI_USAGE_INPUT_TOKENS = "gen_ai.usage.input_tokens";
export const GEN_AI_USAGE_OUTPUT_TOKENS = "gen_ai.usage.output_tokens";

// Portable equivalents read by OpenInference (Phoenix) and Langfuse-style backends.
export const USER_ID = "user.id";
export const SESSION_ID = "session.id";
export const LLM_MODEL_NAME = "llm.model_name";
export const LLM_PROVIDER = "llm.provider";
export const INPUT_MIME_TYPE = "input.mime_type";
export const OUTPUT_MIME_TYPE = "output.mime_type";
export const LLM_TOKEN_COUNT_PROMPT = "llm.token_count.prompt";
export const LLM_TOKEN_COUNT_COMPLETION = "llm.token_count.completion";
export const LLM_TOKEN_COUNT_TOTAL = "llm.token_count.total";
export const LLM_TOKEN_COUNT_PROMPT_CACHE_READ = "llm.token_count.prompt_details.cache_read";
export const LLM_TOKEN_COUNT_PROMPT_AUDIO = "llm.token_count.prompt_details.audio";
export const LLM_TOKEN_COUNT_COMPLETION_REASONING = "llm.token_count.completion_details.reasoning";
export const LLM_TOKEN_COUNT_COMPLETION_AUDIO = "llm.token_count.completion_details.audio";
export const TAG_TAGS = "tag.tags";

export const MIME_JSON = "application/json";
export const MIME_TEXT = "text/plain";

/** Lowercase span kinds Bento accepts in `openinference.span.kind`. */
export type SpanKindValue = "tool" | "llm" | "retriever" | "embedding" | "agent" | "chain";
export const KIND_TOOL: SpanKindValue = "tool";

// Truncation bookkeeping (written only when a value was cut).
export const TRUNCATED_SUFFIX = ".original_length";
