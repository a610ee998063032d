import { type Context, context, type Span, type SpanContext, trace } from "@opentelemetry/api";
import { currentNode, type SpanNode } from "../context.js";
import { platform } from "../platform/host.js";

/**
 * Span contexts of spans started through Bento's tracer provider, with the name of the tracer that
 * started them. Keyed by the SpanContext object rather than the span, because instrumentations put
 * wrappers in the context (OpenInference's OISpan) whose `spanContext()` returns the wrapped
 * span's object.
 */
const bentoContexts = new WeakMap<SpanContext, { tracerName: string; node: SpanNode | undefined }>();

/** Remember `span` as started through Bento's provider while `node` was the innermost Bento span. */
export function markBentoSpan(span: Span, tracerName: string, node: SpanNode | undefined = currentNode()): void {
  bentoContexts.set(span.spanContext(), { tracerName, node });
}

/** The name of the tracer that started `span` through Bento's provider, if it did. */
export function bentoTracerName(span: Span): string | undefined {
  return bentoContexts.get(span.spanContext())?.tracerName;
}

/** True when `span` was made by Bento: through `getTracerProvider()`, or an open trajectory/tool span. */
export function isBentoSpan(span: Span): boolean {
  const sc = span.spanContext();
  if (bentoContexts.has(sc)) return true;
  for (let node = currentNode(); node; node = node.parent) {
    const own = node.span.spanContext();
    if (own.spanId === sc.spanId && own.traceId === sc.traceId) return true;
  }
  return false;
}

/**
 * The span a `startActiveSpan` on Bento's provider made active, kept in Bento's own async storage
 * too: with no global context manager registered (an app without OpenTelemetry of its own, using
 * `getTracerProvider()` for the Vercel AI SDK), `context.with` is a no-op and nested spans would
 * otherwise flatten onto the trajectory. `node` is the Bento span open when it started, so a
 * trajectory or tool span opened inside it still wins as the innermost.
 */
const activeSpans = platform.createStorage<{ span: Span; node: SpanNode | undefined }>();

export function runWithActiveSpan<T>(span: Span, fn: () => T): T {
  return activeSpans.run({ span, node: currentNode() }, fn);
}

/**
 * The context an instrumentation span should start in (SPEC.md §4):
 * 1. `ctx` already holds a Bento span (e.g. the instrumentation's own outer span): keep it;
 * 2. else a span made active by Bento's provider is innermost in this async flow: parent to it;
 * 3. else a Bento trajectory/tool span is open in this async flow: parent to it, keeping the
 *    rest of `ctx` (baggage, suppression flags). This is what makes the handle form work, where
 *    Bento's span lives only in Bento's own AsyncLocalStorage and no OTel context is active;
 * 4. else `ctx` as given.
 */
export function chooseParent(ctx: Context): Context {
  const active = trace.getSpan(ctx);
  if (active && isBentoSpan(active)) return ctx;
  const node = currentNode();
  const own = activeSpans.getStore();
  if (own && own.node === node) return trace.setSpan(ctx, own.span);
  return node ? trace.setSpan(ctx, node.span) : ctx;
}

/**
 * The innermost active span in this async flow (SPEC.md §5a): a span made active through Bento's
 * provider since the innermost open Bento span started (by `startActiveSpan`, or by an
 * instrumentation's `context.with`), else that Bento span. With no Bento span open, the active
 * OpenTelemetry span if it is recording (an app's own span, e.g. under BentoLabsSpanProcessor).
 */
export function innermostSpan(): Span | undefined {
  const node = currentNode();
  const own = activeSpans.getStore();
  if (own && own.node === node && own.span.isRecording()) return own.span;
  const active = trace.getSpan(context.active());
  if (active?.isRecording()) {
    const info = bentoContexts.get(active.spanContext());
    if (info ? info.node === node : !node) return active;
  }
  return node?.span;
}
