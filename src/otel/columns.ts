import type { Attributes } from "@opentelemetry/api";
import type { ReadableSpan, Span } from "@opentelemetry/sdk-trace-base";
import { identityColumns, spanColumns } from "../attributes/conventions.js";
import type { MapSettings } from "../attributes/map.js";
import { type IdentitySnapshot, resolveIdentity } from "../spans/ambient.js";

/**
 * Bento's columns for a span that Bento's own span builders did not make (SPEC.md §5a): the
 * convention mapping first (a key the span carries under another convention is its own value),
 * then identity for the keys still absent.
 */
export function bentoColumns(
  name: string,
  attributes: Attributes,
  snapshot: IdentitySnapshot | undefined,
  settings: MapSettings,
): Attributes {
  const extra = spanColumns(name, attributes, settings);
  if (!snapshot) return extra;
  const identity = resolveIdentity(snapshot);
  if (identity.userId === undefined && identity.convoId === undefined && identity.tags === undefined) return extra;
  return { ...extra, ...identityColumns(identity, { ...attributes, ...extra }, settings.portable) };
}

/**
 * For spans of Bento's own provider (instrumentations, `getTracerProvider()`): add the columns
 * when `span` ends, the last moment its attributes are writable.
 */
export function enrichOnEnd(span: Span, snapshot: IdentitySnapshot | undefined, settings: () => MapSettings): void {
  const end = span.end;
  span.end = function (this: Span, endTime) {
    try {
      if (this.isRecording()) this.setAttributes(bentoColumns(this.name, (this as ReadableSpan).attributes, snapshot, settings()));
    } catch {
      // enrichment must never break the host's span.end()
    }
    return end.call(this, endTime);
  };
}

/**
 * `span` as Bento should receive it from the app's own provider (BentoLabsSpanProcessor /
 * BentoLabsTraceExporter): a read-only view with the columns added. The app's span itself, and
 * what its other exporters get, is untouched.
 */
export function withBentoColumns(span: ReadableSpan, snapshot: IdentitySnapshot | undefined, settings: MapSettings): ReadableSpan {
  try {
    const attributes = span.attributes;
    const extra = bentoColumns(span.name, attributes, snapshot, settings);
    if (Object.keys(extra).length === 0) return span;
    return Object.create(span, { attributes: { value: { ...attributes, ...extra }, enumerable: true } }) as ReadableSpan;
  } catch {
    return span;
  }
}
