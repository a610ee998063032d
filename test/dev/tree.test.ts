import { describe, expect, it } from "vitest";
import type { Span } from "../../src/dev/store/rows.js";
import { buildSpanTree, renderSpanTree } from "../../src/dev/tree.js";

function span(id: string, parent: string | null, startNs: number, extra: Partial<Span> = {}): Span {
  return {
    span_id: id,
    parent_span_id: parent,
    name: id,
    kind: "llm",
    start_unix_nano: String(startNs),
    duration_ms: 1.5,
    model: null,
    status: "ok",
    status_message: null,
    ...extra,
  } as Span;
}

describe("span trees", () => {
  it("nests spans under their parents in start order and keeps orphans as roots", () => {
    const roots = buildSpanTree([
      span("c2", "root", 30),
      span("root", null, 10),
      span("c1", "root", 20),
      span("g1", "c1", 25),
      span("orphan", "missing", 5),
    ]);
    expect(roots.map((r) => r.span_id)).toEqual(["orphan", "root"]);
    expect(roots[1]!.children.map((c) => c.span_id)).toEqual(["c1", "c2"]);
    expect(roots[1]!.children[0]!.children.map((c) => c.span_id)).toEqual(["g1"]);
  });

  it("renders an indented text tree with kinds, timings, models and errors", () => {
    const text = renderSpanTree(
      buildSpanTree([
        span("run", null, 1, { name: "agent", kind: "agent" }),
        span("a", "run", 2, { name: "plan", model: "gpt-4o" }),
        span("b", "run", 3, { name: "search", kind: "tool", status: "error", status_message: "timeout" }),
        span("c", "a", 4, { name: "inner", kind: "tool" }),
      ]),
    );
    expect(text).toBe(
      [
        "agent [agent]  1.5 ms",
        "├─ plan [llm]  1.5 ms  gpt-4o",
        "│  └─ inner [tool]  1.5 ms",
        "└─ search [tool]  1.5 ms  ERROR: timeout",
      ].join("\n"),
    );
  });
});
