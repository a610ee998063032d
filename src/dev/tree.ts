import type { Span } from "./store/rows.js";

/** What nesting a span needs: its ids, start, and what decides whether a root is a trajectory. */
export type TreeSpan = Pick<
  Span,
  "span_id" | "parent_span_id" | "start_unix_nano" | "kind" | "span_kind" | "model" | "input_tokens" | "output_tokens"
>;

export type SpanNode<T extends TreeSpan = Span> = T & { children: SpanNode<T>[] };

// unix-nanosecond strings: a shorter one is an earlier time; equal lengths compare as text (no BigInt per comparison)
const byStart = (a: TreeSpan, b: TreeSpan) =>
  a.start_unix_nano.length - b.start_unix_nano.length ||
  (a.start_unix_nano < b.start_unix_nano ? -1 : a.start_unix_nano > b.start_unix_nano ? 1 : 0);

/**
 * Nest a trace's spans under their parents, children in start order. A span whose parent is
 * not (yet) stored becomes a root, so a partially received trace still renders.
 */
export function buildSpanTree<T extends TreeSpan = Span>(spans: readonly T[]): SpanNode<T>[] {
  const nodes = new Map<string, SpanNode<T>>();
  for (const s of spans) nodes.set(s.span_id, { ...s, children: [] });
  const roots: SpanNode<T>[] = [];
  for (const node of nodes.values()) {
    const parent = node.parent_span_id ? nodes.get(node.parent_span_id) : undefined;
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  // stable: spans that start together keep the order they were given in (the store's: by span id)
  const sort = (list: SpanNode<T>[]) => {
    list.sort(byStart);
    for (const n of list) sort(n.children);
  };
  sort(roots);
  for (const r of roots) if (isTrajectoryRoot(r)) r.kind = "trajectory";
  return roots;
}

/**
 * A root that declares no kind is a trajectory (what `bento.begin` makes), not an LLM call,
 * when it has children or carries no model and no tokens. A lone root LLM call stays `llm`.
 */
function isTrajectoryRoot(n: SpanNode<TreeSpan>): boolean {
  if (n.span_kind || n.kind !== "llm") return false;
  return n.children.length > 0 || (!n.model && n.input_tokens == null && n.output_tokens == null);
}

function label(n: SpanNode): string {
  const parts = [`${n.name} [${n.kind}]`, `${n.duration_ms.toFixed(1)} ms`];
  if (n.model) parts.push(n.model);
  if (n.status === "error") parts.push(`ERROR${n.status_message ? `: ${n.status_message}` : ""}`);
  return parts.join("  ");
}

/**
 * Render a span tree as indented text, one span a line (for terminals and the demo).
 *
 * @example
 * console.log(renderSpanTree(buildSpanTree(spans)));
 * // answer [llm]  812.0 ms  gpt-4o
 * // └─ search [tool]  120.3 ms
 */
export function renderSpanTree(roots: readonly SpanNode[]): string {
  const lines: string[] = [];
  const walk = (n: SpanNode, prefix: string, childPrefix: string) => {
    lines.push(prefix + label(n));
    n.children.forEach((c, i) => {
      const last = i === n.children.length - 1;
      walk(c, `${childPrefix}${last ? "└─ " : "├─ "}`, `${childPrefix}${last ? "   " : "│  "}`);
    });
  };
  for (const r of roots) walk(r, "", "");
  return lines.join("\n");
}
