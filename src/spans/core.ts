import { type Attributes, INVALID_SPAN_CONTEXT, type Span, SpanStatusCode, trace } from "@opentelemetry/api";
import { writeColumns } from "../attributes/map.js";
import { currentFrame, currentNode, enclosingTrajectory, enterFrame, type NodeIdentity, runInFrame, type SpanNode } from "../context.js";
import { log } from "../log.js";
import { runtime } from "../runtime.js";
import { startBentoSpan } from "./bento-span.js";
import { streamKind, trackStream } from "./stream.js";

export type TimeInput = Date | number;

let anchor = Date.now() - performance.now();

/**
 * Wall-clock epoch milliseconds with sub-millisecond precision. OTel's default start time is
 * `Date.now()`, so siblings made in the same millisecond would tie; this counts with the monotonic
 * clock from a wall-clock anchor. `Date.now()` is floored, so each call's `wall - mono` is a lower
 * bound of the true anchor: keeping the largest converges on it (times never run ahead of the wall
 * clock, so they order consistently with other spans' `Date.now()` starts). A wall clock set back
 * by more than 20 ms re-anchors.
 */
export function preciseNow(): number {
  const mono = performance.now();
  const lower = Date.now() - mono;
  if (lower > anchor || anchor - lower > 20) anchor = lower;
  return anchor + mono;
}

const NO_SPAN = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** Start a Bento span under `parent` (or as a detached root). `attributes` is taken over. */
export function startSpan(name: string, attributes: Attributes, parent: SpanNode | undefined, startTime?: TimeInput): Span {
  const rt = runtime();
  if (!rt.enabled) return NO_SPAN; // tracing off: nothing is built
  return startBentoSpan(rt.spanTarget, name, attributes, parent?.span.spanContext(), preciseNow, startTime);
}

/** Open a Bento span node: the span plus what nesting needs to know about it. */
export function openNode(
  kind: SpanNode["kind"],
  name: string,
  attributes: Attributes,
  identity: NodeIdentity,
  parent: SpanNode | undefined = currentNode(),
): SpanNode {
  const span = startSpan(name, attributes, parent);
  const node: SpanNode = { span, name, kind, parent, ended: false, identity };
  if (kind === "trajectory") {
    const outer = enclosingTrajectory(parent);
    if (outer) (outer.openTrajectories ??= new Set()).add(node);
  }
  return node;
}

/** An inner trajectory of `node` that is still open, if any. */
export function openInner(node: SpanNode): SpanNode | undefined {
  if (!node.openTrajectories) return undefined;
  for (const inner of node.openTrajectories) if (!inner.ended) return inner;
  return undefined;
}

/** Record an exception on a span: status ERROR plus an `exception` event. Never throws. */
export function recordError(span: Span, error: unknown): void {
  try {
    const err = error instanceof Error ? error : new Error(typeof error === "string" ? error : "non-Error value thrown");
    span.recordException(err);
    span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
  } catch {
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
}

/** End a node once; later calls are no-ops. Restores the handle-form frame if it points here. */
export function closeNode(node: SpanNode, attributes?: Attributes): boolean {
  if (node.ended) return false;
  node.ended = true;
  if (node.kind === "trajectory") enclosingTrajectory(node.parent)?.openTrajectories?.delete(node);
  const out: Attributes = { ...attributes };
  writeColumns(out, node.identity, runtime().settings);
  node.span.setAttributes(out);
  node.span.end(preciseNow());
  const frame = currentFrame();
  if (frame?.node === node) enterFrame({ node: currentNode(), scope: frame.scope });
  return true;
}

/** Handle forms: make `node` the current span for the rest of this async flow. */
export function makeCurrent(node: SpanNode): void {
  enterFrame({ node, scope: currentFrame()?.scope });
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === "object" || typeof v === "function") && typeof (v as { then?: unknown }).then === "function";
}

/** What `runInNode` reports when the callback has completed. */
export type Completion = { failed: false; value: unknown } | { failed: true; error: unknown };

/** Options of `runInNode`; the defaults keep plain callback forms returning values unchanged. */
export interface RunOptions {
  /**
   * Wrappers and decorators only: when `fn` returns (or its promise resolves to) a generator, an
   * async generator or an async iterable, return a tracked stand-in and call `done` when the
   * consumer finishes, breaks or the stream throws (see ./stream.ts). `collect` records the
   * yielded items as the completion value.
   */
  streams?: { collect: boolean };
}

/**
 * The one try/finally of the SDK. Runs `fn` with `node` current; when `fn` returns, throws, or
 * its promise settles, calls `done` exactly once. Sync stays sync, async stays async, errors are
 * re-thrown as the same object. With `options.streams`, a returned stream ends when consumed.
 */
export function runInNode<T>(node: SpanNode, fn: () => T, done: (c: Completion) => void, options: RunOptions = {}): T {
  const finish = (c: Completion) => {
    try {
      done(c);
    } catch (err) {
      log.warnOnce("finish_failed", `Could not finish span "${node.name}": ${String(err)}`);
    }
  };
  const frame = { node, scope: currentFrame()?.scope };
  const settle = <V>(value: V): V => {
    const kind = options.streams ? streamKind(value) : undefined;
    if (!kind) {
      finish({ failed: false, value });
      return value;
    }
    try {
      const limits = runtime().settings.limits;
      const hooks = {
        frame,
        collect: options.streams!.collect,
        limits: { maxItems: limits.maxItems, maxChars: limits.maxIoLength },
        done: finish,
      };
      return trackStream(value, kind, hooks);
    } catch (err) {
      log.warnOnce("stream_track_failed", `Could not track the stream returned inside "${node.name}": ${String(err)}`);
      finish({ failed: false, value: undefined });
      return value;
    }
  };
  let result: T;
  try {
    result = runInFrame(frame, fn);
  } catch (error) {
    finish({ failed: true, error });
    throw error;
  }
  if (!isThenable(result)) return settle(result);
  return (result as PromiseLike<unknown>).then(settle, (error: unknown) => {
    finish({ failed: true, error });
    throw error;
  }) as T;
}
