import { byStartTime, type CapturedSpan } from "./record.js";

/** Spans whose parent is not among `spans` (roots of what was captured), in start order. */
export function rootsOf(spans: readonly CapturedSpan[]): CapturedSpan[] {
  const ids = new Set(spans.map((s) => s.spanId));
  return byStart(spans.filter((s) => s.parentSpanId === undefined || !ids.has(s.parentSpanId)));
}

/** Direct children of `parent` among `spans`, in start order. */
export function childrenOf(spans: readonly CapturedSpan[], parent: CapturedSpan): CapturedSpan[] {
  return byStart(spans.filter((s) => s.parentSpanId === parent.spanId && s.traceId === parent.traceId));
}

function byStart(spans: CapturedSpan[]): CapturedSpan[] {
  return spans.sort(byStartTime);
}

export interface TreeOptions {
  /** Attribute keys to print after each span name, e.g. `["gen_ai.request.model"]`. */
  attributes?: readonly string[];
}

/**
 * Render the span forest as indented text, one span per line, children in start order:
 *
 * ```
 * support_agent
 *   lookup
 *   answer {gen_ai.request.model=gpt-4o}
 * ```
 * A span with status ERROR is suffixed with ` !error`.
 *
 * @example
 * expect(renderTree(spans.spans, { attributes: ["gen_ai.request.model"] })).toMatchSnapshot();
 */
export function renderTree(spans: readonly CapturedSpan[], options: TreeOptions = {}): string {
  const lines: string[] = [];
  const visit = (span: CapturedSpan, depth: number) => {
    lines.push("  ".repeat(depth) + label(span, options));
    for (const child of childrenOf(spans, span)) visit(child, depth + 1);
  };
  for (const root of rootsOf(spans)) visit(root, 0);
  return lines.join("\n");
}

function label(span: CapturedSpan, options: TreeOptions): string {
  const shown = (options.attributes ?? []).filter((k) => span.attributes[k] !== undefined).map((k) => `${k}=${String(span.attributes[k])}`);
  return span.name + (shown.length ? ` {${shown.join(", ")}}` : "") + (span.status.code === "error" ? " !error" : "");
}
