import type { Context } from "@opentelemetry/api";
import type { ExportResult } from "@opentelemetry/core";
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { DEFAULT_MAP_SETTINGS } from "../attributes/map.js";
import { assertSecureBaseUrl, type ConnectionOptions, resolveOptions } from "../config.js";
import { registerSecret } from "../log.js";
import { withBentoColumns } from "../otel/columns.js";
import { INSPECT_CUSTOM, inspector } from "../platform/inspect.js";
import type { PrivacyOptions, SamplingOptions } from "../privacy/options.js";
import { createRedactor } from "../privacy/redact.js";
import { resolvePrivacy, resolveSampling } from "../privacy/resolve.js";
import { withSampling } from "../privacy/sampling.js";
import { captureIdentity, type IdentitySnapshot } from "../spans/ambient.js";
import { createExportPipeline } from "./pipeline.js";
import { type CountingSpanExporter, createSpanExporter } from "./span-exporter.js";
import type { ExportOptions, ExportPipeline, ExportStats, FlushResult } from "./types.js";

/** Sampling applies to `BentoLabsSpanProcessor` only (an exporter sees batches, not whole runs). */
export interface BentoProcessorOptions extends ConnectionOptions, ExportOptions, PrivacyOptions, SamplingOptions {}

/** Resolve and check the connection exactly like an explicit `init()`: it throws on bad configuration. */
function resolveConnection(options: BentoProcessorOptions) {
  const resolved = resolveOptions(options);
  assertSecureBaseUrl(resolved.baseUrl, options.allowInsecureHttp);
  registerSecret(resolved.apiKey);
  return resolved;
}

/**
 * A batching span processor that sends any span of your own `TracerProvider` to Bento, with the
 * same endpoint, auth, limits and retries as the SDK's own pipeline. Construction resolves the key
 * like `init()` and may throw `BentoAuthError` / `BentoConfigError`. Each span gets Bento's
 * identity (init getters, `propagateAttributes`, `updateCurrentTrace`, read when it starts) and
 * the columns other conventions carry (OpenInference, GenAI, Vercel AI SDK), on Bento's copy
 * only. After `shutdown()`, spans are dropped and counted as `after_shutdown`.
 *
 * @example
 * const provider = new NodeTracerProvider({ spanProcessors: [new BentoLabsSpanProcessor()] });
 */
export class BentoLabsSpanProcessor implements SpanProcessor {
  readonly #pipeline: ExportPipeline;
  /** Identity captured at start, in the span's async context; read once when it ends. */
  readonly #identity = new WeakMap<object, IdentitySnapshot>();

  constructor(options: BentoProcessorOptions = {}) {
    const resolved = resolveConnection(options);
    const redact = createRedactor(resolvePrivacy(options));
    this.#pipeline = withSampling(createExportPipeline({ ...options, ...resolved, redact }), resolveSampling(options));
  }

  onStart(span: Span, parentContext: Context): void {
    try {
      const snapshot = captureIdentity();
      if (snapshot) this.#identity.set(span, snapshot);
    } catch {
      // identity is best-effort; the span is exported either way
    }
    this.#pipeline.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    const snapshot = this.#identity.get(span);
    if (snapshot) this.#identity.delete(span);
    // Bento's columns on Bento's copy only: the app's span and its other exporters are untouched.
    this.#pipeline.onEnd(withBentoColumns(span, snapshot, DEFAULT_MAP_SETTINGS));
  }

  forceFlush(): Promise<void> {
    return this.#pipeline.flush().then(() => undefined);
  }

  shutdown(): Promise<void> {
    return this.#pipeline.close().then(() => undefined);
  }

  /** Export everything queued; resolves with `{ ok, pending }` and never rejects. */
  flush(options?: { timeoutMs?: number }): Promise<FlushResult> {
    return this.#pipeline.flush(options);
  }

  /** Counters: emitted, exported, queued, dropped by reason. */
  stats(): ExportStats {
    return this.#pipeline.stats();
  }

  [INSPECT_CUSTOM](depth: unknown, options: unknown, inspect?: (v: unknown) => string): string {
    return inspector("BentoLabsSpanProcessor", () => this.#pipeline.stats())(depth, options, inspect);
  }
}

/**
 * A span exporter that sends spans to Bento (OTLP/HTTP JSON, bearer auth) with the SDK's limits,
 * retries and sanitizing, adding the columns other conventions carry. An exporter runs after the
 * span ended, outside the async context it started in, so identity getters and scopes need
 * {@link BentoLabsSpanProcessor}. Prefer that processor, which also adds Bento's bounded queue.
 *
 * @example
 * const processor = new SimpleSpanProcessor(new BentoLabsTraceExporter({ apiKey, baseUrl }));
 */
export class BentoLabsTraceExporter implements SpanExporter {
  readonly #inner: CountingSpanExporter;

  constructor(options: BentoProcessorOptions = {}) {
    this.#inner = createSpanExporter({ ...options, ...resolveConnection(options), redact: createRedactor(resolvePrivacy(options)) });
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.#inner.export(
      Array.isArray(spans) ? spans.map((s) => withBentoColumns(s, undefined, DEFAULT_MAP_SETTINGS)) : spans,
      resultCallback,
    );
  }

  shutdown(): Promise<void> {
    return this.#inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.#inner.forceFlush?.() ?? Promise.resolve();
  }

  /** Counters: emitted, exported, queued, dropped by reason. */
  stats(): ExportStats {
    return this.#inner.stats();
  }

  [INSPECT_CUSTOM](depth: unknown, options: unknown, inspect?: (v: unknown) => string): string {
    return inspector("BentoLabsTraceExporter", () => this.#inner.stats())(depth, options, inspect);
  }
}

/** The earlier name of {@link BentoLabsSpanProcessor}: the same class. */
export const BentoSpanProcessor = BentoLabsSpanProcessor;
export type BentoSpanProcessor = BentoLabsSpanProcessor;
/** The earlier name of {@link BentoLabsTraceExporter}: the same class. */
export const BentoTraceExporter = BentoLabsTraceExporter;
export type BentoTraceExporter = BentoLabsTraceExporter;
