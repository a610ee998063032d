import type { Span } from "@opentelemetry/api";
import { platform } from "./platform/host.js";

/** Identity overrides scoped by `propagateAttributes` (null = cleared inside the scope). */
export interface IdentityScope {
  userId?: string | null;
  sessionId?: string | null;
  tags?: readonly string[] | null;
}

/** A span's identity columns plus which of them were explicit options (those win over updates). */
export interface NodeIdentity {
  userId?: string | undefined;
  convoId?: string | undefined;
  tags?: readonly string[] | undefined;
  explicitUserId: boolean;
  explicitConvoId: boolean;
}

/** Identity set by `updateCurrentTrace` on a root (null = cleared), for instrumentation spans in its trace. */
export interface TraceIdentity {
  userId?: string | null;
  convoId?: string | null;
  tags?: readonly string[] | null;
}

/** An open Bento span (trajectory or tool) as the nesting logic sees it. */
export interface SpanNode {
  readonly span: Span;
  readonly name: string;
  readonly kind: "trajectory" | "tool";
  readonly parent: SpanNode | undefined;
  ended: boolean;
  /** Identity written when the span ends (so `updateCurrentTrace` can still change or clear it). */
  identity: NodeIdentity;
  /** What `updateCurrentTrace` set on this root, if anything (SPEC.md §5a). */
  traceUpdate?: TraceIdentity;
  /** Open child trajectories, for the "out of order" rule. Created on first use. */
  openTrajectories?: Set<SpanNode>;
}

/** What the AsyncLocalStorage carries: the innermost Bento span and the identity scope. */
export interface Frame {
  readonly node: SpanNode | undefined;
  readonly scope: IdentityScope | undefined;
}

const storage = platform.createStorage<Frame>();

export function currentFrame(): Frame | undefined {
  return storage.getStore();
}

/** Innermost Bento span that is still open in this async flow. */
export function currentNode(): SpanNode | undefined {
  let node = storage.getStore()?.node;
  while (node?.ended) node = node.parent;
  return node;
}

/** Nearest enclosing trajectory of `node` (itself included). */
export function enclosingTrajectory(node: SpanNode | undefined): SpanNode | undefined {
  while (node && (node.ended || node.kind !== "trajectory")) node = node.parent;
  return node;
}

/** Outermost open span of the trace `node` belongs to. */
export function rootOf(node: SpanNode): SpanNode {
  let n = node;
  while (n.parent && !n.parent.ended) n = n.parent;
  return n;
}

/** Run `fn` with `frame` as the current frame (callback forms). */
export function runInFrame<T>(frame: Frame, fn: () => T): T {
  return storage.run(frame, fn);
}

/** Make `frame` current for the rest of this async flow (handle forms). */
export function enterFrame(frame: Frame): void {
  storage.enterWith(frame);
}
