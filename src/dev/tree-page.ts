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

/** A trajectory's tree order without the spans themselves: what a page needs to know which spans it holds. */
export interface TreeSkeleton {
  /** Span ids in tree order. */
  readonly ids: readonly string[];
  readonly depth: Int32Array;
  readonly childCount: Int32Array;
}

/**
 * The tree order of {@link treeOrder} from `[span_id, parent_span_id]` pairs given in start order
 * (ties by span id), as the store lists them: the same order, depths and child counts, without
 * building span objects (a 20,000-span run is three arrays). Pure; no recursion.
 */
export function skeletonOf(spans: ReadonlyArray<readonly [string, string | null]>): TreeSkeleton {
  const n = spans.length;
  const index = new Map<string, number>();
  for (let i = 0; i < n; i++) index.set(spans[i]![0], i);
  // children as linked lists in start order (the pairs' order), like buildSpanTree's stable sort
  const firstChild = new Int32Array(n).fill(-1);
  const lastChild = new Int32Array(n).fill(-1);
  const nextSibling = new Int32Array(n).fill(-1);
  const children = new Int32Array(n);
  const roots: number[] = [];
  for (let i = 0; i < n; i++) {
    const parentId = spans[i]![1];
    const p = parentId ? index.get(parentId) : undefined;
    if (p === undefined || p === i) {
      roots.push(i);
      continue;
    }
    if (lastChild[p]! < 0) firstChild[p] = i;
    else nextSibling[lastChild[p]!] = i;
    lastChild[p] = i;
    children[p]!++;
  }
  const ids: string[] = [];
  const depths: number[] = [];
  const counts: number[] = [];
  const stack: number[] = [];
  const stackDepth: number[] = [];
  for (let r = roots.length - 1; r >= 0; r--) {
    stack.push(roots[r]!);
    stackDepth.push(0);
  }
  const pending: number[] = [];
  while (stack.length > 0) {
    const i = stack.pop()!;
    const depth = stackDepth.pop()!;
    ids.push(spans[i]![0]);
    depths.push(depth);
    counts.push(children[i]!);
    // push children last-first so the first child is read next
    pending.length = 0;
    for (let c = firstChild[i]!; c >= 0; c = nextSibling[c]!) pending.push(c);
    for (let k = pending.length - 1; k >= 0; k--) {
      stack.push(pending[k]!);
      stackDepth.push(depth + 1);
    }
  }
  return { ids, depth: Int32Array.from(depths), childCount: Int32Array.from(counts) };
}

/**
 * Where the page after `cursor` starts in `ids` (tree order): 0 without a cursor. Throws a
 * ShapeError for a cursor that is not one, or -1 when its span is not in `ids`.
 */
export function pageStart(ids: readonly string[], cursor?: string): number {
  if (!cursor) return 0;
  const [after] = decodeCursor(cursor, 1);
  const at = ids.indexOf(after!);
  return at < 0 ? -1 : at + 1;
}

export function staleCursorError(cursor: string): ShapeError {
  const [after] = decodeCursor(cursor, 1);
  return new ShapeError(`cursor points at span ${after}, which this trajectory no longer holds; start again without a cursor`);
}

/** The cursor of a page that ends at `last` (its span id) when `end` spans of `total` are read, else null. */
export function nextCursor(last: string | undefined, end: number, total: number): string | null {
  return last !== undefined && end < total ? encodeCursor([last]) : null;
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
  const start = pageStart(
    rows.map((r) => r.span_id),
    cursor,
  );
  if (start < 0) throw staleCursorError(cursor!);
  const items = rows.slice(start, start + limit);
  return { items, next_cursor: nextCursor(items[items.length - 1]?.span_id, start + limit, rows.length) };
}
