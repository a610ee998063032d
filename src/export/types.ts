import type { SpanProcessor } from "@opentelemetry/sdk-trace-base";

/** Outcome of `flush()` / `shutdown()`: they never reject. */
export interface FlushResult {
  /** True when everything queued before the call was delivered (or definitively failed). */
  ok: boolean;
  /** Spans still queued or in flight when the call resolved. */
  pending: number;
}

/** Export counters. Invariant: emitted = exported + queued + sum(dropped). */
export interface ExportStats {
  emitted: number;
  exported: number;
  queued: number;
  dropped: Record<string, number>;
}

/** Batching and limits of the export pipeline (all optional; defaults in SPEC.md §7). */
export interface ExportOptions {
  /** Spans held in memory before new ones are dropped. Default 2048. */
  maxQueueSize?: number;
  /** Spans per export request. Default 512. */
  maxExportBatchSize?: number;
  /** How often queued spans are exported, in ms. Default 1000. */
  flushIntervalMs?: number;
  /** Per-request timeout in ms. Default 10000. */
  exportTimeoutMs?: number;
}

/** A span processor that batches spans to Bento and reports what happened to them. */
export interface ExportPipeline extends SpanProcessor {
  flush(options?: { timeoutMs?: number }): Promise<FlushResult>;
  close(options?: { timeoutMs?: number }): Promise<FlushResult>;
  stats(): ExportStats;
}

export interface PipelineConfig extends ExportOptions {
  apiKey: string;
  baseUrl: string;
}
