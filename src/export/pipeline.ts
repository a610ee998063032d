import type { Context } from "@opentelemetry/api";
import type { ReadableSpan, Span } from "@opentelemetry/sdk-trace-base";
import { platform } from "../platform/host.js";
import { INSPECT_CUSTOM, inspector } from "../platform/inspect.js";
import { type BatchExporter, createExporter, defaultDeps, type ExporterDeps, prepareSpan } from "./exporter.js";
import type { EncodedSpan } from "./otlp-json.js";
import { Fifo } from "./queue.js";
import { estimateBytes } from "./sanitize.js";
import { Counters } from "./stats.js";
import { type ExportPipeline, type FlushResult, type PipelineConfig, withDefaults } from "./types.js";

export { createSpanExporter } from "./span-exporter.js";

const DEFAULT_TIMEOUT_MS = 5000;
/** An encoding slice runs at least this long when there is work, and grows with the backlog. */
const SLICE_MIN_MS = 1;
const SLICE_MAX_MS = 12;
/** Spans the slice doubles per ms of budget beyond the minimum. */
const BACKLOG_PER_MS = 1024;
const CLOCK_EVERY = 16;
/** Ready spans that start an export before the interval (SPEC §7). */
const EXPORT_AT = 512;
/** Memory a held span costs beyond its JSON text (queue slot, wrapper object, string header). */
const PER_SPAN_BYTES = 96;

interface Waiting {
  span: ReadableSpan;
  bytes: number;
}
interface Ready {
  item: EncodedSpan;
  bytes: number;
}

/**
 * The export path (see docs/reliability.md). On the caller's path a span is only sized and queued.
 * Once per event-loop turn a slice encodes what is waiting, for a time budget that grows with the
 * backlog, so encoding keeps pace with any rate the app can produce while the loop stays smooth at
 * steady rates; it keeps encoding while a request is in flight (one at a time). Memory is bounded
 * by a byte budget over everything held; a real overflow drops the oldest spans, counted.
 */
export function createExportPipeline(config: PipelineConfig, deps: ExporterDeps = defaultDeps()): ExportPipeline {
  const o = withDefaults(config);
  const exporter: BatchExporter = createExporter(config, deps);
  const counters = new Counters();
  const waiting = new Fifo<Waiting>(); // ended, not yet encoded
  const ready = new Fifo<Ready>(); // encoded, not yet sent
  let heldCount = 0; // waiting + ready + in flight
  let heldBytes = 0;
  let accepted = 0; // spans ever queued
  let settled = 0; // queued spans since delivered or dropped
  let flushTarget = 0; // send without waiting for the timer until `settled` reaches this
  let reported = 0; // drops already reported by a flush answer
  let inFlight: Promise<void> | undefined;
  let abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let due = false;
  let encoding = false;
  let closed: Promise<FlushResult> | undefined;
  const waiters = new Set<() => void>();

  const dropTotal = () => Object.values(counters.dropped).reduce((a, b) => a + (b ?? 0), 0);

  const settle = (n: number, bytes: number) => {
    settled += n;
    heldCount -= n;
    heldBytes -= bytes;
    for (const w of waiters) w();
  };

  /** Overflow: the oldest span not yet in flight goes (as in Bento's Python SDK). */
  const evictOldest = (): boolean => {
    const old = waiting.shift() ?? ready.shift();
    if (!old) return false;
    counters.drop("queue_full");
    settle(1, old.bytes);
    return true;
  };

  const arm = () => {
    if (timer || inFlight || heldCount === 0) return;
    timer = setTimeout(() => {
      timer = undefined;
      due = true;
      pump();
    }, o.flushIntervalMs);
    platform.unref(timer);
  };

  const scheduleEncode = () => {
    if (encoding) return;
    encoding = true;
    platform.defer(encodeSlice);
  };

  const encodeSlice = () => {
    encoding = false;
    const t0 = performance.now();
    const budget = Math.min(SLICE_MAX_MS, SLICE_MIN_MS + waiting.length / BACKLOG_PER_MS);
    for (let n = 1; waiting.length > 0; n++) {
      const w = waiting.shift()!;
      const p = prepareSpan(w.span, o.maxBatchBytes, config.redact);
      if (typeof p === "string") {
        counters.drop(p);
        settle(1, w.bytes);
      } else {
        const bytes = p.bytes.length + PER_SPAN_BYTES;
        ready.push({ item: p, bytes });
        heldBytes += bytes - w.bytes;
      }
      if (n % CLOCK_EVERY === 0 && performance.now() - t0 >= budget) break;
    }
    if (waiting.length > 0) scheduleEncode();
    pump();
  };

  const pump = () => {
    if (inFlight || ready.length === 0) return arm();
    if (!due && settled >= flushTarget && ready.length < Math.min(EXPORT_AT, o.maxExportBatchSize)) return arm();
    due = false;
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    // Everything ready, up to the caps: with a backlog, requests grow, so one request at a time
    // does not tie the throughput to the endpoint's round-trip latency.
    const items: EncodedSpan[] = [];
    let bytes = 0;
    while (items.length < o.maxExportBatchSize && ready.length > 0) {
      const next = ready.peek()!;
      if (items.length > 0 && bytes + next.bytes > o.maxBatchBytes) break;
      ready.shift();
      items.push(next.item);
      bytes += next.bytes;
    }
    inFlight = exporter.deliverEncoded(items, abort.signal).then((outcome) => {
      counters.apply(outcome);
      inFlight = undefined;
      settle(items.length, bytes);
      pump();
    });
  };

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
    const since = reported;
    flushTarget = Math.max(flushTarget, target);
    if (waiting.length > 0) scheduleEncode();
    pump();
    const delivered = await waitSettled(target, timeoutMs);
    const drops = dropTotal();
    reported = Math.max(reported, drops);
    return { ok: delivered && drops === since, pending: heldCount };
  };

  const drain = async (options: { timeoutMs?: number } = {}): Promise<FlushResult> => {
    const result = await flush(options);
    if (heldCount === 0) return result;
    // Out of time: abort what is in flight (its spans count as shutdown_timeout) and drop the rest.
    if (timer) clearTimeout(timer);
    timer = undefined;
    for (const q of [waiting, ready] as Array<Fifo<{ bytes: number }>>) {
      const rest = q.drain();
      counters.drop("shutdown_timeout", rest.length);
      settle(
        rest.length,
        rest.reduce((a, r) => a + r.bytes, 0),
      );
    }
    abort.abort();
    abort = new AbortController();
    await inFlight;
    reported = Math.max(reported, dropTotal());
    return result;
  };

  const pipeline: ExportPipeline = {
    onStart(_span: Span, _ctx: Context) {},
    onEnd(span: ReadableSpan) {
      counters.emitted++;
      if (closed) return counters.drop("after_shutdown");
      if (exporter.refusing) return counters.drop("insecure_http");
      const bytes = estimateBytes(span) + PER_SPAN_BYTES;
      while (heldCount >= o.maxQueueSize || (heldCount > 0 && heldBytes + bytes > o.maxQueueBytes)) {
        if (!evictOldest()) return counters.drop("queue_full"); // all that is held is in flight
      }
      waiting.push({ span, bytes });
      heldCount++;
      heldBytes += bytes;
      accepted++;
      scheduleEncode();
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
    stats: () => counters.snapshot(heldCount),
  };
  Object.defineProperty(pipeline, INSPECT_CUSTOM, { value: inspector("BentoExportPipeline", () => counters.snapshot(heldCount)) });
  return pipeline;
}
