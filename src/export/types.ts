import type { ReadableSpan, SpanProcessor } from "@opentelemetry/sdk-trace-base";

/** Outcome of `flush()` / `shutdown()`: they never reject. */
export interface FlushResult {
  /**
   * True only when every span emitted before the call was delivered: any span dropped (for any
   * reason) since the previous `flush()` / `shutdown()` answer makes it false.
   */
  ok: boolean;
  /** Spans still queued or in flight when the call resolved. */
  pending: number;
}

/** Why a span was not delivered. */
export type DropReason =
  | "queue_full"
  | "retry_exhausted"
  | "rejected"
  | "unauthorized"
  | "too_large"
  | "shutdown_timeout"
  | "after_shutdown"
  | "insecure_http"
  | "invalid_span"
  /** Ended while tracing had no usable configuration (no API key) and no test capture was active. */
  | "not_configured";

/** Export counters. Invariant: emitted = exported + queued + sum(dropped). */
export interface ExportStats {
  /** Spans that reached the pipeline. */
  emitted: number;
  /** Spans the endpoint accepted. */
  exported: number;
  /** Spans queued or in flight right now. */
  queued: number;
  /** Spans not delivered, by reason. */
  dropped: Partial<Record<DropReason, number>>;
  /** Spans of runs left out by `sampleRate` (not a drop). Present when sampling is on; then it joins the invariant's right side. */
  sampled_out?: number;
}

/** Batching, limits and retries of the export pipeline (all optional; defaults shown). */
export interface ExportOptions {
  /**
   * Spans held in memory (queued + in flight) before the oldest are dropped. Default 262144: the
   * byte budget below is the bound that matters.
   */
  maxQueueSize?: number;
  /**
   * Bytes held in memory (spans queued, encoded or in flight, as their OTLP JSON size plus a
   * per-span overhead) before the oldest spans are dropped. Default 128 MiB: about 90k LLM spans
   * of ~1.4 KB, so a burst survives while the endpoint catches up. It is a bound, not a reservation;
   * lower it where memory is tight (a 128 MB serverless function: 16 MiB).
   */
  maxQueueBytes?: number;
  /**
   * Most spans in one export request (bodies are also capped by `maxBatchBytes`). An export starts
   * as soon as 512 spans (or this many, if fewer) are ready, or every `flushIntervalMs`; with a
   * backlog, one request carries up to this many. Default 4096.
   */
  maxExportBatchSize?: number;
  /** Request body bytes before compression; bigger batches are split. Default 4 MiB. */
  maxBatchBytes?: number;
  /** How often queued spans are exported, in ms. Default 1000. */
  flushIntervalMs?: number;
  /** Absolute deadline of one request attempt (connect, headers, whole body), in ms. Default 10000. */
  exportTimeoutMs?: number;
  /** Response body bytes read at most. Default 4 MiB. */
  maxResponseBytes?: number;
  /** Bodies larger than this are gzip-compressed (see `compression`). Default 32 KiB. */
  gzipThresholdBytes?: number;
  /**
   * `"auto"` (default): gzip bodies over `gzipThresholdBytes` except to a loopback endpoint, where
   * compression only costs CPU. `"gzip"`: always (over the threshold). `"none"`: never.
   */
  compression?: "auto" | "gzip" | "none";
  /** Retries per batch on 429/502/503/504 and network errors. Default 5. */
  maxRetries?: number;
  /** First backoff delay in ms (doubles per retry, ±20 % jitter). Default 1000. */
  retryInitialDelayMs?: number;
  /** Largest single backoff delay in ms. Default 30000. */
  retryMaxDelayMs?: number;
  /** Total backoff time per batch in ms; beyond it the batch is dropped. Default 30000. */
  retryBudgetMs?: number;
  /** Cap on an honoured `Retry-After`, in ms. Default 300000. */
  retryAfterMaxMs?: number;
  /** Send the API key over plain http:// to a non-loopback host. Default false. */
  allowInsecureHttp?: boolean;
}

/** A span processor that batches spans to Bento and reports what happened to them. */
export interface ExportPipeline extends SpanProcessor {
  flush(options?: { timeoutMs?: number }): Promise<FlushResult>;
  /** Flush (bounded), then stop: what is left is dropped as `shutdown_timeout`. Idempotent. */
  close(options?: { timeoutMs?: number }): Promise<FlushResult>;
  /** Flush (bounded); on timeout abort what is in flight and drop the rest, but stay usable. */
  drain(options?: { timeoutMs?: number }): Promise<FlushResult>;
  stats(): ExportStats;
}

export interface PipelineConfig extends ExportOptions {
  apiKey: string;
  baseUrl: string;
  /** Privacy stage run by the export worker on each export-safe span (see src/privacy/redact.ts). Must not mutate; undefined = do not send. */
  redact?: (span: ReadableSpan) => ReadableSpan | undefined;
}

/** Defaults of every {@link ExportOptions} field. */
export const EXPORT_DEFAULTS: Required<ExportOptions> = {
  maxQueueSize: 262_144,
  maxQueueBytes: 128 * 1024 * 1024,
  maxExportBatchSize: 4096,
  maxBatchBytes: 4 * 1024 * 1024,
  flushIntervalMs: 1000,
  exportTimeoutMs: 10_000,
  maxResponseBytes: 4 * 1024 * 1024,
  gzipThresholdBytes: 32 * 1024,
  maxRetries: 5,
  retryInitialDelayMs: 1000,
  retryMaxDelayMs: 30_000,
  retryBudgetMs: 30_000,
  retryAfterMaxMs: 300_000,
  allowInsecureHttp: false,
  compression: "auto",
};

/** Options where 0 is meaningful (no retries, no backoff, always gzip). */
const ZERO_OK = new Set<keyof ExportOptions>(["maxRetries", "retryInitialDelayMs", "gzipThresholdBytes"]);

/** Fill unset options with {@link EXPORT_DEFAULTS}, ignoring junk values (negative, NaN, 0 where it makes no sense). */
export function withDefaults(o: ExportOptions): Required<ExportOptions> {
  const out = { ...EXPORT_DEFAULTS };
  for (const k of Object.keys(EXPORT_DEFAULTS) as Array<keyof ExportOptions>) {
    const v = o?.[k];
    if (k === "allowInsecureHttp") out.allowInsecureHttp = v === true;
    else if (k === "compression") out.compression = v === "gzip" || v === "none" ? v : "auto";
    else if (typeof v === "number" && Number.isFinite(v) && (v > 0 || (v === 0 && ZERO_OK.has(k))))
      (out as Record<string, unknown>)[k] = Math.ceil(v);
  }
  return out;
}
