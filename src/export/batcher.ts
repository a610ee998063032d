import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { JsonTraceSerializer } from "@opentelemetry/otlp-transformer";

/** A group of export-safe spans with its encoded OTLP JSON body. */
export interface Chunk {
  spans: ReadableSpan[];
  body: Uint8Array;
}

export interface Encoded {
  chunks: Chunk[];
  /** Single spans whose body alone exceeds the limit. */
  oversize: ReadableSpan[];
  /** Single spans the encoder could not serialize at all. */
  invalid: number;
}

function serialize(spans: ReadableSpan[]): Uint8Array | undefined {
  try {
    return JsonTraceSerializer.serializeRequest(spans);
  } catch {
    return undefined;
  }
}

/**
 * Encode spans with the OpenTelemetry OTLP JSON serializer into bodies of at most `maxBytes`,
 * splitting in halves as needed. A span that cannot be encoded is isolated instead of failing
 * its batch.
 */
export function encode(spans: ReadableSpan[], maxBytes: number): Encoded {
  const out: Encoded = { chunks: [], oversize: [], invalid: 0 };
  const visit = (part: ReadableSpan[]): void => {
    if (part.length === 0) return;
    const body = serialize(part);
    if (body && body.byteLength <= maxBytes) {
      out.chunks.push({ spans: part, body });
      return;
    }
    if (part.length === 1) {
      if (body) out.oversize.push(part[0]!);
      else out.invalid++;
      return;
    }
    const mid = Math.ceil(part.length / 2);
    visit(part.slice(0, mid));
    visit(part.slice(mid));
  };
  visit(spans);
  return out;
}

/** Split a chunk's spans into two re-encoded halves (after a 413). */
export function halves(spans: ReadableSpan[], maxBytes: number): Encoded {
  const mid = Math.ceil(spans.length / 2);
  const a = encode(spans.slice(0, mid), maxBytes);
  const b = encode(spans.slice(mid), maxBytes);
  return { chunks: [...a.chunks, ...b.chunks], oversize: [...a.oversize, ...b.oversize], invalid: a.invalid + b.invalid };
}
