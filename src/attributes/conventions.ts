import type { Attributes } from "@opentelemetry/api";
import * as K from "../semconv.js";
import { aiSdkAttributes, aiSdkOperation } from "./ai-sdk.js";
import type { MapSettings } from "./map.js";
import { canonicalProvider } from "./provider.js";

/**
 * Bento's columns (SPEC.md §2, §5a) for spans that carry them under another convention:
 * OpenInference, the OpenTelemetry GenAI semantic conventions (old and new), and the Vercel AI
 * SDK's dialect. Pure: attributes in, the attributes to add out. A key the span already has is
 * never in the result, except the AI SDK's internal provider id in `gen_ai.system` (see ai-sdk.ts).
 * Nothing the span carried is removed: the caller merges the result over a copy.
 */

type Coerce = "string" | "provider" | "int" | "tags";

/** One column: the Bento key, the keys that may carry it (first present wins), and its type. */
interface Row {
  readonly to: string;
  readonly from: readonly string[];
  readonly as: Coerce;
}

export const CONVENTION_ROWS: readonly Row[] = [
  { to: K.GEN_AI_REQUEST_MODEL, from: [K.LLM_MODEL_NAME, "gen_ai.response.model"], as: "string" },
  { to: K.GEN_AI_SYSTEM, from: [K.LLM_PROVIDER, "llm.system", "gen_ai.provider.name"], as: "provider" },
  { to: K.GEN_AI_USAGE_INPUT_TOKENS, from: [K.LLM_TOKEN_COUNT_PROMPT, "gen_ai.usage.prompt_tokens"], as: "int" },
  { to: K.GEN_AI_USAGE_OUTPUT_TOKENS, from: [K.LLM_TOKEN_COUNT_COMPLETION, "gen_ai.usage.completion_tokens"], as: "int" },
  { to: K.GEN_AI_USER_ID, from: [K.USER_ID], as: "string" },
  { to: K.GEN_AI_CONVERSATION_ID, from: [K.SESSION_ID], as: "string" },
  { to: K.LANGFUSE_TAGS, from: [K.TAG_TAGS], as: "tags" },
];

function coerce(v: unknown, as: Coerce): Attributes[string] {
  switch (as) {
    case "string":
      return typeof v === "string" && v ? v : typeof v === "number" && Number.isFinite(v) ? String(v) : undefined;
    case "provider":
      return typeof v === "string" && v.trim() ? canonicalProvider(v) : undefined;
    case "int": {
      const n = typeof v === "string" && v.trim() ? Number(v) : v;
      return typeof n === "number" && Number.isFinite(n) ? Math.trunc(n) : undefined;
    }
    case "tags":
      return tagList(v);
  }
}

function tagList(v: unknown): string[] | undefined {
  let list: unknown = v;
  if (typeof v === "string") {
    try {
      list = v.trimStart().startsWith("[") ? JSON.parse(v) : [v];
    } catch {
      list = [v];
    }
  }
  if (!Array.isArray(list)) return undefined;
  const tags = list.filter((t): t is string => typeof t === "string" && t.length > 0);
  return tags.length > 0 ? tags : undefined;
}

/** Bento's keys derivable from the generic conventions, for those the span lacks. */
export function conventionColumns(attributes: Readonly<Record<string, unknown>>): Attributes {
  const out: Attributes = {};
  for (const row of CONVENTION_ROWS) {
    if (attributes[row.to] !== undefined && attributes[row.to] !== null) continue;
    for (const key of row.from) {
      const v = coerce(attributes[key], row.as);
      if (v === undefined) continue;
      out[row.to] = v;
      break;
    }
  }
  return out;
}

/**
 * Everything a span named `name` should gain on its way to Bento: the AI SDK's columns (when it is
 * an AI SDK operation), then the generic conventions over the result. Never throws.
 *
 * @example
 * spanColumns("OpenAI Chat Completions", { "llm.model_name": "gpt-4o", "llm.provider": "openai" }, settings)
 * // → { "gen_ai.request.model": "gpt-4o", "gen_ai.system": "openai" }
 */
export function spanColumns(name: string, attributes: Readonly<Record<string, unknown>>, settings: MapSettings): Attributes {
  try {
    const operation = aiSdkOperation(name, { attributes: attributes as Attributes });
    const ai = operation ? aiSdkAttributes(operation, attributes as Attributes, settings) : {};
    const merged = operation ? { ...attributes, ...ai } : attributes;
    return { ...ai, ...conventionColumns(merged) };
  } catch {
    return {};
  }
}

/** Identity to add to a span that did not build its own columns; only keys it lacks (SPEC.md §5a). */
export interface IdentityColumns {
  userId?: string;
  convoId?: string;
  tags?: readonly string[];
}

const IDENTITY: ReadonlyArray<readonly ["userId" | "convoId" | "tags", string, string]> = [
  ["userId", K.GEN_AI_USER_ID, K.USER_ID],
  ["convoId", K.GEN_AI_CONVERSATION_ID, K.SESSION_ID],
  ["tags", K.LANGFUSE_TAGS, K.TAG_TAGS],
];

/**
 * The identity columns for `identity` that `attributes` does not carry yet (a key the span set
 * itself wins), plus their portable twins when `portable` and absent.
 */
export function identityColumns(identity: IdentityColumns, attributes: Readonly<Record<string, unknown>>, portable: boolean): Attributes {
  const out: Attributes = {};
  for (const [field, key, twin] of IDENTITY) {
    const v = identity[field];
    if (v === undefined || attributes[key] !== undefined) continue;
    out[key] = typeof v === "string" ? v : [...v];
    if (portable && attributes[twin] === undefined) out[twin] = out[key];
  }
  return out;
}
