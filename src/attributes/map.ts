import type { Attributes, AttributeValue } from "@opentelemetry/api";
import * as K from "../semconv.js";
import { safeStringify } from "./serialize.js";
import { DEFAULT_VALUE_LIMITS, toAttributeValue, truncate, type ValueLimits } from "./values.js";

/** Token usage reported for an LLM call. */
export interface Usage {
  inputTokens?: number;
  outputTokens?: number;
}

/** The options every span builder maps to attributes (SPEC.md §2). */
export interface SpanAttributeOptions {
  userId?: string | null;
  convoId?: string | null;
  model?: string | null;
  provider?: string | null;
  input?: unknown;
  output?: unknown;
  tags?: readonly string[] | null;
  usage?: Usage | null;
  properties?: Record<string, unknown> | null;
}

export interface MapSettings {
  /** Also write the OpenInference / Langfuse-style equivalents (`user.id`, `llm.model_name`, …). */
  portable: boolean;
  limits: ValueLimits;
}

export const DEFAULT_MAP_SETTINGS: MapSettings = { portable: true, limits: DEFAULT_VALUE_LIMITS };

function setString(out: Attributes, key: string, value: string, max: number): void {
  if (value.length <= max) {
    out[key] = value; // hot path: no truncation, no allocation
    return;
  }
  const t = truncate(value, max);
  out[key] = t.value;
  if (t.originalLength !== undefined) out[key + K.TRUNCATED_SUFFIX] = t.originalLength;
}

/** Write one property into `out`, applying type fidelity and the string cap. */
export function writeProperty(out: Attributes, key: string, value: unknown, settings: MapSettings = DEFAULT_MAP_SETTINGS): void {
  let v: AttributeValue | undefined;
  try {
    v = toAttributeValue(value, settings.limits);
  } catch {
    v = "[Unserializable]";
  }
  if (v === undefined) return;
  if (typeof v === "string") setString(out, key, v, settings.limits.maxStringLength);
  else out[key] = v;
}

/** Write each property as-is (no prefix). A throwing getter on the bag itself drops only that key. */
export function writeProperties(out: Attributes, properties: Record<string, unknown> | null | undefined, settings: MapSettings): void {
  if (!properties || typeof properties !== "object") return;
  let keys: string[];
  try {
    keys = Object.keys(properties);
  } catch {
    return;
  }
  for (const key of keys) {
    let value: unknown;
    try {
      value = properties[key];
    } catch {
      continue;
    }
    writeProperty(out, key, value, settings);
  }
}

/**
 * Write `input.value` / `output.value` (+ mime type when portable). `mime` overrides the inferred
 * type, for strings that already hold JSON.
 */
export function writeIo(out: Attributes, which: "input" | "output", value: unknown, settings: MapSettings, mime?: string): void {
  if (value === undefined || value === null) return;
  const isString = typeof value === "string";
  const text = isString ? value : safeStringify(value, settings.limits);
  setString(out, which === "input" ? K.INPUT_VALUE : K.OUTPUT_VALUE, text, settings.limits.maxIoLength);
  if (settings.portable) out[which === "input" ? K.INPUT_MIME_TYPE : K.OUTPUT_MIME_TYPE] = mime ?? (isString ? K.MIME_TEXT : K.MIME_JSON);
}

/** A finite number as an integer attribute value; anything else undefined. */
export function toInt(n: unknown): number | undefined {
  return typeof n === "number" && Number.isFinite(n) ? Math.trunc(n) : undefined;
}

/** The OpenInference token counts (prompt, completion, and their total) for the given integers. */
export function writeTokenCounts(out: Attributes, input: number | undefined, output: number | undefined): void {
  if (input !== undefined) out[K.LLM_TOKEN_COUNT_PROMPT] = input;
  if (output !== undefined) out[K.LLM_TOKEN_COUNT_COMPLETION] = output;
  if (input !== undefined || output !== undefined) out[K.LLM_TOKEN_COUNT_TOTAL] = (input ?? 0) + (output ?? 0);
}

/** Write token usage as integers (GenAI keys, plus OpenInference token counts when portable). */
export function writeUsage(out: Attributes, usage: Usage | null | undefined, settings: MapSettings): void {
  if (!usage || typeof usage !== "object") return;
  const input = toInt(usage.inputTokens);
  const output = toInt(usage.outputTokens);
  if (input !== undefined) out[K.GEN_AI_USAGE_INPUT_TOKENS] = input;
  if (output !== undefined) out[K.GEN_AI_USAGE_OUTPUT_TOKENS] = output;
  if (settings.portable) writeTokenCounts(out, input, output);
}

function str(v: unknown): string | undefined {
  if (typeof v === "string") return v.length > 0 ? v : undefined;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return undefined;
}

const COLUMNS: ReadonlyArray<readonly ["userId" | "convoId" | "model" | "provider", string, string]> = [
  ["userId", K.GEN_AI_USER_ID, K.USER_ID],
  ["convoId", K.GEN_AI_CONVERSATION_ID, K.SESSION_ID],
  ["model", K.GEN_AI_REQUEST_MODEL, K.LLM_MODEL_NAME],
  ["provider", K.GEN_AI_SYSTEM, K.LLM_PROVIDER],
];

/** Write the identity and model columns; each present value also gets its portable twin. */
export function writeColumns(out: Attributes, o: SpanAttributeOptions, settings: MapSettings): void {
  const max = settings.limits.maxStringLength;
  for (let i = 0; i < COLUMNS.length; i++) {
    const [field, key, portableKey] = COLUMNS[i]!;
    const v = str(o[field]);
    if (v === undefined) continue;
    setString(out, key, v, max);
    if (settings.portable) out[portableKey] = out[key] as string;
  }
  if (Array.isArray(o.tags)) {
    const tags = o.tags.filter((t): t is string => typeof t === "string");
    if (tags.length > 0) {
      out[K.LANGFUSE_TAGS] = tags;
      if (settings.portable) out[K.TAG_TAGS] = tags;
    }
  }
}

/**
 * Options → flat attributes (SPEC.md §2). Properties are written first, then the dedicated
 * options, so an option always wins over a property with the same key. Unpassed options are
 * absent. Pure: no I/O, never throws.
 *
 * @example
 * buildAttributes({ model: "gpt-4o", properties: { experiment_id: 17 } }, undefined)
 */
export function buildAttributes(
  o: SpanAttributeOptions,
  kind: K.SpanKindValue | undefined,
  settings: MapSettings = DEFAULT_MAP_SETTINGS,
): Attributes {
  const out: Attributes = {};
  writeProperties(out, o.properties, settings);
  writeColumns(out, o, settings);
  writeIo(out, "input", o.input, settings);
  writeIo(out, "output", o.output, settings);
  writeUsage(out, o.usage, settings);
  if (kind !== undefined) out[K.OPENINFERENCE_SPAN_KIND] = kind;
  return out;
}
