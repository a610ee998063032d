import type { Attributes, HrTime, Link } from "@opentelemetry/api";
import type { ReadableSpan, TimedEvent } from "@opentelemetry/sdk-trace-base";

/**
 * OTLP/JSON for trace export, written straight to strings. It produces what
 * `JsonTraceSerializer.serializeRequest` from `@opentelemetry/otlp-transformer` produces (the
 * decoded JSON is identical; test/export/otlp-json.test.ts checks it on random spans) without the
 * intermediate request objects, BigInt timestamps and the TextEncoder pass, and it encodes one
 * span at a time so the pipeline can spread the work over event-loop turns and drop the span
 * object as soon as it is encoded.
 *
 * Spans reaching it have been through `toExportable` (plain, finite values).
 */

/** Resource + instrumentation scope a span is grouped under in a request. */
export interface SpanGroup {
  readonly resource: object;
  /** `"resource":{…}` of the resourceSpans entry. */
  readonly resourceJson: string;
  /** `,"schemaUrl":…` of the resourceSpans entry, or "". */
  readonly resourceSchema: string;
  /** The scopeSpans entry up to `"spans":[`, and what follows the spans. */
  readonly scopeHead: string;
  readonly scopeTail: string;
}

/** One encoded span: its JSON object as UTF-8 bytes, and its group. */
export interface EncodedSpan {
  bytes: Buffer;
  group: SpanGroup;
}

const q = JSON.stringify;

type AnyValue = Record<string, unknown>;

function anyValue(v: unknown): AnyValue {
  switch (typeof v) {
    case "string":
      return { stringValue: v };
    case "number":
      return Number.isInteger(v) ? { intValue: v } : { doubleValue: v };
    case "boolean":
      return { boolValue: v };
  }
  if (v instanceof Uint8Array) return { bytesValue: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64") };
  if (Array.isArray(v)) {
    const values = new Array<AnyValue>(v.length);
    for (let i = 0; i < v.length; i++) values[i] = anyValue(v[i]);
    return { arrayValue: { values } };
  }
  if (v !== null && typeof v === "object") {
    return { kvlistValue: { values: Object.keys(v).map((key) => ({ key, value: anyValue((v as Record<string, unknown>)[key]) })) } };
  }
  return {};
}

/** `[{ key, value }, …]` as OTLP writes attributes. */
export function toKeyValues(a: Attributes | undefined): Array<{ key: string; value: AnyValue }> {
  const out: Array<{ key: string; value: AnyValue }> = [];
  for (const key in a) out.push({ key, value: anyValue(a[key]) });
  return out;
}

/** Nanoseconds since the epoch as a decimal string, as the stock encoder's BigInt arithmetic gives. */
export function nanos(t: HrTime): string {
  const s = Math.trunc(t[0]);
  const n = Math.trunc(t[1]);
  if (s > 0 && n >= 0 && n < 1e9 && s < 1e12) {
    const ns = String(n);
    return String(s) + "000000000".slice(ns.length) + ns;
  }
  return (BigInt(s) * 1_000_000_000n + BigInt(n)).toString();
}

function flags(traceFlags: number, isRemote: boolean | undefined): number {
  return (traceFlags & 0xff) | 0x100 | (isRemote ? 0x200 : 0);
}

function toEvent(e: TimedEvent) {
  return {
    attributes: e.attributes ? toKeyValues(e.attributes) : [],
    name: e.name,
    timeUnixNano: nanos(e.time),
    droppedAttributesCount: e.droppedAttributesCount || 0,
  };
}

function toLink(l: Link) {
  const c = l.context;
  return {
    attributes: l.attributes ? toKeyValues(l.attributes) : [],
    spanId: c.spanId,
    traceId: c.traceId,
    traceState: c.traceState?.serialize(),
    droppedAttributesCount: l.droppedAttributesCount || 0,
    flags: flags(c.traceFlags, c.isRemote),
  };
}

/**
 * One span's OTLP JSON object text: one plain object and one `JSON.stringify`, which V8 serializes
 * faster than string concatenation (whose ropes cost again when the body is joined). Throws if a
 * getter of the span throws (the caller isolates that span).
 */
export function spanJson(span: ReadableSpan): string {
  const ctx = span.spanContext();
  const parent = span.parentSpanContext;
  const status = span.status;
  return q({
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    parentSpanId: parent?.spanId ? parent.spanId : undefined,
    traceState: ctx.traceState?.serialize(),
    name: span.name,
    kind: span.kind == null ? 0 : span.kind + 1,
    startTimeUnixNano: nanos(span.startTime),
    endTimeUnixNano: nanos(span.endTime),
    attributes: toKeyValues(span.attributes),
    droppedAttributesCount: span.droppedAttributesCount,
    events: span.events.map(toEvent),
    droppedEventsCount: span.droppedEventsCount,
    status: { code: status.code, message: status.message },
    links: span.links.map(toLink),
    droppedLinksCount: span.droppedLinksCount,
    flags: flags(ctx.traceFlags, parent?.isRemote),
  });
}

const groupCache = new WeakMap<object, Map<string, SpanGroup>>();

/** The group of a span (cached per resource object and scope). */
export function groupOf(span: ReadableSpan): SpanGroup {
  const resource = span.resource;
  const scope = span.instrumentationScope;
  const key = `${scope.name}@${scope.version || ""}:${scope.schemaUrl || ""}`;
  let byScope = groupCache.get(resource);
  if (!byScope) groupCache.set(resource, (byScope = new Map()));
  let g = byScope.get(key);
  if (!g) {
    // Scope attributes exist on newer API versions; read them without depending on that type.
    const extra = scope as { attributes?: Attributes; droppedAttributesCount?: number };
    const attrs = extra.attributes && Object.keys(extra.attributes).length > 0;
    const scopeJson = q({
      name: scope.name,
      version: scope.version,
      ...(attrs ? { attributes: toKeyValues(extra.attributes), droppedAttributesCount: extra.droppedAttributesCount ?? 0 } : {}),
    });
    const schemaUrl = resource.schemaUrl;
    const schema = typeof schemaUrl === "string" && schemaUrl !== "" ? `,"schemaUrl":${q(schemaUrl)}` : "";
    g = {
      resource,
      resourceJson: `"resource":{"attributes":${q(toKeyValues(resource.attributes))},"droppedAttributesCount":0${schema}}`,
      resourceSchema: schema,
      scopeHead: `{"scope":${scopeJson},"spans":[`,
      scopeTail: scope.schemaUrl === undefined ? "]}" : `],"schemaUrl":${q(scope.schemaUrl)}}`,
    };
    byScope.set(key, g);
  }
  return g;
}

/** Encode one span; undefined if it cannot be read. */
export function encodeSpan(span: ReadableSpan): EncodedSpan | undefined {
  try {
    // To bytes at once: V8 writes a young JSON.stringify result as UTF-8 about ten times faster
    // than the same string after it survived a GC (measured: 0.1 vs 1 µs per KB).
    return { bytes: Buffer.from(spanJson(span), "utf8"), group: groupOf(span) };
  } catch {
    return undefined;
  }
}

/**
 * The UTF-8 request body for `items`: grouped by resource, then scope, in first-seen order,
 * exactly as the stock serializer groups them.
 */
export function requestBody(items: readonly EncodedSpan[]): Buffer {
  const byResource = new Map<object, Map<SpanGroup, Buffer[]>>();
  for (let i = 0; i < items.length; i++) {
    const { group, bytes } = items[i]!;
    let scopes = byResource.get(group.resource);
    if (!scopes) byResource.set(group.resource, (scopes = new Map()));
    const spans = scopes.get(group);
    if (spans) spans.push(bytes);
    else scopes.set(group, [bytes]);
  }
  const parts: Buffer[] = [];
  const text = (t: string) => parts.push(Buffer.from(t, "utf8"));
  const comma = Buffer.from(",");
  text('{"resourceSpans":[');
  let firstResource = true;
  for (const scopes of byResource.values()) {
    let firstScope = true;
    let schema = "";
    for (const [group, spans] of scopes) {
      if (firstScope) text(`${firstResource ? "" : ","}{${group.resourceJson},"scopeSpans":[`);
      text((firstScope ? "" : ",") + group.scopeHead);
      for (let i = 0; i < spans.length; i++) {
        if (i > 0) parts.push(comma);
        parts.push(spans[i]!);
      }
      text(group.scopeTail);
      schema = group.resourceSchema;
      firstScope = false;
    }
    text(`]${schema}}`);
    firstResource = false;
  }
  text("]}");
  return Buffer.concat(parts);
}
