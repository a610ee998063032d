import type { Context } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { spanSinks } from "../sinks.js";
import { findOne } from "./find.js";
import { type CapturedSpan, toRecord } from "./record.js";
import { childrenOf, renderTree, rootsOf, type TreeOptions } from "./tree.js";

/** Spans captured in memory by {@link capture}. */
export interface Capture {
  /** Every span that ended since `capture()` (or `clear()`), in end order. */
  readonly spans: readonly CapturedSpan[];
  /** All spans with this name. */
  byName(name: string): CapturedSpan[];
  /** The one span with this name; throws (listing what was captured) when there are 0 or several. */
  span(name: string): CapturedSpan;
  /** Direct children of a span (or of the one span with that name). */
  children(parent: CapturedSpan | string): CapturedSpan[];
  /** Spans whose parent was not captured: trajectories and standalone spans. */
  roots(): CapturedSpan[];
  /** Indented text rendering of the span tree, for snapshot-style asserts. */
  tree(options?: TreeOptions): string;
  /** Forget what was captured so far. */
  clear(): void;
  /** Stop capturing. Idempotent. */
  stop(): void;
  [Symbol.dispose](): void;
}

class SpanCapture implements Capture, SpanProcessor {
  private records: CapturedSpan[] = [];
  private stopped = false;
  get spans(): readonly CapturedSpan[] {
    return this.records;
  }
  byName(name: string): CapturedSpan[] {
    return this.records.filter((s) => s.name === name);
  }
  span(name: string): CapturedSpan {
    return findOne(this.records, name);
  }
  children(parent: CapturedSpan | string): CapturedSpan[] {
    return childrenOf(this.records, typeof parent === "string" ? this.span(parent) : parent);
  }
  roots(): CapturedSpan[] {
    return rootsOf(this.records);
  }
  tree(options?: TreeOptions): string {
    return renderTree(this.records, options);
  }
  clear(): void {
    this.records = [];
  }
  stop(): void {
    this.stopped = true;
    spanSinks().delete(this);
  }
  [Symbol.dispose](): void {
    this.stop();
  }
  onStart(span: Span, _ctx: Context): void {
    if (!this.stopped) started.set(span, ++sequence);
  }
  onEnd(span: ReadableSpan): void {
    if (!this.stopped) this.records.push(toRecord(span, started.get(span as unknown as Span)));
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

/**
 * Capture every span the SDK ends from now on, in memory: no network, no API key needed
 * (without a key nothing is exported and no warning is printed while a capture is active).
 * Includes spans from instrumentations wired with `bento.instrument(...)`.
 *
 * @example
 * import { capture, expectSpan } from "@bentolabs/sdk/testing";
 * using spans = capture();
 * await myAgent("hi");
 * expectSpan(spans, "answer").toHaveAttributes({ "gen_ai.request.model": "gpt-4o" });
 * expect(spans.tree()).toBe("my_agent\n  answer");
 */
let sequence = 0;
const started = new WeakMap<Span, number>();

export function capture(): Capture {
  const c = new SpanCapture();
  spanSinks().add(c);
  return c;
}
