import { buildAttributes, type SpanAttributeOptions, type Usage } from "../attributes/map.js";
import { currentFrame, currentNode } from "../context.js";
import { ambientIdentity } from "../identity.js";
import { log } from "../log.js";
import { runtime } from "../runtime.js";
import { startSpan, type TimeInput } from "./core.js";
import { randomSpanId, safeName, warnSessionIdOption } from "./util.js";

/** Options shared by `trackAi` and `begin` (SPEC.md §2). */
export interface AiOptions {
  /** Span name (required). */
  event: string;
  /** `gen_ai.user.id`. */
  userId?: string;
  /** `gen_ai.conversation.id`: the session this trajectory belongs to. */
  convoId?: string;
  /** `gen_ai.request.model`, e.g. "gpt-4o". */
  model?: string;
  /** `gen_ai.system`, e.g. "openai", "anthropic", "aws_bedrock". Never inferred from the model. */
  provider?: string;
  /** `input.value`: strings as-is, anything else JSON-serialized. */
  input?: unknown;
  /** `output.value`: strings as-is, anything else JSON-serialized. */
  output?: unknown;
  /** Token usage → `gen_ai.usage.input_tokens` / `gen_ai.usage.output_tokens`. */
  usage?: Usage;
  /** Extra attributes, each key as-is. Dedicated options win over same-named keys. */
  properties?: Record<string, unknown>;
}

export interface TrackAiOptions extends AiOptions {
  /** When the call started (default: now). */
  startTime?: TimeInput;
  /** When the call ended (default: now). */
  endTime?: TimeInput;
}

/** Identity + options → attribute options, explicit options first (SPEC.md §5 precedence). */
export function withIdentity(o: AiOptions): SpanAttributeOptions {
  const id = ambientIdentity(currentFrame()?.scope);
  // Named fields rather than `...o`: copying the whole options bag was a measurable hot-path cost.
  return {
    model: o.model,
    provider: o.provider,
    input: o.input,
    output: o.output,
    usage: o.usage,
    properties: o.properties,
    userId: o.userId ?? id.userId,
    convoId: o.convoId ?? id.convoId,
    tags: id.tags,
  };
}

/**
 * Record one LLM call as a span and return its span id (16 hex chars). Inside an open
 * trajectory it becomes a child; otherwise it is its own one-span trajectory. Never throws.
 *
 * @example
 * bento.trackAi({ event: "answer", model: "gpt-4o", provider: "openai", input: prompt, output: text });
 */
export function trackAi(options: TrackAiOptions): string {
  try {
    const rt = runtime();
    if (!rt.enabled) return randomSpanId(); // tracing off: no span is built
    warnSessionIdOption(options, "trackAi");
    const attributes = buildAttributes(withIdentity(options), undefined, rt.settings);
    const span = startSpan(safeName(options?.event, "trackAi"), attributes, currentNode(), options.startTime);
    span.end(options.endTime);
    return span.spanContext().spanId;
  } catch (err) {
    log.warnOnce("trackAi_failed", `trackAi could not record a span: ${String(err)}`);
    return randomSpanId();
  }
}
