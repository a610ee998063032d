import type { Context } from "@opentelemetry/api";
import type { ExportResult } from "@opentelemetry/core";
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { DEFAULT_MAP_SETTINGS } from "../attributes/map.js";
import { type ConnectionOptions, resolveOptions } from "../config.js";
import { registerSecret } from "../log.js";
import { withAiSdkColumns } from "../otel/ai-sdk.js";
import { INSPECT_CUSTOM, inspector } from "../platform/inspect.js";
import type { PrivacyOptions, SamplingOptions } from "../privacy/options.js";
import { createRedactor } from "../privacy/redact.js";
import { resolvePrivacy, resolveSampling } from "../privacy/resolve.js";
import { withSampling } from "../privacy/sampling.js";
import { createExportPipeline } from "./pipeline.js";
import { type CountingSpanExporter, createSpanExporter } from "./span-exporter.js";
import type { ExportOptions, ExportPipeline, ExportStats, FlushResult } from "./types.js";

/** Sampling applies to `BentoSpanProcessor` only (an exporter sees batches, not whole runs). */
export interface BentoProcessorOptions extends ConnectionOptions, ExportOptions, PrivacyOptions, SamplingOptions {}

/**
 * A batching span processor that sends any span of your own `TracerProvider` to Bento, with the
 * same endpoint, auth, limits and retries as the SDK's own pipeline. Construction resolves the key
 * like `init()` and may throw `BentoAuthError`. After `shutdown()`, spans are dropped and counted
 * as `after_shutdown`.
 *
 * @example
 * const provider = new NodeTracerProvider({ spanProcessors: [new BentoSpanProcessor()] });
 */
export class BentoSpanProcessor implements SpanProcessor {
  readonly #pipeline: ExportPipeline;

  constructor(options: BentoProcessorOptions = {}) {
    const resolved = resolveOptions(options);
    registerSecret(resolved.apiKey);
    const redact = createRedactor(resolvePrivacy(options));
    this.#pipeline = withSampling(createExportPipeline({ ...options, ...resolved, redact }), resolveSampling(options));
  }

  onStart(span: Span, parentContext: Context): void {
    this.#pipeline.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    // Vercel AI SDK spans get Bento's columns on their way to Bento only (see otel/ai-sdk.ts).
    this.#pipeline.onEnd(withAiSdkColumns(span, DEFAULT_MAP_SETTINGS));
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
    return inspector("BentoSpanProcessor", () => this.#pipeline.stats())(depth, options, inspect);
  }
}

/**
 * A span exporter that sends spans to Bento (OTLP/HTTP JSON, bearer auth) with the SDK's limits,
 * retries and sanitizing. Use it with your own batch processor; prefer {@link BentoSpanProcessor},
 * which adds Bento's bounded queue.
 *
 * @example
 * provider.addSpanProcessor(new BatchSpanProcessor(new BentoTraceExporter({ apiKey })));
 */
export class BentoTraceExporter implements SpanExporter {
  readonly #inner: CountingSpanExporter;

  constructor(options: BentoProcessorOptions = {}) {
    const resolved = resolveOptions(options);
    registerSecret(resolved.apiKey);
    this.#inner = createSpanExporter({ ...options, ...resolved, redact: createRedactor(resolvePrivacy(options)) });
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.#inner.export(Array.isArray(spans) ? spans.map((s) => withAiSdkColumns(s, DEFAULT_MAP_SETTINGS)) : spans, resultCallback);
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
    return inspector("BentoTraceExporter", () => this.#inner.stats())(depth, options, inspect);
  }
}
