import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, type Context, type Attributes, type HrTime, type Link, type SpanContext } from "@opentelemetry/api";
import { millisToHrTime, timeInputToHrTime } from "@opentelemetry/core";
import type { ReadableSpan, TimedEvent } from "@opentelemetry/sdk-trace-base";
import type { SpanNode } from "../context.js";
import type { TimeInput } from "./core.js";

/** Where a finished span goes, and what it carries besides its attributes. */
export interface FinishedSpanTarget {
  readonly processor: { onStart(span: never, ctx: Context): void; onEnd(span: ReadableSpan): void };
  readonly resource: ReadableSpan["resource"];
  readonly scope: ReadableSpan["instrumentationScope"];
  readonly attributeCountLimit: number;
}

const NO_LINKS: Link[] = Object.freeze([]) as unknown as Link[];
const NO_EVENTS: TimedEvent[] = Object.freeze([]) as unknown as TimedEvent[];
const UNSET = Object.freeze({ code: SpanStatusCode.UNSET });

/**
 * A span that is complete when it is made: `trackAi` knows every attribute and both times up
 * front, so it needs none of the SDK span's mutation machinery (per-attribute validation and
 * limits, end-time bookkeeping). Attributes come from the mapping layer, already valid.
 */
class FinishedSpan implements ReadableSpan {
  readonly kind = SpanKind.INTERNAL;
  readonly status = UNSET;
  readonly links = NO_LINKS;
  readonly events = NO_EVENTS;
  readonly ended = true;
  readonly droppedEventsCount = 0;
  readonly droppedLinksCount = 0;
  constructor(
    readonly name: string,
    private readonly context: SpanContext,
    readonly parentSpanContext: SpanContext | undefined,
    readonly startTime: HrTime,
    readonly endTime: HrTime,
    readonly duration: HrTime,
    readonly attributes: Attributes,
    readonly droppedAttributesCount: number,
    readonly resource: ReadableSpan["resource"],
    readonly instrumentationScope: ReadableSpan["instrumentationScope"],
  ) {}
  spanContext(): SpanContext {
    return this.context;
  }
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** 8 random bytes as hex from two 32-bit draws (never all zero, which OTel treats as invalid). */
function hex64(): string {
  const a = (Math.random() * 0x100000000) >>> 0;
  const b = (Math.random() * 0x100000000) >>> 0 || 1;
  return HEX[a >>> 24]! + HEX[(a >>> 16) & 255]! + HEX[(a >>> 8) & 255]! + HEX[a & 255]! + HEX[b >>> 24]! + HEX[(b >>> 16) & 255]! + HEX[(b >>> 8) & 255]! + HEX[b & 255]!;
}

function duration(start: HrTime, end: HrTime): HrTime {
  let s = end[0] - start[0];
  let n = end[1] - start[1];
  if (n < 0) {
    s -= 1;
    n += 1e9;
  }
  return [s, n];
}

/** Keep the first `limit` keys, as the SDK span does; returns how many were dropped. */
function limitAttributes(attributes: Attributes, limit: number): number {
  let n = 0;
  let dropped = 0;
  for (const k in attributes) {
    if (++n > limit) {
      delete attributes[k];
      dropped++;
    }
  }
  return dropped;
}

/**
 * Record a complete span under `parent` (or as a new trace) and hand it to `target`'s processor,
 * as the SDK would on start and end. Returns the span id. An unsampled parent records nothing,
 * as OpenTelemetry's default parent-based sampler decides.
 */
export function recordFinishedSpan(
  target: FinishedSpanTarget,
  name: string,
  attributes: Attributes,
  parent: SpanNode | undefined,
  nowMs: number,
  startTime?: TimeInput,
  endTime?: TimeInput,
): string {
  const p = parent?.span.spanContext();
  const spanId = hex64();
  if (p && (p.traceFlags & TraceFlags.SAMPLED) === 0) return spanId;
  const context: SpanContext = { traceId: p ? p.traceId : hex64() + hex64(), spanId, traceFlags: TraceFlags.SAMPLED, traceState: p?.traceState };
  const start = startTime === undefined ? millisToHrTime(nowMs) : timeInputToHrTime(startTime);
  let end = endTime === undefined ? millisToHrTime(nowMs) : timeInputToHrTime(endTime);
  let d = duration(start, end);
  if (d[0] < 0) {
    end = start; // as the SDK does for an end before the start
    d = [0, 0];
  }
  const dropped = limitAttributes(attributes, target.attributeCountLimit);
  const span = new FinishedSpan(name, context, p, start, end, d, attributes, dropped, target.resource, target.scope);
  // Processors only read a started span; this one is already complete.
  target.processor.onStart(span as never, ROOT_CONTEXT);
  target.processor.onEnd(span);
  return spanId;
}
