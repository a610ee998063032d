import type { Attributes, AttributeValue, Link } from "@opentelemetry/api";
import type { ReadableSpan, TimedEvent } from "@opentelemetry/sdk-trace-base";
import { log } from "../log.js";
import { isContentKey, isEventContentKey } from "./content.js";
import { applyDetector, type Detector } from "./detectors.js";
import { keyedHash } from "./hash.js";
import type { RedactContext } from "./options.js";
import type { ResolvedPrivacy } from "./resolve.js";

export const HOOK_ERROR_MARKER = "[REDACTED:hook_error]";
const NO_KEY_MARKER = "[REDACTED:no_hash_key]";

/** Returns a redacted view of a span; never mutates it. `undefined` = the span must not be sent. */
export type SpanRedactor = (span: ReadableSpan) => ReadableSpan | undefined;

interface Where {
  span: ReadableSpan;
  event?: string;
  link?: boolean;
}

/**
 * The export-time redactor for these settings, or undefined when there is nothing to do (so the
 * exporter pays nothing). Runs in the export worker, never on the caller's path.
 */
export function createRedactor(p: ResolvedPrivacy): SpanRedactor | undefined {
  if (!p.hook && p.detectors.length === 0 && p.captureContent) return undefined;
  const hash = (v: string) => (p.hashKey ? keyedHash(p.hashKey, String(v)) : NO_KEY_MARKER);
  const markers = new Map(p.detectors.map((d) => [d, `[REDACTED:${d.name}]`]));

  /** Detectors over one string; undefined = drop the key (drop mode). */
  function detect(value: string): string | undefined {
    let v = value;
    for (const d of p.detectors) {
      if (p.mode === "drop") {
        if (applyDetector(v, d, () => "") !== v) return undefined;
        continue;
      }
      v = applyDetector(v, d, p.mode === "hash" ? (m) => `[REDACTED:${d.name}:${hash(m)}]` : () => markers.get(d as Detector)!);
    }
    return v;
  }

  function one(value: string, key: string, where: Where): string | undefined {
    let v: string | undefined = value;
    if (p.hook) {
      try {
        const ctx: RedactContext = { key, span: where.span, event: where.event, link: where.link, hash };
        const r: unknown = p.hook(value, ctx);
        v = r === undefined ? undefined : typeof r === "string" ? r : String(r);
      } catch (err) {
        // Fail closed. The message names the key, never the value.
        log.warnOnce(`redact_hook_${key}`, `The redact hook threw for "${key}" (${err instanceof Error ? err.name : typeof err}); the value was replaced with ${HOOK_ERROR_MARKER}.`);
        return HOOK_ERROR_MARKER;
      }
      if (v === undefined) return undefined;
    }
    return p.detectors.length ? detect(v) : v;
  }

  function attributes(attrs: Attributes | undefined, where: Where, content: (key: string) => boolean): Attributes {
    const out: Attributes = {};
    if (!attrs) return out;
    for (const key of Object.keys(attrs)) {
      if (!p.captureContent && content(key)) continue;
      const value = attrs[key];
      const red = redactValue(value, key, where);
      if (red !== undefined) out[key] = red;
    }
    return out;
  }

  function redactValue(value: AttributeValue | undefined, key: string, where: Where): AttributeValue | undefined {
    if (typeof value === "string") return one(value, key, where);
    if (!Array.isArray(value)) return value;
    if (!value.some((e) => typeof e === "string")) return value;
    const out: unknown[] = [];
    for (const e of value) {
      if (typeof e !== "string") {
        out.push(e);
        continue;
      }
      const r = one(e, key, where);
      // One element dropped drops the key: an array with a hole would misalign its neighbours.
      if (r === undefined) return undefined;
      out.push(r);
    }
    return out as AttributeValue;
  }

  const text = (s: string | undefined): string | undefined => (typeof s === "string" && p.detectors.length ? (detect(s) ?? "[REDACTED]") : s);

  return (span) => {
    try {
      const where: Where = { span };
      const sc = span.spanContext();
      const events: TimedEvent[] = span.events.map((e) => ({
        name: e.name,
        time: e.time,
        attributes: attributes(e.attributes, { span, event: e.name }, (k) => isEventContentKey(e.name, k)),
        droppedAttributesCount: e.droppedAttributesCount,
      }));
      const links: Link[] = span.links.map((l) => ({ context: l.context, attributes: attributes(l.attributes, { span, link: true }, isContentKey), droppedAttributesCount: l.droppedAttributesCount }));
      const view = {
        name: text(span.name) ?? span.name,
        kind: span.kind,
        spanContext: () => sc,
        parentSpanContext: span.parentSpanContext,
        startTime: span.startTime,
        endTime: span.endTime,
        duration: span.duration,
        status: { code: span.status.code, message: text(span.status.message) },
        attributes: attributes(span.attributes, where, isContentKey),
        links,
        events,
        ended: true,
        resource: span.resource,
        instrumentationScope: span.instrumentationScope,
        droppedAttributesCount: span.droppedAttributesCount,
        droppedEventsCount: span.droppedEventsCount,
        droppedLinksCount: span.droppedLinksCount,
      };
      return view as ReadableSpan;
    } catch (err) {
      // Fail closed: a span that cannot be redacted is not sent (counted as invalid_span).
      log.warnOnce("redact_failed", `A span could not be redacted and was not exported: ${err instanceof Error ? err.name : typeof err}`);
      return undefined;
    }
  };
}
