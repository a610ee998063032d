import {
  type Attributes,
  type AttributeValue,
  type Context,
  type Exception,
  type HrTime,
  type Link,
  ROOT_CONTEXT,
  type Span,
  type SpanContext,
  SpanKind,
  type SpanStatus,
  SpanStatusCode,
  type TimeInput,
  TraceFlags,
  trace,
} from "@opentelemetry/api";
import { isAttributeValue, isTimeInput, millisToHrTime, sanitizeAttributes, timeInputToHrTime } from "@opentelemetry/core";
import type { ReadableSpan, TimedEvent } from "@opentelemetry/sdk-trace-base";

/** Where Bento's spans go, and what they carry besides their attributes. */
export interface SpanTarget {
  readonly processor: { onStart(span: never, ctx: Context): void; onEnd(span: ReadableSpan): void };
  readonly resource: ReadableSpan["resource"];
  readonly scope: ReadableSpan["instrumentationScope"];
  readonly attributeCountLimit: number;
}

/** OpenTelemetry's default event and link limits. */
const EVENT_LIMIT = 128;
const LINK_LIMIT = 128;

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** 8 random bytes as hex from two 32-bit draws (never all zero, which OTel treats as invalid). */
export function randomId64(): string {
  const a = (Math.random() * 0x100000000) >>> 0;
  const b = (Math.random() * 0x100000000) >>> 0 || 1;
  return (
    HEX[a >>> 24]! +
    HEX[(a >>> 16) & 255]! +
    HEX[(a >>> 8) & 255]! +
    HEX[a & 255]! +
    HEX[b >>> 24]! +
    HEX[(b >>> 16) & 255]! +
    HEX[(b >>> 8) & 255]! +
    HEX[b & 255]!
  );
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

const time = (t: TimeInput | undefined, nowMs: () => number): HrTime => (t === undefined ? millisToHrTime(nowMs()) : timeInputToHrTime(t));

/**
 * The span class of Bento's own spans (`trackAi`, `begin`, `toolSpan`, decorators). It keeps the
 * OpenTelemetry SDK span's observable behaviour (attribute count limit, attribute validation, event
 * and link limits, status rules, exception events, end-once, `ReadableSpan` for processors) without
 * what Bento's spans never use: a sampler (Bento's provider always samples; an unsampled parent is
 * handled by the caller), span metrics, the multi-processor indirection and per-call diag lookups.
 * Attributes handed to the constructor come from the mapping layer and are already valid.
 */
export class BentoSpan implements Span, ReadableSpan {
  readonly kind = SpanKind.INTERNAL;
  status: SpanStatus = { code: SpanStatusCode.UNSET };
  links: Link[] = [];
  events: TimedEvent[] = [];
  endTime: HrTime = [0, 0];
  duration: HrTime = [0, 0];
  ended = false;
  droppedAttributesCount = 0;
  droppedEventsCount = 0;
  droppedLinksCount = 0;
  readonly resource: ReadableSpan["resource"];
  readonly instrumentationScope: ReadableSpan["instrumentationScope"];
  private count: number;

  constructor(
    private readonly target: SpanTarget,
    public name: string,
    private readonly context: SpanContext,
    readonly parentSpanContext: SpanContext | undefined,
    readonly startTime: HrTime,
    readonly attributes: Attributes,
    private readonly nowMs: () => number,
  ) {
    this.resource = target.resource;
    this.instrumentationScope = target.scope;
    let n = 0;
    for (const k in attributes) {
      if (++n > target.attributeCountLimit) {
        delete attributes[k]; // keep the first keys, as the SDK span does
        this.droppedAttributesCount++;
      }
    }
    this.count = n - this.droppedAttributesCount;
    target.processor.onStart(this as never, ROOT_CONTEXT);
  }

  spanContext(): SpanContext {
    return this.context;
  }

  setAttribute(key: string, value: AttributeValue | undefined): this {
    if (value == null || this.ended || key.length === 0 || !isAttributeValue(value)) return this;
    const isNew = !Object.hasOwn(this.attributes, key);
    if (isNew && this.count >= this.target.attributeCountLimit) {
      this.droppedAttributesCount++;
      return this;
    }
    this.attributes[key] = Array.isArray(value) ? value.slice() : value;
    if (isNew) this.count++;
    return this;
  }

  setAttributes(attributes: Attributes): this {
    for (const k in attributes) if (Object.hasOwn(attributes, k)) this.setAttribute(k, attributes[k]);
    return this;
  }

  addEvent(name: string, attributesOrTime?: Attributes | TimeInput, at?: TimeInput): this {
    if (this.ended) return this;
    if (this.events.length >= EVENT_LIMIT) {
      this.events.shift();
      this.droppedEventsCount++;
    }
    let attributes = attributesOrTime as Attributes | undefined;
    if (isTimeInput(attributesOrTime)) {
      if (!isTimeInput(at)) at = attributesOrTime;
      attributes = undefined;
    }
    this.events.push({ name, attributes: sanitizeAttributes(attributes), time: time(at, this.nowMs), droppedAttributesCount: 0 });
    return this;
  }

  addLink(link: Link): this {
    if (this.ended) return this;
    if (this.links.length >= LINK_LIMIT) {
      this.links.shift();
      this.droppedLinksCount++;
    }
    const attributes = sanitizeAttributes(link.attributes);
    this.links.push(Object.keys(attributes).length > 0 ? { context: link.context, attributes } : { context: link.context });
    return this;
  }

  addLinks(links: Link[]): this {
    for (const l of links) this.addLink(l);
    return this;
  }

  setStatus(status: SpanStatus): this {
    if (this.ended || status.code === SpanStatusCode.UNSET || this.status.code === SpanStatusCode.OK) return this;
    this.status =
      status.code === SpanStatusCode.ERROR && typeof status.message === "string"
        ? { code: status.code, message: status.message }
        : { code: status.code };
    return this;
  }

  updateName(name: string): this {
    if (!this.ended) this.name = name;
    return this;
  }

  recordException(exception: Exception, at?: TimeInput): void {
    const attributes: Attributes = {};
    if (typeof exception === "string") attributes["exception.message"] = exception;
    else if (exception) {
      if (exception.code) attributes["exception.type"] = exception.code.toString();
      else if (exception.name) attributes["exception.type"] = exception.name;
      if (exception.message) attributes["exception.message"] = exception.message;
      if (exception.stack) attributes["exception.stacktrace"] = exception.stack;
    }
    if (attributes["exception.type"] || attributes["exception.message"]) this.addEvent("exception", attributes, at);
  }

  isRecording(): boolean {
    return !this.ended;
  }

  end(endTime?: TimeInput): void {
    if (this.ended) return;
    this.endTime = time(endTime, this.nowMs);
    this.duration = duration(this.startTime, this.endTime);
    if (this.duration[0] < 0) {
      this.endTime = this.startTime; // as the SDK does for an end before the start
      this.duration = [0, 0];
    }
    this.ended = true;
    this.target.processor.onEnd(this);
  }
}

/**
 * Start a Bento span under `parent` (or as a new trace). An unsampled parent gives a span that
 * records nothing, as OpenTelemetry's default parent-based sampler would decide.
 */
export function startBentoSpan(
  target: SpanTarget,
  name: string,
  attributes: Attributes,
  parent: SpanContext | undefined,
  nowMs: () => number,
  startTime?: TimeInput,
): Span {
  const spanId = randomId64();
  if (parent && (parent.traceFlags & TraceFlags.SAMPLED) === 0)
    return trace.wrapSpanContext({ traceId: parent.traceId, spanId, traceFlags: TraceFlags.NONE });
  const context: SpanContext = {
    traceId: parent ? parent.traceId : randomId64() + randomId64(),
    spanId,
    traceFlags: TraceFlags.SAMPLED,
    traceState: parent?.traceState,
  };
  return new BentoSpan(target, name, context, parent, time(startTime, nowMs), attributes, nowMs);
}
