import { AssertionError } from "node:assert";
import type { CapturedSpan } from "./record.js";

/** The one span named `name`; a readable AssertionError when there are none or several. */
export function findOne(spans: readonly CapturedSpan[], name: string): CapturedSpan {
  const found = spans.filter((s) => s.name === name);
  if (found.length === 1) return found[0]!;
  const names = [...new Set(spans.map((s) => s.name))];
  const seen = names.length ? `captured: ${names.map((n) => JSON.stringify(n)).join(", ")}` : "no spans were captured";
  const message = found.length
    ? `expected one span named "${name}", found ${found.length}; filter with .byName("${name}")`
    : `no span named "${name}" (${seen})`;
  throw new AssertionError({ message, actual: names, expected: [name], operator: "span" });
}
