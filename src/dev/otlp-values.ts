/**
 * Decoding of OTLP/HTTP JSON scalars (proto3 JSON mapping): AnyValue, trace/span ids and
 * unix-nano timestamps. Pure functions; a `ShapeError` names the JSON path that is wrong.
 */
export class ShapeError extends Error {
  override readonly name = "ShapeError";
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const INT_PATTERN = /^-?\d+$/;

function decodeInt(v: unknown, path: string): number | string {
  const text = typeof v === "number" ? String(v) : v;
  if (typeof text !== "string" || !INT_PATTERN.test(text)) throw new ShapeError(`${path}.intValue is not an integer`);
  const n = Number(text);
  // 64-bit ints beyond 2^53 keep their exact decimal text
  return Number.isSafeInteger(n) ? n : text;
}

/** Decode an OTLP `AnyValue` into plain JSON. An empty AnyValue is `null`. */
export function decodeAnyValue(v: unknown, path: string): JsonValue {
  if (!isObject(v)) throw new ShapeError(`${path} is not an AnyValue object`);
  if ("stringValue" in v) {
    if (typeof v.stringValue !== "string") throw new ShapeError(`${path}.stringValue is not a string`);
    return v.stringValue;
  }
  if ("intValue" in v) return decodeInt(v.intValue, path);
  if ("doubleValue" in v) {
    const d = v.doubleValue;
    if (typeof d === "number") return d;
    if (d === "NaN" || d === "Infinity" || d === "-Infinity") return d;
    if (typeof d === "string" && d.trim() !== "" && Number.isFinite(Number(d))) return Number(d);
    throw new ShapeError(`${path}.doubleValue is not a number`);
  }
  if ("boolValue" in v) {
    if (typeof v.boolValue !== "boolean") throw new ShapeError(`${path}.boolValue is not a boolean`);
    return v.boolValue;
  }
  if ("arrayValue" in v) {
    const values = isObject(v.arrayValue) ? (v.arrayValue.values ?? []) : undefined;
    if (!Array.isArray(values)) throw new ShapeError(`${path}.arrayValue.values is not an array`);
    return values.map((item, i) => decodeAnyValue(item, `${path}.arrayValue.values[${i}]`));
  }
  if ("kvlistValue" in v) {
    const values = isObject(v.kvlistValue) ? (v.kvlistValue.values ?? []) : undefined;
    if (!Array.isArray(values)) throw new ShapeError(`${path}.kvlistValue.values is not an array`);
    return decodeKeyValues(values, `${path}.kvlistValue.values`);
  }
  if ("bytesValue" in v) {
    if (typeof v.bytesValue !== "string") throw new ShapeError(`${path}.bytesValue is not a base64 string`);
    return v.bytesValue;
  }
  return null;
}

/** Decode a list of OTLP `KeyValue`s into an object (later duplicates win). */
export function decodeKeyValues(list: unknown, path: string): Record<string, JsonValue> {
  if (list === undefined || list === null) return {};
  if (!Array.isArray(list)) throw new ShapeError(`${path} is not an array`);
  const out: Record<string, JsonValue> = {};
  list.forEach((kv, i) => {
    if (!isObject(kv) || typeof kv.key !== "string") throw new ShapeError(`${path}[${i}].key is not a string`);
    out[kv.key] = kv.value === undefined ? null : decodeAnyValue(kv.value, `${path}[${i}].value`);
  });
  return out;
}

const HEX = /^[0-9a-fA-F]+$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Decode a trace id (16 bytes) or span id (8 bytes) to lowercase hex. OTLP/HTTP JSON uses hex;
 * base64 (the generic proto3 JSON form for bytes) is accepted too, since some exporters send it.
 */
export function decodeId(v: unknown, bytes: 8 | 16, path: string): string {
  if (typeof v !== "string" || v === "") throw new ShapeError(`${path} is missing`);
  let hex: string | undefined;
  if (v.length === bytes * 2 && HEX.test(v)) hex = v.toLowerCase();
  else if (BASE64.test(v)) {
    const buf = Buffer.from(v, v.includes("-") || v.includes("_") ? "base64url" : "base64");
    if (buf.length === bytes) hex = buf.toString("hex");
  }
  if (hex === undefined) throw new ShapeError(`${path} is not a ${bytes}-byte id (${bytes * 2} hex characters)`);
  if (/^0+$/.test(hex)) throw new ShapeError(`${path} is all zeros, which OTLP forbids`);
  return hex;
}

/** Decode a unix-nano timestamp (a decimal string, or a number) to its decimal string. */
export function decodeNanos(v: unknown, path: string): string {
  const text = typeof v === "number" && Number.isInteger(v) && v >= 0 ? BigInt(v).toString() : v;
  if (typeof text !== "string" || !/^\d{1,19}$/.test(text) || BigInt(text) > 9223372036854775807n) {
    throw new ShapeError(`${path} is not a unix time in nanoseconds`);
  }
  return BigInt(text).toString();
}
