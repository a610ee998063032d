import type { Attributes, SpanOptions } from "@opentelemetry/api";
import * as K from "../semconv.js";
import { toInt as int, type MapSettings, writeIo, writeTokenCounts } from "./map.js";
import { canonicalProvider } from "./provider.js";

/**
 * Bento columns for the Vercel AI SDK's telemetry spans.
 *
 * Why: the AI SDK writes its own dialect (`ai.prompt`, `ai.response.text`, `ai.toolCall.args`) and
 * no span kind. Bento reads a span without a kind as an LLM call, so `ai.generateText` and its
 * `ai.generateText.doGenerate` would both count as one, and Input/Output stay empty. When such a
 * span is exported, the SDK adds the §2 columns it can derive: the kind, input and
 * output, a provider spelled the way Bento spells it, and (when portable attributes are on) the
 * OpenInference twins. Keys the span already has are never overwritten, except `gen_ai.system`,
 * which the AI SDK fills with its internal provider id ("openai.chat"); the id stays in
 * `ai.model.provider`.
 */

type Kind = K.SpanKindValue;

/** What each AI SDK operation is, and where its input and output live. */
interface Shape {
  kind: Kind;
  input: readonly string[];
  output: readonly string[];
  /** The input holds JSON-encoded embedding values (`ai.value`, or `ai.values`: one per element). */
  encoded?: true;
}

const CALL: Shape = { kind: "chain", input: ["ai.prompt"], output: ["ai.response.text", "ai.response.object", "ai.response.toolCalls"] };
const LLM: Shape = {
  kind: "llm",
  input: ["ai.prompt.messages"],
  output: ["ai.response.text", "ai.response.object", "ai.response.toolCalls"],
};
const TOOL: Shape = {
  kind: "tool",
  input: ["ai.toolCall.args", "ai.toolCall.input"],
  output: ["ai.toolCall.result", "ai.toolCall.output"],
};
const EMBED: Shape = { kind: "chain", input: ["ai.value", "ai.values"], output: [], encoded: true };
const DO_EMBED: Shape = { kind: "embedding", input: ["ai.values"], output: [], encoded: true };

const SHAPES: Readonly<Record<string, Shape>> = {
  "ai.generateText": CALL,
  "ai.streamText": CALL,
  "ai.generateObject": CALL,
  "ai.streamObject": CALL,
  "ai.generateText.doGenerate": LLM,
  "ai.streamText.doStream": LLM,
  "ai.generateObject.doGenerate": LLM,
  "ai.streamObject.doStream": LLM,
  "ai.toolCall": TOOL,
  "ai.embed": EMBED,
  "ai.embedMany": EMBED,
  "ai.embed.doEmbed": DO_EMBED,
  "ai.embedMany.doEmbed": DO_EMBED,
};

/** The AI SDK's provider id ("openai.chat", "amazon-bedrock") as Bento spells providers (SPEC.md §2). */
export function bentoProvider(aiProvider: string): string {
  return canonicalProvider(aiProvider.split(".")[0]!);
}

const isJson = (s: string): boolean => {
  const c = s.trimStart()[0];
  return c === "{" || c === "[";
};

function first(attributes: Attributes, keys: readonly string[], encoded: boolean): string | undefined {
  for (const key of keys) {
    const v = attributes[key];
    if (encoded) {
      const decoded = Array.isArray(v) ? v.map(decode) : typeof v === "string" ? decode(v) : undefined;
      if (decoded !== undefined) return typeof decoded === "string" ? decoded : JSON.stringify(decoded);
    } else if (typeof v === "string" && v.length > 0) return v;
  }
  return undefined;
}

function decode(v: unknown): unknown {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/**
 * The attributes to add to an ending AI SDK span named `operationId` that carries `attributes`.
 * Pure; returns `{}` for operations it does not know.
 */
export function aiSdkAttributes(operationId: string, attributes: Attributes, settings: MapSettings): Attributes {
  const shape = SHAPES[operationId];
  if (!shape) return {};
  const out: Attributes = {};
  if (attributes[K.OPENINFERENCE_SPAN_KIND] === undefined) out[K.OPENINFERENCE_SPAN_KIND] = shape.kind;
  const io: Array<["input" | "output", readonly string[], string]> = [
    ["input", shape.input, K.INPUT_VALUE],
    ["output", shape.output, K.OUTPUT_VALUE],
  ];
  for (const [which, keys, key] of io) {
    const value = attributes[key] === undefined ? first(attributes, keys, shape.encoded === true) : undefined;
    if (value !== undefined) writeIo(out, which, value, settings, isJson(value) ? K.MIME_JSON : K.MIME_TEXT);
  }
  const aiProvider = attributes["ai.model.provider"];
  const system = attributes[K.GEN_AI_SYSTEM];
  if (typeof aiProvider === "string" && aiProvider && (system === undefined || system === aiProvider) && shape.kind !== "chain") {
    out[K.GEN_AI_SYSTEM] = bentoProvider(aiProvider);
  }
  if (shape.kind === "embedding") {
    const tokens = int(attributes["ai.usage.tokens"]);
    if (tokens !== undefined && attributes[K.GEN_AI_USAGE_INPUT_TOKENS] === undefined) out[K.GEN_AI_USAGE_INPUT_TOKENS] = tokens;
  }
  if (!settings.portable || (shape.kind !== "llm" && shape.kind !== "embedding")) return out;
  const model = attributes["gen_ai.response.model"] ?? attributes[K.GEN_AI_REQUEST_MODEL] ?? attributes["ai.model.id"];
  if (typeof model === "string" && attributes[K.LLM_MODEL_NAME] === undefined) out[K.LLM_MODEL_NAME] = model;
  const provider = out[K.GEN_AI_SYSTEM];
  if (typeof provider === "string" && attributes[K.LLM_PROVIDER] === undefined) out[K.LLM_PROVIDER] = provider;
  const input = int(attributes[K.GEN_AI_USAGE_INPUT_TOKENS] ?? out[K.GEN_AI_USAGE_INPUT_TOKENS]);
  const output = int(attributes[K.GEN_AI_USAGE_OUTPUT_TOKENS]);
  if (attributes[K.LLM_TOKEN_COUNT_TOTAL] === undefined && (input !== undefined || output !== undefined)) {
    writeTokenCounts(out, input, output);
    const cacheRead = int(attributes["ai.usage.inputTokenDetails.cacheReadTokens"] ?? attributes["ai.usage.cachedInputTokens"]);
    if (cacheRead !== undefined) out[K.LLM_TOKEN_COUNT_PROMPT_CACHE_READ] = cacheRead;
    const reasoning = int(attributes["ai.usage.outputTokenDetails.reasoningTokens"] ?? attributes["ai.usage.reasoningTokens"]);
    if (reasoning !== undefined) out[K.LLM_TOKEN_COUNT_COMPLETION_REASONING] = reasoning;
  }
  return out;
}

/** The AI SDK operation a span is starting, from its name and start attributes, if it is one. */
export function aiSdkOperation(name: string, options: SpanOptions | undefined): string | undefined {
  if (!name.startsWith("ai.")) return undefined;
  const id = options?.attributes?.["ai.operationId"];
  return typeof id === "string" && SHAPES[id] ? id : undefined;
}
