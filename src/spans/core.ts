import { ROOT_CONTEXT, SpanStatusCode, trace, type Attributes, type Span } from "@opentelemetry/api";
import { writeColumns } from "../attributes/map.js";
import { currentFrame, currentNode, enclosingTrajectory, enterFrame, runInFrame, type NodeIdentity, type SpanNode } from "../context.js";
import { runtime } from "../runtime.js";
import { log } from "../log.js";

export type TimeInput = Date | number;

/** Start an OTel span under `parent` (or as a detached root) on Bento's tracer. */
export function startSpan(name: string, attributes: Attributes, parent: SpanNode | undefined, startTime?: TimeInput): Span {
  const ctx = parent ? trace.setSpan(ROOT_CONTEXT, parent.span) : ROOT_CONTEXT;
  return runtime().tracer.startSpan(name, startTime === undefined ? { attributes } : { attributes, startTime }, ctx);
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
  node.span.end();
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

/**
 * The one try/finally of the SDK. Runs `fn` with `node` current; when `fn` returns, throws, or
 * its promise settles, calls `done` exactly once. Sync stays sync, async stays async, errors are
 * re-thrown as the same object.
 */
export function runInNode<T>(node: SpanNode, fn: () => T, done: (c: Completion) => void): T {
  const finish = (c: Completion) => {
    try {
      done(c);
    } catch (err) {
      log.warnOnce("finish_failed", `Could not finish span "${node.name}": ${String(err)}`);
    }
  };
  let result: T;
  try {
    result = runInFrame({ node, scope: currentFrame()?.scope }, fn);
  } catch (error) {
    finish({ failed: true, error });
    throw error;
  }
  if (!isThenable(result)) {
    finish({ failed: false, value: result });
    return result;
  }
  return (result as PromiseLike<unknown>).then(
    (value) => {
      finish({ failed: false, value });
      return value;
    },
    (error: unknown) => {
      finish({ failed: true, error });
      throw error;
    },
  ) as T;
}
