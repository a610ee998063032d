import { type AttributeValue, type HrTime, SpanStatusCode } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";

/** A finished span as a plain, readable record. */
export interface CapturedSpan {
  name: string;
  spanId: string;
  traceId: string;
  /** Undefined for a root span. */
  parentSpanId: string | undefined;
  attributes: Record<string, AttributeValue>;
  status: { code: "unset" | "ok" | "error"; message?: string };
  events: Array<{ name: string; attributes: Record<string, AttributeValue> }>;
  /** Epoch milliseconds. */
  startTime: number;
  endTime: number;
  /** Name of the instrumentation scope that made the span ("@bentolabs/sdk" for Bento's own). */
  scope: string;
}

const STATUS = { [SpanStatusCode.UNSET]: "unset", [SpanStatusCode.OK]: "ok", [SpanStatusCode.ERROR]: "error" } as const;

/** Exact start times (ns) for ordering: epoch milliseconds as a double lose sub-microsecond detail. */
const startNanos = new WeakMap<CapturedSpan, bigint>();
/**
 * The order spans were started in, as the capture saw it. Timestamps alone cannot order siblings
 * made within one millisecond when some come from OTel's `Date.now()` clock (instrumentations).
 */
const startOrder = new WeakMap<CapturedSpan, number>();

/** Order two records by when they started: creation order when both were seen starting, else time. */
export function byStartTime(a: CapturedSpan, b: CapturedSpan): number {
  const oa = startOrder.get(a);
  const ob = startOrder.get(b);
  if (oa !== undefined && ob !== undefined) return oa - ob;
  const x = startNanos.get(a) ?? BigInt(Math.round(a.startTime * 1e6));
  const y = startNanos.get(b) ?? BigInt(Math.round(b.startTime * 1e6));
  return x < y ? -1 : x > y ? 1 : 0;
}

function ms(t: HrTime): number {
  return t[0] * 1000 + t[1] / 1e6;
}

function attrs(a: ReadableSpan["attributes"] | undefined): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [k, v] of Object.entries(a ?? {})) if (v !== undefined) out[k] = v;
  return out;
}

/** ReadableSpan → CapturedSpan (copies, so later mutation of the span cannot change the record). */
export function toRecord(span: ReadableSpan, startedAs?: number): CapturedSpan {
  const ctx = span.spanContext();
  const status: CapturedSpan["status"] = { code: STATUS[span.status.code] };
  if (span.status.message) status.message = span.status.message;
  const record: CapturedSpan = {
    name: span.name,
    spanId: ctx.spanId,
    traceId: ctx.traceId,
    parentSpanId: span.parentSpanContext?.spanId,
    attributes: attrs(span.attributes),
    status,
    events: span.events.map((e) => ({ name: e.name, attributes: attrs(e.attributes) })),
    startTime: ms(span.startTime),
    endTime: ms(span.endTime),
    scope: span.instrumentationScope.name,
  };
  startNanos.set(record, BigInt(span.startTime[0]) * 1_000_000_000n + BigInt(span.startTime[1]));
  if (startedAs !== undefined) startOrder.set(record, startedAs);
  return record;
}
