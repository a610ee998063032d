import { ShapeError } from "./otlp-values.js";

/**
 * Opaque keyset cursors: base64url JSON of the last item's sort key. Keyset (not offset)
 * pagination keeps pages stable while new runs arrive at the top.
 */
export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

export function decodeCursor(cursor: string, size: number): string[] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(key) && key.length === size && key.every((k) => typeof k === "string")) return key as string[];
  } catch {
    // fall through to the error below
  }
  throw new ShapeError("cursor is not a cursor returned by this API (pass next_cursor unchanged)");
}

/** Split `limit + 1` fetched rows into a page and the cursor for the next one. */
export function page<T>(rows: T[], limit: number, keyOf: (row: T) => string[]): { items: T[]; next_cursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, next_cursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
