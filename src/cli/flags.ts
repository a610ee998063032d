import type { Flags } from "./spec.js";
import { UsageError } from "./usage-error.js";

/** A string flag's value, or undefined when it was not given. */
export const str = (v: Flags[string]): string | undefined => (typeof v === "string" ? v : undefined);

/** `--limit`-style flags: a positive integer, else exit 2 naming the flag. */
export function positiveInt(flag: string, v: Flags[string]): number | undefined {
  if (typeof v !== "string") return undefined;
  if (!/^\d+$/.test(v.trim()) || Number(v) < 1) throw new UsageError(`--${flag} must be a positive integer (got ${JSON.stringify(v)})`);
  return Number(v);
}
