import { conventionColumns } from "../attributes/conventions.js";
import type { JsonValue } from "./otlp-values.js";

/** One stored span: the SPEC.md §2 dashboard columns lifted out, the rest in `attributes`. */
export interface SpanRow {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  name: string;
  otel_kind: number;
  span_kind: string | null;
  status_code: "unset" | "ok" | "error";
  status_message: string | null;
  start_ns: string;
  end_ns: string;
  user_id: string | null;
  session_id: string | null;
  model: string | null;
  provider: string | null;
  input: string | null;
  output: string | null;
  tags: string[] | null;
  input_tokens: number | null;
  output_tokens: number | null;
  attributes: Record<string, JsonValue>;
  resource: Record<string, JsonValue>;
  scope: Record<string, JsonValue>;
  events: JsonValue[];
  links: JsonValue[];
}

/** Attribute keys that become real columns (and leave the attributes JSON). */
export const COLUMN_KEYS = {
  user_id: "gen_ai.user.id",
  session_id: "gen_ai.conversation.id",
  model: "gen_ai.request.model",
  provider: "gen_ai.system",
  input: "input.value",
  output: "output.value",
  span_kind: "openinference.span.kind",
  tags: "langfuse.tags",
  input_tokens: "gen_ai.usage.input_tokens",
  output_tokens: "gen_ai.usage.output_tokens",
} as const;

function text(v: JsonValue | undefined): string | null {
  if (v === undefined || v === null) return null;
  return typeof v === "string" ? v : JSON.stringify(v);
}

function count(v: JsonValue | undefined): number | null {
  const n = typeof v === "string" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) ? Math.trunc(n) : null;
}

function tagList(v: JsonValue | undefined): string[] | null {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return v.map((t) => (typeof t === "string" ? t : JSON.stringify(t)));
  if (typeof v === "string") {
    try {
      const parsed: unknown = JSON.parse(v);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // a plain string is one tag
    }
    return [v];
  }
  return [JSON.stringify(v)];
}

/**
 * Split decoded span attributes into the dashboard columns and the remaining attributes. A column
 * the span carries only under another convention (OpenInference `llm.model_name`, GenAI
 * `gen_ai.provider.name`, …) is read through the SDK's own mapping (SPEC.md §5a); those source
 * keys stay in the attributes.
 */
export function splitColumns(spanAttrs: Record<string, JsonValue>) {
  const rest: Record<string, JsonValue> = { ...spanAttrs };
  for (const key of Object.values(COLUMN_KEYS)) delete rest[key];
  const attrs = { ...(conventionColumns(spanAttrs) as Record<string, JsonValue>), ...spanAttrs };
  return {
    user_id: text(attrs[COLUMN_KEYS.user_id]),
    session_id: text(attrs[COLUMN_KEYS.session_id]),
    model: text(attrs[COLUMN_KEYS.model]),
    provider: text(attrs[COLUMN_KEYS.provider]),
    input: text(attrs[COLUMN_KEYS.input]),
    output: text(attrs[COLUMN_KEYS.output]),
    span_kind: text(attrs[COLUMN_KEYS.span_kind]),
    tags: tagList(attrs[COLUMN_KEYS.tags]),
    input_tokens: count(attrs[COLUMN_KEYS.input_tokens]),
    output_tokens: count(attrs[COLUMN_KEYS.output_tokens]),
    attributes: rest,
  };
}
