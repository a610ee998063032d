import { type ExportResult, ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import { platform } from "../platform/host.js";
import { INSPECT_CUSTOM, inspector } from "../platform/inspect.js";
import { createExporter, defaultDeps, type ExporterDeps } from "./exporter.js";
import { Counters } from "./stats.js";
import type { ExportStats, PipelineConfig } from "./types.js";

/** A standard OpenTelemetry `SpanExporter` on the hardened path, with counters. */
export interface CountingSpanExporter extends SpanExporter {
  stats(): ExportStats;
}

/**
 * OTLP/HTTP JSON to `${baseUrl}/v1/traces` with bearer auth, Bento's limits and retries. Calls
 * are queued so that at most one request is in flight even under a processor that does not wait.
 */
export function createSpanExporter(config: PipelineConfig, deps: ExporterDeps = defaultDeps()): CountingSpanExporter {
  const exporter = createExporter(config, deps);
  const counters = new Counters();
  let chain: Promise<unknown> = Promise.resolve();
  let queued = 0;
  let stopped = false;
  const abort = new AbortController();

  const result: CountingSpanExporter = {
    export(spans: ReadableSpan[], done: (r: ExportResult) => void): void {
      const batch = Array.isArray(spans) ? spans : [];
      counters.emitted += batch.length;
      if (stopped) {
        counters.drop("after_shutdown", batch.length);
        return done({ code: ExportResultCode.FAILED, error: new Error("Bento exporter is shut down") });
      }
      queued += batch.length;
      chain = chain.then(async () => {
        const outcome = await exporter.deliver(batch, abort.signal);
        counters.apply(outcome);
        queued -= batch.length;
        const ok = outcome.exported === batch.length;
        try {
          done(
            ok
              ? { code: ExportResultCode.SUCCESS }
              : { code: ExportResultCode.FAILED, error: new Error(`Bento export dropped ${batch.length - outcome.exported} spans`) },
          );
        } catch {
          // the caller's callback must not break the chain
        }
      });
    },
    async shutdown(): Promise<void> {
      if (stopped) return;
      stopped = true;
      const t = setTimeout(() => abort.abort(), 5000);
      platform.unref(t);
      await chain;
      clearTimeout(t);
      exporter.close();
    },
    async forceFlush(): Promise<void> {
      await chain;
    },
    stats: () => counters.snapshot(queued),
  };
  Object.defineProperty(result, INSPECT_CUSTOM, { value: inspector("BentoLabsTraceExporter", () => counters.snapshot(queued)) });
  return result;
}
