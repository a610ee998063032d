import { maskSecrets } from "./mask.js";
import { renderTable } from "./table.js";
import { UsageError } from "./usage-error.js";

export const OUTPUT_MODES = ["pretty", "raw", "table"] as const;
export type OutputMode = (typeof OUTPUT_MODES)[number];

export function parseOutputMode(v: string | undefined): OutputMode {
  if (v === undefined) return "pretty";
  if ((OUTPUT_MODES as readonly string[]).includes(v)) return v as OutputMode;
  throw new UsageError(`--output must be one of ${OUTPUT_MODES.join(", ")} (got ${JSON.stringify(v)})`);
}

/**
 * Format a response body for stdout. Secrets are masked first, in every mode:
 * `pretty` = indented JSON, `raw` = one line of JSON for jq, `table` = aligned columns.
 * Non-JSON text bodies pass through as text.
 */
export function render(data: unknown, mode: OutputMode): string {
  if (typeof data === "string") return data;
  const masked = maskSecrets(data);
  if (mode === "raw") return JSON.stringify(masked);
  if (mode === "table") return renderTable(masked);
  return JSON.stringify(masked, null, 2);
}
