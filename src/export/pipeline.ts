import type { Context } from "@opentelemetry/api";
import type { ReadableSpan, Span } from "@opentelemetry/sdk-trace-base";
import { createExporter, defaultDeps, type BatchExporter, type ExporterDeps } from "./exporter.js";
import { SpanQueue } from "./queue.js";
import { platform } from "../platform/host.js";
import { INSPECT_CUSTOM, inspector } from "../platform/inspect.js";
import { estimateBytes } from "./sanitize.js";
import { Counters } from "./stats.js";
import { withDefaults, type ExportPipeline, type FlushResult, type PipelineConfig } from "./types.js";

export { createSpanExporter } from "./span-exporter.js";

const DEFAULT_TIMEOUT_MS = 5000;

/**
 * The export path: a bounded queue, exactly one batch in flight, a 1 s unref'd flush timer, and
 * the hardened exporter. Spans are only counted and queued on the caller's path.
 */
export function createExportPipeline(config: PipelineConfig, deps: ExporterDeps = defaultDeps()): ExportPipeline {
  const o = withDefaults(config);
  const exporter: BatchExporter = createExporter(config, deps);
  const queue = new SpanQueue(o.maxQueueSize, o.maxQueueBytes);
  const counters = new Counters();
  let accepted = 0; // spans ever queued
  let settled = 0; // queued spans since exported or dropped
  let flushTarget = 0; // export without waiting for the timer until `settled` reaches this
  let inFlight: Promise<void> | undefined;
  let abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let soon = false;
  let closed: Promise<FlushResult> | undefined;
  const waiters = new Set<() => void>();

  const arm = () => {
    if (timer || inFlight || queue.waiting === 0) return;
    timer = setTimeout(() => {
      timer = undefined;
      pump();
    }, o.flushIntervalMs);
    platform.unref(timer);
  };

  const pump = () => {
    if (inFlight || queue.waiting === 0) return arm();
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    const batch = queue.take(o.maxExportBatchSize, o.maxBatchBytes);
    const signal = abort.signal;
    inFlight = exporter.deliver(batch, signal).then((outcome) => {
      counters.apply(outcome);
      queue.release();
      settled += batch.length;
      inFlight = undefined;
      for (const w of waiters) w();
      // Keep going at once while a full batch is waiting or a flush asked for it.
      if (queue.waiting >= o.maxExportBatchSize || (settled < flushTarget && !signal.aborted)) pump();
      else arm();
    });
  };

  // Full batches are sent from a macrotask so encoding never runs on the caller's path.
  const pumpSoon = () => {
    if (soon || inFlight) return;
    soon = true;
    platform.defer(() => {
      soon = false;
      pump();
    });
  };

  const pending = () => queue.held;

  const waitSettled = (target: number, timeoutMs: number): Promise<boolean> =>
    new Promise((resolve) => {
      if (settled >= target) return resolve(true);
      // Deliberately ref'd: an awaited flush keeps a script alive until it resolves (bounded).
      const t = setTimeout(() => done(false), timeoutMs);
      const check = () => settled >= target && done(true);
      const done = (ok: boolean) => {
        clearTimeout(t);
        waiters.delete(check);
        resolve(ok);
      };
      waiters.add(check);
    });

  const flush = async ({ timeoutMs = DEFAULT_TIMEOUT_MS } = {}): Promise<FlushResult> => {
    const target = accepted;
    flushTarget = Math.max(flushTarget, target);
    pump();
    const ok = await waitSettled(target, timeoutMs);
    return { ok, pending: pending() };
  };

  const drain = async (options: { timeoutMs?: number } = {}): Promise<FlushResult> => {
    const result = await flush(options);
    if (result.ok) return result;
    // Out of time: abort what is in flight (its spans count as shutdown_timeout) and drop the rest.
    if (timer) clearTimeout(timer);
    timer = undefined;
    counters.drop("shutdown_timeout", queue.clear());
    settled = accepted - queue.held;
    abort.abort();
    abort = new AbortController();
    await inFlight;
    return result;
  };

  const pipeline: ExportPipeline = {
    onStart(_span: Span, _ctx: Context) {},
    onEnd(span: ReadableSpan) {
      counters.emitted++;
      if (closed) return counters.drop("after_shutdown");
      if (exporter.refusing) return counters.drop("insecure_http");
      if (!queue.push(span, estimateBytes(span))) return counters.drop("queue_full");
      accepted++;
      if (queue.waiting >= o.maxExportBatchSize) pumpSoon();
      else arm();
    },
    forceFlush: () => flush().then(() => undefined),
    shutdown: () => pipeline.close().then(() => undefined),
    flush,
    drain,
    close(options = {}) {
      closed ??= drain(options).then((r) => {
        exporter.close();
        return r;
      });
      return closed;
    },
    stats: () => counters.snapshot(pending()),
  };
  Object.defineProperty(pipeline, INSPECT_CUSTOM, { value: inspector("BentoExportPipeline", () => counters.snapshot(pending())) });
  return pipeline;
}
