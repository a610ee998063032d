import type { Attributes, AttributeValue, HrTime, Link, SpanContext } from "@opentelemetry/api";
import type { ReadableSpan, TimedEvent } from "@opentelemetry/sdk-trace-base";
import { describeError as describe, safeStringify } from "../attributes/serialize.js";
import { toScalarValue } from "../attributes/values.js";

/**
 * Export-safe copies of spans. The OTLP JSON encoder writes `NaN`/`Infinity` as `null` (collectors
 * then reject the whole batch) and reads attributes through getters that may throw (spans from
 * foreign instrumentation). Every value is read once, inside try/catch, into plain data.
 */

function cleanScalar(v: unknown): AttributeValue | undefined {
  if (v instanceof Uint8Array) return v as unknown as AttributeValue; // encoded as bytesValue
  return toScalarValue(v);
}

function cleanValue(v: unknown): AttributeValue | undefined {
  if (!Array.isArray(v)) return cleanScalar(v);
  let mixed = false;
  const out: unknown[] = [];
  for (let i = 0; i < v.length; i++) {
    const e = cleanScalar(v[i]);
    if (typeof e === "string" && typeof v[i] !== "string") mixed = true;
    out.push(e === undefined ? null : e);
  }
  return (mixed ? out.map((e) => (e === null ? null : String(e))) : out) as AttributeValue;
}

/** A plain copy of `attrs` with every value encodable; a throwing key is isolated to itself. */
export function cleanAttributes(attrs: unknown): Attributes {
  const out: Attributes = {};
  if (attrs === null || typeof attrs !== "object") return out;
  let keys: string[];
  try {
    keys = Object.keys(attrs);
  } catch (err) {
    return { "bentolabs.attributes_error": `[Unreadable attributes: ${describe(err)}]` };
  }
  for (const k of keys) {
    let v: unknown;
    try {
      v = (attrs as Record<string, unknown>)[k];
    } catch (err) {
      out[k] = `[Getter threw: ${describe(err)}]`;
      continue;
    }
    try {
      const c = cleanValue(v);
      if (c !== undefined) out[k] = c;
    } catch (err) {
      out[k] = `[Unserializable: ${describe(err)}]`;
    }
  }
  return out;
}

function hrTime(t: unknown): HrTime {
  return Array.isArray(t) && typeof t[0] === "number" && typeof t[1] === "number" && Number.isFinite(t[0]) && Number.isFinite(t[1])
    ? [t[0], t[1]]
    : [0, 0];
}

function str(v: unknown): string {
  return typeof v === "string" ? v : v === undefined || v === null ? "" : safeStringify(v);
}

function cleanEvent(e: TimedEvent): TimedEvent {
  return {
    name: str(e.name),
    time: hrTime(e.time),
    attributes: cleanAttributes(e.attributes),
    droppedAttributesCount: Number(e.droppedAttributesCount) || 0,
  };
}

function cleanLink(l: Link): Link {
  const c = l.context;
  const context: SpanContext = {
    traceId: str(c.traceId),
    spanId: str(c.spanId),
    traceFlags: Number(c.traceFlags) || 0,
    isRemote: c.isRemote === true,
    traceState: c.traceState,
  };
  return { context, attributes: cleanAttributes(l.attributes), droppedAttributesCount: Number(l.droppedAttributesCount) || 0 };
}

const resources = new WeakMap<object, ReadableSpan["resource"]>();

function cleanResource(r: ReadableSpan["resource"]): ReadableSpan["resource"] {
  const cached = resources.get(r);
  if (cached) return cached;
  // Spans group by resource identity, so the original when it is clean, else one copy per resource.
  let ok = false;
  try {
    ok = cleanAttrs(r.attributes);
  } catch {
    ok = false;
  }
  const clean = ok ? r : ({ attributes: cleanAttributes(r.attributes), schemaUrl: r.schemaUrl } as unknown as ReadableSpan["resource"]);
  resources.set(r, clean);
  return clean;
}

function isPlain(v: unknown): boolean {
  const t = typeof v;
  return t === "string" || t === "boolean" || (t === "number" && Number.isFinite(v as number));
}

function cleanAttrs(a: unknown): boolean {
  if (a === undefined) return true;
  if (a === null || typeof a !== "object" || Object.getPrototypeOf(a) !== Object.prototype) return false;
  for (const k in a) {
    const v = (a as Record<string, unknown>)[k];
    if (isPlain(v)) continue;
    if (!Array.isArray(v)) return false;
    for (let i = 0; i < v.length; i++) if (!isPlain(v[i])) return false;
  }
  return true;
}

const cleanResources = new WeakSet<object>();

/** Resources are shared by every span of a provider: check each one once. */
function resourceIsClean(r: ReadableSpan["resource"] | undefined): boolean {
  if (!r) return true;
  if (cleanResources.has(r)) return true;
  if (!cleanAttrs(r.attributes)) return false;
  cleanResources.add(r);
  return true;
}

/**
 * True when the span can be encoded as it is: its own SDK span class, plain finite values only.
 * Reading throws for hostile getters, which the caller treats as "copy it".
 */
function alreadyClean(span: ReadableSpan): boolean {
  if (!cleanAttrs(span.attributes) || !resourceIsClean(span.resource)) return false;
  const events = span.events;
  for (let i = 0; i < events.length; i++) if (typeof events[i]!.name !== "string" || !cleanAttrs(events[i]!.attributes)) return false;
  const links = span.links;
  for (let i = 0; i < links.length; i++) if (!cleanAttrs(links[i]!.attributes)) return false;
  return typeof span.name === "string" && typeof span.spanContext()?.spanId === "string";
}

/**
 * An encodable span: the span itself when it is already clean (the common case, no copy), else a
 * plain copy; undefined if its identity cannot be read. If a getter passes here but throws in the
 * encoder, the batcher isolates that span instead of failing the batch.
 */
export function toExportable(span: ReadableSpan): ReadableSpan | undefined {
  try {
    if (alreadyClean(span)) return span;
  } catch {
    // fall through to the defensive copy
  }
  return copyOf(span);
}

function copyOf(span: ReadableSpan): ReadableSpan | undefined {
  try {
    const ctx = span.spanContext();
    const spanContext: SpanContext = {
      traceId: str(ctx.traceId),
      spanId: str(ctx.spanId),
      traceFlags: Number(ctx.traceFlags) || 0,
      traceState: ctx.traceState,
    };
    const p = span.parentSpanContext;
    const scope = span.instrumentationScope;
    const view = {
      name: str(span.name),
      kind: span.kind,
      spanContext: () => spanContext,
      parentSpanContext: p
        ? { traceId: str(p.traceId), spanId: str(p.spanId), traceFlags: Number(p.traceFlags) || 0, isRemote: p.isRemote === true }
        : undefined,
      startTime: hrTime(span.startTime),
      endTime: hrTime(span.endTime),
      duration: hrTime(span.duration),
      status: { code: Number(span.status?.code) || 0, message: span.status?.message === undefined ? undefined : str(span.status.message) },
      attributes: cleanAttributes(span.attributes),
      links: Array.isArray(span.links) ? span.links.map(cleanLink) : [],
      events: Array.isArray(span.events) ? span.events.map(cleanEvent) : [],
      ended: true,
      resource: cleanResource(span.resource),
      instrumentationScope: { name: str(scope?.name), version: scope?.version, schemaUrl: scope?.schemaUrl },
      droppedAttributesCount: Number(span.droppedAttributesCount) || 0,
      droppedEventsCount: Number(span.droppedEventsCount) || 0,
      droppedLinksCount: Number(span.droppedLinksCount) || 0,
    };
    return view as ReadableSpan;
  } catch {
    return undefined;
  }
}

const OVERHEAD = 400;

/**
 * A cheap upper-ish estimate of a span's serialized size, for the queue's byte budget.
 * Runs on the caller's path, so it only sums string lengths.
 */
export function estimateBytes(span: ReadableSpan): number {
  try {
    let n = OVERHEAD + span.name.length + attrBytes(span.attributes);
    const events = span.events;
    for (let i = 0; i < events.length; i++) n += 120 + (events[i]!.name?.length ?? 0) + attrBytes(events[i]!.attributes);
    return n + span.links.length * 200;
  } catch {
    return 4 * OVERHEAD;
  }
}

function attrBytes(a: Attributes | undefined): number {
  let n = 0;
  for (const k in a) {
    const v = a[k];
    n += k.length + 32 + (typeof v === "string" ? v.length : Array.isArray(v) ? 16 * v.length : 8);
  }
  return n;
}
