import type { Span } from "./store/rows.js";

export type SpanNode = Span & { children: SpanNode[] };

/**
 * Nest a trace's spans under their parents, children in start order. A span whose parent is
 * not (yet) stored becomes a root, so a partially received trace still renders.
 */
export function buildSpanTree(spans: readonly Span[]): SpanNode[] {
  const nodes = new Map<string, SpanNode>();
  for (const s of spans) nodes.set(s.span_id, { ...s, children: [] });
  const roots: SpanNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parent_span_id ? nodes.get(node.parent_span_id) : undefined;
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  const byStart = (a: SpanNode, b: SpanNode) => (BigInt(a.start_unix_nano) < BigInt(b.start_unix_nano) ? -1 : 1);
  const sort = (list: SpanNode[]) => {
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
function isTrajectoryRoot(n: SpanNode): boolean {
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
