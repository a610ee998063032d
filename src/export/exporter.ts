import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { isLoopback } from "../config.js";
import { log, maskSecret } from "../log.js";
import { VERSION } from "../version.js";
import { encode, encodeSliced, halves, type Chunk, type Encoded } from "./batcher.js";
import { backoffMs, classify, parseRetryAfter } from "./retry.js";
import { toExportable } from "./sanitize.js";
import { addDrop, emptyOutcome, type Outcome } from "./stats.js";
import { platform } from "../platform/host.js";
import { INSPECT_CUSTOM } from "../platform/inspect.js";
import type { SendResult, Transport } from "./transport.js";
import { withDefaults, type PipelineConfig } from "./types.js";

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

/** Sends batches with Bento's limits and retry policy. `deliver` never rejects. */
export interface BatchExporter {
  deliver(spans: readonly ReadableSpan[], signal?: AbortSignal): Promise<Outcome>;
  /** True when the configuration refuses to send (plain http:// to a remote host). */
  readonly refusing: boolean;
  close(): void;
}

/** The hardened OTLP/HTTP JSON exporter: encode, split, compress, send, retry. */
export function createExporter(config: PipelineConfig, deps: ExporterDeps = defaultDeps()): BatchExporter {
  const o = withDefaults(config);
  const url = new URL(`${config.baseUrl}/v1/traces`);
  const refusing = url.protocol === "http:" && !isLoopback(config.baseUrl) && !o.allowInsecureHttp;
  if (refusing) {
    log.warnOnce(
      "insecure_http",
      `Not exporting to ${url.origin}: the API key would travel over plain http:// to a non-loopback host. Use https:// or init({ allowInsecureHttp: true }).`,
    );
  }
  const masked = maskSecret(config.apiKey);
  const headers = { "content-type": "application/json", authorization: `Bearer ${config.apiKey}`, "user-agent": `bentolabs-sdk-js/${VERSION}` };

  /** Compress once per chunk; every retry re-sends the same bytes. */
  async function prepare(body: Uint8Array): Promise<{ payload: Uint8Array; h: Record<string, string> }> {
    // Without a compressor (an edge runtime lacking CompressionStream) the body goes as it is.
    if (body.byteLength <= o.gzipThresholdBytes || !platform.gzip) return { payload: body, h: headers };
    return { payload: await platform.gzip(body), h: { ...headers, "content-encoding": "gzip" } };
  }

  function rejectedBy(res: Extract<SendResult, { kind: "response" }>): number {
    // OTLP partial success: the endpoint accepted the request but not every span.
    try {
      const n = Number((JSON.parse(new TextDecoder().decode(res.body)) as { partialSuccess?: { rejectedSpans?: unknown } })?.partialSuccess?.rejectedSpans ?? 0);
      return Number.isFinite(n) && n > 0 ? n : 0;
    } catch {
      return 0;
    }
  }

  async function sendChunk(chunk: Chunk, out: Outcome, signal: AbortSignal | undefined, stripped: boolean): Promise<void> {
    const n = chunk.spans.length;
    const started = deps.now();
    const { payload, h } = await prepare(chunk.body);
    for (let retry = 0; ; retry++) {
      if (signal?.aborted) return addDrop(out, "shutdown_timeout", n);
      const res = await deps.transport.send({ url, headers: h, body: payload, timeoutMs: o.exportTimeoutMs, maxResponseBytes: o.maxResponseBytes, signal });
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
          return split(chunk, out, signal, stripped);
        case "unauthorized":
          log.warnOnce(`unauthorized_${masked}`, `Bento rejected the API key ${masked} (HTTP ${status}); spans are being dropped. Check BENTOLABS_API_KEY or init({ apiKey }).`);
          return addDrop(out, "unauthorized", n);
        case "reject":
          log.warnOnce(`rejected_${status}`, `Bento rejected an export with HTTP ${status}; those spans were dropped (counted in stats().dropped.rejected).`);
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

  async function split(chunk: Chunk, out: Outcome, signal: AbortSignal | undefined, stripped: boolean): Promise<void> {
    if (chunk.spans.length > 1) return sendEncoded(halves(chunk.spans, o.maxBatchBytes), out, signal, stripped);
    if (stripped) return addDrop(out, "too_large", 1);
    return sendEncoded(encode([withoutIo(chunk.spans[0]!)], o.maxBatchBytes), out, signal, true);
  }

  async function sendEncoded(enc: Encoded, out: Outcome, signal: AbortSignal | undefined, stripped: boolean): Promise<void> {
    addDrop(out, "invalid_span", enc.invalid);
    const chunks = [...enc.chunks];
    if (enc.oversize.length > 0) {
      if (stripped) addDrop(out, "too_large", enc.oversize.length);
      else {
        const retried = encode(enc.oversize.map(withoutIo), o.maxBatchBytes);
        addDrop(out, "too_large", retried.oversize.length);
        addDrop(out, "invalid_span", retried.invalid);
        for (const c of retried.chunks) await sendChunk(c, out, signal, true);
      }
    }
    for (const c of chunks) await sendChunk(c, out, signal, stripped);
  }

  const exporter: BatchExporter = {
    refusing,
    async deliver(spans, signal) {
      const out = emptyOutcome();
      try {
        if (refusing) {
          addDrop(out, "insecure_http", spans.length);
          return out;
        }
        const views: ReadableSpan[] = [];
        for (const s of spans) {
          const v = toExportable(s);
          if (v) views.push(v);
        }
        addDrop(out, "invalid_span", spans.length - views.length);
        await sendEncoded(await encodeSliced(views, o.maxBatchBytes), out, signal, false);
      } catch (err) {
        // Unreachable by design; never let a bug lose count of spans.
        log.warnOnce("deliver_failed", `Export failed unexpectedly: ${String(err)}`);
        const settled = out.exported + Object.values(out.dropped).reduce((a, b) => a + (b ?? 0), 0);
        addDrop(out, "invalid_span", spans.length - settled);
      }
      return out;
    },
    close: () => deps.transport.close(),
  };
  Object.defineProperty(exporter, INSPECT_CUSTOM, { value: () => `BentoExporter { url: '${url.href}', apiKey: '${masked}' }` });
  return exporter;
}

/** The same span with `input.value` / `output.value` replaced by a marker. */
function withoutIo(span: ReadableSpan): ReadableSpan {
  const attributes = { ...span.attributes };
  for (const k of ["input.value", "output.value"]) if (k in attributes) attributes[k] = IO_REMOVED_MARKER;
  return { ...span, attributes, spanContext: span.spanContext } as ReadableSpan;
}
