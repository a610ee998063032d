import { toAttributeValue } from "../../attributes/values.js";
import {
  GEN_AI_CONVERSATION_ID,
  GEN_AI_REQUEST_MODEL,
  GEN_AI_SYSTEM,
  GEN_AI_USAGE_INPUT_TOKENS,
  GEN_AI_USAGE_OUTPUT_TOKENS,
  GEN_AI_USER_ID,
  INPUT_VALUE,
  LANGFUSE_TAGS,
  OPENINFERENCE_SPAN_KIND,
  OUTPUT_VALUE,
} from "../../semconv.js";
import type { ImportedSpan, JsonObject, JsonValue } from "../types.js";

type Attrs = ImportedSpan["attributes"];

/**
 * Bento's migration rules for Langfuse data, so an imported run reads like one recorded by the SDK
 * after migrating: `metadata` becomes `properties` (each key a top-level attribute) and a score
 * becomes `score_<name>` on the trajectory (the root span).
 */

/** Keys Langfuse itself puts into metadata when ingesting OpenTelemetry spans: not the user's properties. */
const LANGFUSE_INTERNAL = new Set(["resourceAttributes", "scope", "attributes"]);
/** Dashboard columns (SPEC §2 plus token usage): only the mapping writes them, never a metadata key. */
const COLUMN_KEYS = new Set([
  GEN_AI_USER_ID,
  GEN_AI_CONVERSATION_ID,
  GEN_AI_REQUEST_MODEL,
  GEN_AI_SYSTEM,
  INPUT_VALUE,
  OUTPUT_VALUE,
  OPENINFERENCE_SPAN_KIND,
  LANGFUSE_TAGS,
  GEN_AI_USAGE_INPUT_TOKENS,
  GEN_AI_USAGE_OUTPUT_TOKENS,
]);

/**
 * Metadata objects → properties, later objects winning per key. Values follow SPEC §2 "Property
 * type fidelity": scalars keep their type, homogeneous arrays stay arrays, objects and mixed
 * arrays become JSON strings, null is omitted.
 */
export function metadataProperties(...sources: JsonObject[]): Attrs {
  const out: Attrs = {};
  for (const metadata of sources) {
    for (const [key, value] of Object.entries(metadata)) {
      if (LANGFUSE_INTERNAL.has(key) || key === "") continue;
      const v = toAttributeValue(value);
      if (v === undefined) continue;
      out[key] = v as Attrs[string];
    }
  }
  return out;
}

type Raw = Record<string, unknown>;

/** A Langfuse score's value: numbers (BOOLEAN as 1/0, Langfuse's own numeric value), labels as strings. */
export function scoreValue(score: Raw): number | string | undefined {
  const type = String(score.dataType ?? "NUMERIC").toUpperCase();
  const v = score.value;
  if (type === "NUMERIC") return typeof v === "number" && Number.isFinite(v) ? v : undefined;
  if (type === "BOOLEAN") return v === true || v === 1 ? 1 : v === false || v === 0 ? 0 : undefined;
  // CATEGORICAL, TEXT, CORRECTION: v1 carries the label in stringValue, v3 in value
  if (typeof score.stringValue === "string") return score.stringValue;
  return typeof v === "string" ? v : undefined;
}

/** Scores (v1 objects from the trace detail, or v3 objects) → `score_<name>`; the latest score of a name wins. */
export function scoreProperties(scores: readonly JsonValue[]): Attrs {
  const sorted = scores
    .filter((s): s is JsonObject => typeof s === "object" && s !== null && !Array.isArray(s))
    .sort(
      (a, b) => String(a.timestamp ?? "").localeCompare(String(b.timestamp ?? "")) || String(a.id ?? "").localeCompare(String(b.id ?? "")),
    );
  const out: Attrs = {};
  for (const s of sorted) {
    const value = scoreValue(s);
    if (typeof s.name === "string" && s.name && value !== undefined) out[`score_${s.name}`] = value;
  }
  return out;
}

/**
 * Add properties beside the mapping's attributes without ever overwriting a dashboard column or
 * any key the mapping already wrote (attributes or the lossless `langfuse.*` JSON).
 */
export function withProperties(attributes: Attrs, json: JsonObject, properties: Attrs): Attrs {
  const out: Attrs = { ...attributes };
  for (const [key, value] of Object.entries(properties)) {
    if (COLUMN_KEYS.has(key) || key in attributes || key in json) continue;
    out[key] = value;
  }
  return out;
}
