import type { Context } from "@opentelemetry/api";
import type { ReadableSpan, Span } from "@opentelemetry/sdk-trace-base";
import { log } from "../log.js";
import type { ExportPipeline, FlushResult } from "../export/types.js";
import type { SampledRun } from "./options.js";
import type { ResolvedSampling } from "./resolve.js";

/** Decisions remembered for children that end after their root (detached async work). */
const MAX_DECISIONS = 10_000;
const ERROR = 2; // SpanStatusCode.ERROR
const TWO_52 = 2 ** 52;

/**
 * Whether a trace is in the sample: the rightmost 52 bits of the trace id (random in W3C trace ids)
 * as a fraction of 2^52, compared with `rate`. Deterministic, so every process agrees.
 */
export function inSample(traceId: string, rate: number): boolean {
  if (rate >= 1) return true;
  if (rate <= 0) return false;
  const n = parseInt(traceId.slice(-13), 16);
  return Number.isNaN(n) ? true : n / TWO_52 < rate;
}

function isRoot(span: ReadableSpan): boolean {
  const p = span.parentSpanContext;
  return !p || !p.spanId || p.isRemote === true;
}

/**
 * Whole-trajectory sampling in front of an export pipeline. Runs in the sample go straight
 * through. Spans of the other runs wait in a bounded buffer until their root ends; then `keep`
 * sees the whole run and the run is either sent whole or counted as `sampled_out` (not a drop:
 * `flush().ok` is unaffected). A full buffer sends its oldest runs whole rather than lose or split them.
 */
export function withSampling(inner: ExportPipeline, s: ResolvedSampling): ExportPipeline {
  if (s.sampleRate >= 1) return inner;
  const runs = new Map<string, ReadableSpan[]>();
  const decisions = new Map<string, boolean>();
  let buffered = 0;
  let emitted = 0;
  let sampledOut = 0;

  const remember = (traceId: string, keep: boolean) => {
    if (decisions.size >= MAX_DECISIONS) decisions.delete(decisions.keys().next().value as string);
    decisions.set(traceId, keep);
  };

  const release = (traceId: string, spans: ReadableSpan[], keep: boolean) => {
    runs.delete(traceId);
    buffered -= spans.length;
    remember(traceId, keep);
    if (!keep) sampledOut += spans.length;
    else for (const span of spans) inner.onEnd(span);
  };

  const decide = (root: ReadableSpan, spans: ReadableSpan[]): boolean => {
    const run: SampledRun = { root, spans, hasError: spans.some((x) => x.status?.code === ERROR) };
    try {
      return Boolean(s.keep(run));
    } catch (err) {
      log.warnOnce("keep_threw", `The sampling keep rule threw (${String(err)}); the run was kept.`);
      return true;
    }
  };

  const buffer = (traceId: string, span: ReadableSpan) => {
    if (buffered >= s.maxBufferedSpans) {
      log.warnEvery("sampling_buffer_full", 60_000, `The sampling buffer is full (${s.maxBufferedSpans} spans of open runs); sending the oldest runs whole.`);
      for (const [id, spans] of runs) {
        release(id, spans, true);
        if (buffered < s.maxBufferedSpans) break;
      }
      if (decisions.get(traceId) === true) return inner.onEnd(span);
    }
    let list = runs.get(traceId);
    if (!list) runs.set(traceId, (list = []));
    list.push(span);
    buffered++;
  };

  const releaseOpen = () => {
    for (const [id, spans] of runs) release(id, spans, true);
  };

  const stage: ExportPipeline = {
    onStart(span: Span, ctx: Context) {
      inner.onStart(span, ctx);
    },
    onEnd(span: ReadableSpan) {
      emitted++;
      let traceId: string;
      let root: boolean;
      try {
        traceId = span.spanContext().traceId;
        root = isRoot(span);
      } catch {
        return inner.onEnd(span); // unreadable: the pipeline counts it
      }
      if (inSample(traceId, s.sampleRate)) return inner.onEnd(span);
      const decided = decisions.get(traceId);
      if (decided === true) return inner.onEnd(span);
      if (decided === false) {
        sampledOut++;
        return;
      }
      if (!root) return buffer(traceId, span);
      const spans = runs.get(traceId) ?? [];
      spans.push(span);
      buffered++;
      release(traceId, spans, decide(span, spans));
    },
    forceFlush: () => inner.forceFlush(),
    shutdown: () => stage.close().then(() => undefined),
    flush: (options) => inner.flush(options),
    drain(options): Promise<FlushResult> {
      releaseOpen(); // the process is ending: roots still open will never end
      return inner.drain(options);
    },
    close(options): Promise<FlushResult> {
      releaseOpen();
      return inner.close(options);
    },
    stats() {
      const st = inner.stats();
      return { ...st, emitted, queued: st.queued + buffered, sampled_out: sampledOut };
    },
  };
  return stage;
}
