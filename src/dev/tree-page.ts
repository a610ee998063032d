import { decodeCursor, encodeCursor } from "./cursor.js";
import { ShapeError } from "./otlp-values.js";
import { buildSpanTree, type TreeSpan } from "./tree.js";

export type TreeRow<T> = T & { depth: number; child_count: number };

/**
 * A trajectory's spans in the order its tree is read: depth-first, children in start order, each
 * with its depth (0 for a root) and its number of children. Pure; no recursion, so any depth works.
 */
export function treeOrder<T extends TreeSpan>(spans: readonly T[]): TreeRow<T>[] {
  const out: TreeRow<T>[] = [];
  const stack = buildSpanTree(spans)
    .map((node) => ({ node, depth: 0 }))
    .reverse();
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    const children = node.children;
    // the tree's nodes are fresh copies: reuse them as rows (`children: undefined` leaves the JSON)
    out.push(Object.assign(node, { children: undefined, depth, child_count: children.length }) as unknown as TreeRow<T>);
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i]!, depth: depth + 1 });
  }
  return out;
}

/**
 * One page of `rows` (in tree order): `limit` spans after the cursor's span. The cursor names the
 * last span of the previous page, so spans that arrive meanwhile elsewhere in the tree never make
 * a page repeat or skip what was already read in order.
 */
export function pageTree<T extends { span_id: string }>(
  rows: readonly T[],
  limit: number,
  cursor?: string,
): { items: T[]; next_cursor: string | null } {
  let start = 0;
  if (cursor) {
    const [after] = decodeCursor(cursor, 1);
    const at = rows.findIndex((r) => r.span_id === after);
    if (at < 0) throw new ShapeError(`cursor points at span ${after}, which this trajectory no longer holds; start again without a cursor`);
    start = at + 1;
  }
  const items = rows.slice(start, start + limit);
  const last = items[items.length - 1];
  return { items, next_cursor: last && start + limit < rows.length ? encodeCursor([last.span_id]) : null };
}
