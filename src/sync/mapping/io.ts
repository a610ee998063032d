import type { JsonValue } from "../types.js";

/**
 * Langfuse IO as `*.value` + `*.mime_type`: strings stay text, everything else is compact JSON.
 * (v2's raw strings were already parsed by the wire layer, so both APIs land here the same way.)
 */
export function ioAttributes(prefix: "input" | "output", value: JsonValue | undefined): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value === "string") return { [`${prefix}.value`]: value, [`${prefix}.mime_type`]: "text/plain" };
  return { [`${prefix}.value`]: JSON.stringify(value), [`${prefix}.mime_type`]: "application/json" };
}
