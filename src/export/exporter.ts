import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { isLoopback } from "../config.js";
import { log, maskSecret } from "../log.js";
import { platform } from "../platform/host.js";
import { INSPECT_CUSTOM } from "../platform/inspect.js";
import { VERSION } from "../version.js";
import { type EncodedSpan, encodeSpan, requestBody } from "./otlp-json.js";
import { backoffMs, classify, parseRetryAfter } from "./retry.js";
import { toExportable } from "./sanitize.js";
import { addDrop, emptyOutcome, type Outcome } from "./stats.js";
import type { SendResult, Transport } from "./transport.js";
import { type PipelineConfig, withDefaults } from "./types.js";

/** What the exporter needs from the outside world; tests pass doubles. */
export interface ExporterDeps {
  transport: Transport;
  now: () => number;
  random: () => number;
  /** Resolve after `ms` (or at once when `signal` aborts). Must not keep the process alive. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export function unrefSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const t = setTimeout(done, ms);
    platform.unref(t);
    signal?.addEventListener("abort", done, { once: true });
  });
}

export function defaultDeps(): ExporterDeps {
  return { transport: platform.createTransport(), now: Date.now, random: Math.random, sleep: unrefSleep };
}

export const IO_REMOVED_MARKER = "[removed by bentolabs: span too large to export]";

/** Sends batches with Bento's limits and retry policy. `deliver*` never reject. */
export interface BatchExporter {
  /** Encode and send spans (the `SpanExporter` path). */
  deliver(spans: readonly ReadableSpan[], signal?: AbortSignal): Promise<Outcome>;
  /** Send spans already encoded by {@link prepareSpan} (the pipeline path). */
  deliverEncoded(items: readonly EncodedSpan[], signal?: AbortSignal): Promise<Outcome>;
  /** True when the configuration refuses to send (plain http:// to a remote host). */
  readonly refusing: boolean;
  close(): void;
}

/** A request body and the encoded spans in it. */
interface Chunk {
  items: readonly EncodedSpan[];
  body: Uint8Array;
  /** Its spans already had input/output removed for size. */
  stripped: boolean;
}

/** A span ready to send, or why it cannot be. */
export type Prepared = EncodedSpan | "invalid_span" | "too_large";

/** Room a body needs beyond its spans: the resource, scope and envelope. */
const ENVELOPE_BYTES = 4096;

/**
 * Make a span export-safe and encode it, off the caller's path. A span whose JSON alone is over
 * `maxBatchBytes` is sent with its input/output replaced by a marker, else counted as too large.
 */
export function prepareSpan(span: ReadableSpan, maxBatchBytes: number, redact?: PipelineConfig["redact"]): Prepared {
  const clean = toExportable(span);
  // Redaction (src/privacy) sees the export-safe view and returns a new one: the span itself is
  // shared with the app's other processors and must not change.
  const view = clean && redact ? redact(clean) : clean;
  const enc = view && encodeSpan(view);
  if (!enc) return "invalid_span";
  if (enc.bytes.length <= maxBatchBytes - ENVELOPE_BYTES) return enc;
  const bare = encodeSpan(withoutIo(view!));
  return bare && bare.bytes.length <= maxBatchBytes - ENVELOPE_BYTES ? bare : "too_large";
}

/** Bodies of at most `maxBytes` for `items`, split in halves as needed. */
export function chunksOf(items: readonly EncodedSpan[], maxBytes: number, stripped: boolean): { chunks: Chunk[]; oversize: EncodedSpan[] } {
  const out = { chunks: [] as Chunk[], oversize: [] as EncodedSpan[] };
  const visit = (part: readonly EncodedSpan[]): void => {
    if (part.length === 0) return;
    const body = requestBody(part);
    if (body.byteLength <= maxBytes) out.chunks.push({ items: part, body, stripped });
    else if (part.length === 1) out.oversize.push(part[0]!);
    else {
      const mid = Math.ceil(part.length / 2);
      visit(part.slice(0, mid));
      visit(part.slice(mid));
    }
  };
  visit(items);
  return out;
}

/** The hardened OTLP/HTTP JSON exporter: split, compress, send, retry. */
export function createExporter(config: PipelineConfig, deps: ExporterDeps = defaultDeps()): BatchExporter {
  const o = withDefaults(config);
  const url = new URL(`${config.baseUrl}/v1/traces`);
  const loopback = isLoopback(config.baseUrl);
  const refusing = url.protocol === "http:" && !loopback && !o.allowInsecureHttp;
  if (refusing) {
    log.warnOnce(
      "insecure_http",
      `Not exporting to ${url.origin}: the API key would travel over plain http:// to a non-loopback host. Use https:// or init({ allowInsecureHttp: true }).`,
    );
  }
  // Compression saves bandwidth to a remote endpoint; on loopback it would only cost CPU.
  const compress = o.compression === "gzip" || (o.compression === "auto" && !loopback);
  const masked = maskSecret(config.apiKey);
  const headers = {
    "content-type": "application/json",
    authorization: `Bearer ${config.apiKey}`,
    "user-agent": `bentolabs-sdk-js/${VERSION}`,
  };

  /** Compress once per chunk; every retry re-sends the same bytes. */
  async function prepare(body: Uint8Array): Promise<{ payload: Uint8Array; h: Record<string, string> }> {
    // Without a compressor (an edge runtime lacking CompressionStream) the body goes as it is.
    if (!compress || !platform.gzip || body.byteLength <= o.gzipThresholdBytes) return { payload: body, h: headers };
    return { payload: await platform.gzip(body), h: { ...headers, "content-encoding": "gzip" } };
  }

  function rejectedBy(res: Extract<SendResult, { kind: "response" }>): number {
    // OTLP partial success: the endpoint accepted the request but not every span.
    try {
      const n = Number(
        (JSON.parse(new TextDecoder().decode(res.body)) as { partialSuccess?: { rejectedSpans?: unknown } })?.partialSuccess
          ?.rejectedSpans ?? 0,
      );
      return Number.isFinite(n) && n > 0 ? n : 0;
    } catch {
      return 0;
    }
  }

  async function sendChunk(chunk: Chunk, out: Outcome, signal: AbortSignal | undefined): Promise<void> {
    const n = chunk.items.length;
    const started = deps.now();
    const { payload, h } = await prepare(chunk.body);
    for (let retry = 0; ; retry++) {
      if (signal?.aborted) return addDrop(out, "shutdown_timeout", n);
      const res = await deps.transport.send({
        url,
        headers: h,
        body: payload,
        timeoutMs: o.exportTimeoutMs,
        maxResponseBytes: o.maxResponseBytes,
        signal,
      });
      if (res.kind === "error" && res.reason === "aborted") return addDrop(out, "shutdown_timeout", n);
      const status = res.kind === "response" ? res.status : 0;
      const retryAfter = res.kind === "response" ? parseRetryAfter(res.retryAfter, o.retryAfterMaxMs, deps.now()) : undefined;
      const verdict = classify(status, retryAfter);
      switch (verdict.action) {
        case "success": {
          const rejected = Math.min(n, rejectedBy(res as Extract<SendResult, { kind: "response" }>));
          out.exported += n - rejected;
          return addDrop(out, "rejected", rejected);
        }
        case "split":
          return split(chunk, out, signal);
        case "unauthorized":
          log.warnOnce(
            `unauthorized_${masked}`,
            `Bento rejected the API key ${masked} (HTTP ${status}); spans are being dropped. Check BENTOLABS_API_KEY or init({ apiKey }).`,
          );
          return addDrop(out, "unauthorized", n);
        case "reject":
          log.warnOnce(
            `rejected_${status}`,
            `Bento rejected an export with HTTP ${status}; those spans were dropped (counted in stats().dropped.rejected).`,
          );
          return addDrop(out, "rejected", n);
        case "retry": {
          if (retry >= o.maxRetries) return addDrop(out, "retry_exhausted", n);
          let delay = verdict.retryAfterMs;
          if (delay === undefined) {
            delay = backoffMs(retry, { initialMs: o.retryInitialDelayMs, maxMs: o.retryMaxDelayMs }, deps.random);
            if (deps.now() - started + delay > o.retryBudgetMs) return addDrop(out, "retry_exhausted", n);
          }
          // A Retry-After beyond the budget pauses this (the only) export until then.
          log.debug(`Export attempt failed (${res.kind === "error" ? res.message : `HTTP ${status}`}); retrying in ${delay} ms.`);
          await deps.sleep(delay, signal);
        }
      }
    }
  }

  /** After a 413: halves, and a single span once more without its input/output. */
  async function split(chunk: Chunk, out: Outcome, signal: AbortSignal | undefined): Promise<void> {
    const { items } = chunk;
    if (items.length > 1) {
      const mid = Math.ceil(items.length / 2);
      await sendItems(items.slice(0, mid), out, signal, chunk.stripped);
      return sendItems(items.slice(mid), out, signal, chunk.stripped);
    }
    if (chunk.stripped) return addDrop(out, "too_large", 1);
    const bare = stripIo(items[0]!);
    if (!bare) return addDrop(out, "too_large", 1);
    return sendItems([bare], out, signal, true);
  }

  async function sendItems(items: readonly EncodedSpan[], out: Outcome, signal: AbortSignal | undefined, stripped: boolean): Promise<void> {
    const { chunks, oversize } = chunksOf(items, o.maxBatchBytes, stripped);
    addDrop(out, "too_large", oversize.length);
    for (const c of chunks) await sendChunk(c, out, signal);
  }

  async function guarded(n: number, run: (out: Outcome) => Promise<void>): Promise<Outcome> {
    const out = emptyOutcome();
    try {
      if (refusing) addDrop(out, "insecure_http", n);
      else await run(out);
    } catch (err) {
      // Unreachable by design; never let a bug lose count of spans.
      log.warnOnce("deliver_failed", `Export failed unexpectedly: ${String(err)}`);
      const settled = out.exported + Object.values(out.dropped).reduce((a, b) => a + (b ?? 0), 0);
      addDrop(out, "invalid_span", n - settled);
    }
    return out;
  }

  const exporter: BatchExporter = {
    refusing,
    deliver: (spans, signal) =>
      guarded(spans.length, async (out) => {
        const items: EncodedSpan[] = [];
        for (const s of spans) {
          const p = prepareSpan(s, o.maxBatchBytes, config.redact);
          if (typeof p === "string") addDrop(out, p, 1);
          else items.push(p);
        }
        await sendItems(items, out, signal, false);
      }),
    deliverEncoded: (items, signal) => guarded(items.length, (out) => sendItems(items, out, signal, false)),
    close: () => deps.transport.close(),
  };
  Object.defineProperty(exporter, INSPECT_CUSTOM, { value: () => `BentoExporter { url: '${url.href}', apiKey: '${masked}' }` });
  return exporter;
}

const IO_KEYS = new Set(["input.value", "output.value"]);

/** The same span with `input.value` / `output.value` replaced by a marker. */
function withoutIo(span: ReadableSpan): ReadableSpan {
  const attributes = { ...span.attributes };
  for (const k of IO_KEYS) if (k in attributes) attributes[k] = IO_REMOVED_MARKER;
  return { ...span, attributes, spanContext: span.spanContext } as ReadableSpan;
}

/** {@link withoutIo} for a span that is already encoded (a 413 on a single span). */
function stripIo(item: EncodedSpan): EncodedSpan | undefined {
  try {
    const span = JSON.parse(item.bytes.toString("utf8")) as { attributes?: Array<{ key: string; value: unknown }> };
    for (const kv of span.attributes ?? []) if (IO_KEYS.has(kv.key)) kv.value = { stringValue: IO_REMOVED_MARKER };
    return { bytes: Buffer.from(JSON.stringify(span), "utf8"), group: item.group };
  } catch {
    return undefined;
  }
}
