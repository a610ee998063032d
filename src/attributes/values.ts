import type { AttributeValue } from "@opentelemetry/api";
import { DEFAULT_SERIALIZE_LIMITS, type SerializeLimits, safeStringify } from "./serialize.js";

/** Size limits applied to attribute values (UTF-16 code units). */
export interface ValueLimits extends SerializeLimits {
  /** Cap for `input.value` / `output.value`. */
  maxIoLength: number;
  /** Cap for every other string attribute. */
  maxStringLength: number;
}

export const DEFAULT_VALUE_LIMITS: ValueLimits = {
  ...DEFAULT_SERIALIZE_LIMITS,
  maxIoLength: 1_000_000,
  maxStringLength: 64 * 1024,
};

export const TRUNCATION_MARKER = "…[truncated by bentolabs]";

/**
 * Cut a string to at most `max` code units at a code-point boundary, append a visible marker,
 * and return a flat copy so the (possibly huge) original can be garbage-collected.
 */
export function truncate(s: string, max: number): { value: string; originalLength?: number } {
  if (s.length <= max) return { value: s };
  let end = Math.max(0, max - TRUNCATION_MARKER.length);
  const code = s.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1; // never leave a lone high surrogate
  // Buffer round-trip forces a flat copy instead of a V8 sliced string that pins the original.
  const head = typeof Buffer === "function" ? Buffer.from(s.slice(0, end), "utf16le").toString("utf16le") : flatCopy(s.slice(0, end));
  return { value: head + TRUNCATION_MARKER, originalLength: s.length };
}

function homogeneousArray(a: readonly unknown[]): AttributeValue | undefined {
  if (a.length === 0) return [] as string[];
  const t = typeof a[0];
  if (t !== "string" && t !== "number" && t !== "boolean") return undefined;
  for (let i = 1; i < a.length; i++) if (typeof a[i] !== t) return undefined;
  if (t === "number" && !a.every((n) => Number.isFinite(n as number))) return undefined;
  return a as AttributeValue;
}

/**
 * Map one property value to an OTel attribute value per SPEC.md §2 "Property type fidelity".
 * Returns undefined for null/undefined (omitted). Non-finite numbers become strings ("NaN"),
 * because OTLP JSON would otherwise carry `null` and a collector may reject the whole batch.
 */
export function toAttributeValue(v: unknown, limits: SerializeLimits = DEFAULT_SERIALIZE_LIMITS): AttributeValue | undefined {
  if (Array.isArray(v)) return homogeneousArray(v) ?? safeStringify(v, limits);
  return toScalarValue(v, limits);
}

/** One non-array value as an attribute scalar: non-finite numbers and BigInt as strings, objects as JSON. */
export function toScalarValue(v: unknown, limits: SerializeLimits = DEFAULT_SERIALIZE_LIMITS): AttributeValue | undefined {
  switch (typeof v) {
    case "string":
    case "boolean":
      return v;
    case "number":
      return Number.isFinite(v) ? v : String(v);
    case "bigint":
      return v.toString();
    case "undefined":
      return undefined;
    default:
      return v === null ? undefined : safeStringify(v, limits);
  }
}

/** A flat copy of a string where there is no Buffer (edge runtimes); a JSON round-trip keeps lone surrogates. */
function flatCopy(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}
