import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { JsonTraceSerializer } from "@opentelemetry/otlp-transformer";
import { bytesEqual, concatBytes, utf8 } from "../platform/bytes.js";

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

const PREFIX = utf8('{"resourceSpans":[');
const SUFFIX = utf8("]}");
const COMMA = utf8(",");

/** The `[...]` contents of an encoded request, if it has the serializer's usual shape. */
function inner(b: Uint8Array): Uint8Array | undefined {
  if (b.length < PREFIX.length + SUFFIX.length) return undefined;
  if (!bytesEqual(b.subarray(0, PREFIX.length), PREFIX) || !bytesEqual(b.subarray(b.length - SUFFIX.length), SUFFIX)) return undefined;
  return b.subarray(PREFIX.length, b.length - SUFFIX.length);
}

/** Join consecutive chunks into requests of at most `maxBytes` (their resourceSpans lists concatenated). */
export function merge(chunks: Chunk[], maxBytes: number): Chunk[] {
  const out: Chunk[] = [];
  let parts: Uint8Array[] = [];
  let spans: ReadableSpan[] = [];
  let size = PREFIX.length + SUFFIX.length;
  const close = () => {
    if (parts.length === 0) return;
    const pieces: Uint8Array[] = [PREFIX];
    parts.forEach((p, i) => pieces.push(...(i ? [COMMA, p] : [p])));
    pieces.push(SUFFIX);
    out.push({ spans, body: concatBytes(pieces) });
    parts = [];
    spans = [];
    size = PREFIX.length + SUFFIX.length;
  };
  for (const c of chunks) {
    const part = inner(c.body);
    if (!part) {
      out.push(c); // unexpected shape: send it as it is
      continue;
    }
    if (parts.length > 0 && size + COMMA.length + part.byteLength > maxBytes) close();
    parts.push(part);
    spans = spans.concat(c.spans);
    size += (parts.length > 1 ? COMMA.length : 0) + part.byteLength;
  }
  close();
  return out;
}

// setImmediate where there is one (Node); a zero timer on edge runtimes.
const yieldToLoop = () => new Promise<void>((resolve) => (typeof setImmediate === "function" ? setImmediate(resolve) : setTimeout(resolve, 0)));

/**
 * {@link encode} in slices of `sliceSize` spans, yielding to the event loop between slices so that
 * a 512-span batch never blocks the host for the time of one big `JSON.stringify`; the slices are
 * then merged back into as few requests as the byte limit allows.
 */
export async function encodeSliced(spans: ReadableSpan[], maxBytes: number, sliceSize = 64): Promise<Encoded> {
  const out: Encoded = { chunks: [], oversize: [], invalid: 0 };
  for (let i = 0; i < spans.length; i += sliceSize) {
    if (i > 0) await yieldToLoop();
    const e = encode(spans.slice(i, i + sliceSize), maxBytes);
    out.chunks.push(...e.chunks);
    out.oversize.push(...e.oversize);
    out.invalid += e.invalid;
  }
  out.chunks = merge(out.chunks, maxBytes);
  return out;
}

/** Split a chunk's spans into two re-encoded halves (after a 413). */
export function halves(spans: ReadableSpan[], maxBytes: number): Encoded {
  const mid = Math.ceil(spans.length / 2);
  const a = encode(spans.slice(0, mid), maxBytes);
  const b = encode(spans.slice(mid), maxBytes);
  return { chunks: [...a.chunks, ...b.chunks], oversize: [...a.oversize, ...b.oversize], invalid: a.invalid + b.invalid };
}
