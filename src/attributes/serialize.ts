/**
 * JSON serialization that never throws. Cycles, BigInt, Map/Set, Errors, binary data, Symbols,
 * functions, throwing getters / toJSON / Proxies are each turned into something readable and
 * isolated to their own key, so one bad field never loses the rest.
 */
export interface SerializeLimits {
  /** Nesting depth before a subtree is replaced by a marker. */
  maxDepth: number;
  /** Items per array / keys per object before the rest is summarised. */
  maxItems: number;
}

export const DEFAULT_SERIALIZE_LIMITS: SerializeLimits = { maxDepth: 10, maxItems: 1000 };

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/** `Name: message` of a thrown value, without ever throwing itself. */
export function describeError(err: unknown): string {
  try {
    return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  } catch {
    return "unknown error";
  }
}

function nonFinite(n: number): Json {
  return Number.isFinite(n) ? n : String(n); // NaN / Infinity never silently become null
}

class Walker {
  private readonly seen = new Set<object>();
  constructor(private readonly limits: SerializeLimits) {}

  value(v: unknown, depth: number): Json | undefined {
    switch (typeof v) {
      case "string":
      case "boolean":
        return v;
      case "number":
        return nonFinite(v);
      case "bigint":
        return v.toString();
      case "undefined":
        return undefined;
      case "symbol":
        return v.toString();
      case "function":
        return `[Function ${v.name || "anonymous"}]`;
      default:
        return v === null ? null : this.object(v as object, depth);
    }
  }

  private object(o: object, depth: number): Json | undefined {
    if (this.seen.has(o)) return "[Circular]";
    if (depth >= this.limits.maxDepth) return "[Truncated: max depth]";
    this.seen.add(o);
    try {
      return this.objectInner(o, depth);
    } catch (err) {
      return `[Unserializable: ${describeError(err)}]`;
    } finally {
      this.seen.delete(o);
    }
  }

  private objectInner(o: object, depth: number): Json | undefined {
    if (o instanceof Date) return Number.isNaN(o.getTime()) ? "Invalid Date" : o.toISOString();
    if (o instanceof Error) return this.error(o, depth);
    if (ArrayBuffer.isView(o) || o instanceof ArrayBuffer) {
      return `[${o.constructor?.name ?? "Binary"} ${o.byteLength} bytes]`;
    }
    if (o instanceof Map) return this.entries(o.entries(), o.size, depth, true);
    if (o instanceof Set) return this.entries(o.values(), o.size, depth, false);
    if (Array.isArray(o)) return this.array(o, depth);
    if (o instanceof RegExp) return o.toString();
    if (o instanceof WeakMap || o instanceof WeakSet) return `[${o.constructor.name}]`;
    if (typeof (o as { then?: unknown }).then === "function") return "[Promise]";
    const toJSON = (o as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") {
      let replaced: unknown;
      try {
        replaced = toJSON.call(o);
      } catch (err) {
        return `[toJSON threw: ${describeError(err)}]`;
      }
      return replaced === o ? this.plain(o, depth) : this.value(replaced, depth);
    }
    return this.plain(o, depth);
  }

  private error(e: Error, depth: number): Json {
    const out: Record<string, Json> = {};
    for (const key of ["name", "message", "stack"] as const) {
      const v = this.read(e, key, depth);
      if (v !== undefined) out[key] = v;
    }
    if ("cause" in e) {
      const cause = this.read(e, "cause", depth);
      if (cause !== undefined) out.cause = cause;
    }
    for (const [k, v] of Object.entries(this.plain(e, depth) as Record<string, Json>)) if (!(k in out)) out[k] = v;
    return out;
  }

  private read(o: object, key: PropertyKey, depth: number): Json | undefined {
    try {
      return this.value((o as Record<PropertyKey, unknown>)[key], depth + 1);
    } catch (err) {
      return `[Getter threw: ${describeError(err)}]`;
    }
  }

  private array(a: unknown[], depth: number): Json[] {
    const n = Math.min(a.length, this.limits.maxItems);
    const out: Json[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = this.read(a, i, depth) ?? null;
    if (a.length > n) out.push(`[… ${a.length - n} more items]`);
    return out;
  }

  private entries(it: Iterable<unknown>, size: number, depth: number, isMap: boolean): Json {
    const out: Json[] = [];
    let i = 0;
    for (const e of it) {
      if (i++ >= this.limits.maxItems) {
        out.push(`[… ${size - this.limits.maxItems} more items]`);
        break;
      }
      out.push(this.value(e, depth + 1) ?? null);
    }
    if (!isMap) return out;
    const allStringKeys = out.every((e) => Array.isArray(e) && typeof e[0] === "string");
    return allStringKeys ? Object.fromEntries(out.map((e) => (Array.isArray(e) ? [e[0] as string, e[1] ?? null] : ["", null]))) : out;
  }

  private plain(o: object, depth: number): Json {
    const out: Record<string, Json> = {};
    const keys = Object.keys(o);
    const n = Math.min(keys.length, this.limits.maxItems);
    for (let i = 0; i < n; i++) {
      const k = keys[i] as string;
      const v = this.read(o, k, depth);
      if (v !== undefined) out[k] = v;
    }
    if (keys.length > n) out["…"] = `${keys.length - n} more keys`;
    return out;
  }
}

/**
 * Serialize any value to JSON text. Strings pass through unchanged. Never throws.
 *
 * @example
 * safeStringify({ a: 1n, self: obj }) // '{"a":"1","self":"[Circular]"}'
 */
export function safeStringify(value: unknown, limits: SerializeLimits = DEFAULT_SERIALIZE_LIMITS): string {
  if (typeof value === "string") return value;
  try {
    const json = new Walker(limits).value(value, 0);
    return json === undefined ? "null" : JSON.stringify(json);
  } catch (err) {
    return JSON.stringify(`[Unserializable: ${describeError(err)}]`);
  }
}
