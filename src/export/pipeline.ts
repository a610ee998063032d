import type { Context } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { BatchSpanProcessor, type ReadableSpan, type Span, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import { log } from "../log.js";
import type { ExportPipeline, ExportStats, FlushResult, PipelineConfig } from "./types.js";

const DEFAULTS = { maxQueueSize: 2048, maxExportBatchSize: 512, flushIntervalMs: 1000, exportTimeoutMs: 10_000 };

/** Counts what the exporter delivered so the pipeline can report stats. */
class CountingExporter implements SpanExporter {
  exported = 0;
  failed = 0;
  constructor(private readonly inner: SpanExporter) {}
  export(spans: ReadableSpan[], done: (r: ExportResult) => void): void {
    this.inner.export(spans, (result) => {
      if (result.code === ExportResultCode.SUCCESS) this.exported += spans.length;
      else {
        this.failed += spans.length;
        log.warnEvery("export_failed", 60_000, `Export to Bento failed (${result.error?.message ?? "unknown error"}); ${this.failed} spans lost so far.`);
      }
      done(result);
    });
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}

function withTimeout(p: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    timer.unref();
    p.then(
      () => { clearTimeout(timer); resolve(true); },
      () => { clearTimeout(timer); resolve(false); },
    );
  });
}

/** OTLP/HTTP JSON to `${baseUrl}/v1/traces` with bearer auth, one request per call. */
export function createSpanExporter(config: PipelineConfig): SpanExporter {
  return new OTLPTraceExporter({
    url: `${config.baseUrl}/v1/traces`,
    headers: { Authorization: `Bearer ${config.apiKey}` },
    timeoutMillis: config.exportTimeoutMs ?? DEFAULTS.exportTimeoutMs,
  });
}

/**
 * The export path: spans batched and sent through {@link createSpanExporter}.
 */
export function createExportPipeline(config: PipelineConfig): ExportPipeline {
  const o = { ...DEFAULTS, ...config };
  const exporter = new CountingExporter(createSpanExporter(config));
  const batch = new BatchSpanProcessor(exporter, {
    maxQueueSize: o.maxQueueSize,
    maxExportBatchSize: o.maxExportBatchSize,
    scheduledDelayMillis: o.flushIntervalMs,
    exportTimeoutMillis: o.exportTimeoutMs,
  });
  let emitted = 0;
  let droppedFull = 0;

  const stats = (): ExportStats => {
    const queuedNow = (batch as unknown as { _finishedSpans?: unknown[] })._finishedSpans?.length ?? 0;
    const queued = Math.max(0, emitted - exporter.exported - exporter.failed - droppedFull);
    return { emitted, exported: exporter.exported, queued: Math.max(queued, queuedNow), dropped: { queue_full: droppedFull, rejected: exporter.failed } };
  };

  const flush = async ({ timeoutMs = 5000 } = {}): Promise<FlushResult> => {
    const ok = await withTimeout(batch.forceFlush(), timeoutMs);
    return { ok: ok && stats().queued === 0, pending: stats().queued };
  };

  return {
    onStart(span: Span, ctx: Context) {
      batch.onStart(span, ctx);
    },
    onEnd(span: ReadableSpan) {
      emitted++;
      const before = (batch as unknown as { _droppedSpansCount?: number })._droppedSpansCount ?? 0;
      batch.onEnd(span);
      const after = (batch as unknown as { _droppedSpansCount?: number })._droppedSpansCount ?? 0;
      if (after > before) {
        droppedFull += after - before;
        log.warnEvery("queue_full", 60_000, `Bento export queue is full: ${droppedFull} spans dropped so far.`);
      }
    },
    forceFlush: () => flush().then(() => undefined),
    shutdown: () => withTimeout(batch.shutdown(), 5000).then(() => undefined),
    flush,
    async close({ timeoutMs = 5000 } = {}) {
      const result = await flush({ timeoutMs });
      await withTimeout(batch.shutdown(), Math.max(1, timeoutMs));
      return result;
    },
    stats,
  };
}
