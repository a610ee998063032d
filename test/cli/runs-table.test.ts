import { describe, expect, it } from "vitest";
import { nextPageCommand, shellWord } from "../../src/cli/next-page.js";
import { duration, renderRunsTable, renderSpansTable, started } from "../../src/cli/runs-table.js";

describe("runs table", () => {
  const run = {
    trace_id: "t1",
    start_time: "2026-01-15T12:03:00.123Z",
    name: "support agent",
    status: "error",
    models: ["gpt-4o", "gpt-4o-mini"],
    span_count: 3,
    total_tokens: 160,
    duration_ms: 2400,
    user_id: "alice",
    session_id: null,
  };

  it("shows the viewer's columns with the id first, UTC times and the viewer's durations", () => {
    const [head, rule, row] = renderRunsTable([run]).split("\n");
    expect(head).toMatch(/^TRACE_ID +STARTED \(UTC\) +NAME +STATUS +MODELS +SPANS +TOKENS +DURATION +USER +SESSION$/);
    expect(rule).toMatch(/^-+( +-+)*$/);
    expect(row).toMatch(/^t1 +2026-01-15 12:03:00 +support agent +error +gpt-4o, gpt-4o-mini +3 +160 +2\.40 s +alice +–$/);
  });

  it("formats durations and times like the viewer, and survives odd values", () => {
    expect([duration(4.21), duration(87.4), duration(2400), duration(null)]).toEqual(["4.2 ms", "87 ms", "2.40 s", "–"]);
    expect([started("2026-01-15T12:03:00Z"), started("soon"), started(undefined)]).toEqual(["2026-01-15 12:03:00", "soon", "–"]);
  });

  it("says so when a page is empty, and cuts long cells", () => {
    expect(renderRunsTable([])).toBe("(no runs)");
    expect(renderSpansTable(undefined)).toBe("(no spans)");
    const long = renderRunsTable([{ ...run, name: "x".repeat(80) }]);
    expect(long).toContain(`${"x".repeat(39)}…`);
  });

  it("renders spans with parent, kind and tokens in / out", () => {
    const out = renderSpansTable([
      {
        span_id: "s2",
        parent_span_id: "s1",
        start_time: "2026-01-15T12:03:00Z",
        name: "llm",
        kind: "llm",
        status: "ok",
        model: "gpt-4o",
        input_tokens: 12,
        output_tokens: 3,
        duration_ms: 900,
      },
    ]);
    expect(out.split("\n")[2]).toMatch(/^s2 +s1 +2026-01-15 12:03:00 +llm +llm +ok +gpt-4o +12 \/ 3 +900 ms$/);
  });
});

describe("next page command", () => {
  it("repeats the arguments with the new cursor in place of the old one", () => {
    expect(nextPageCommand(["traces", "list", "--limit", "5", "--cursor", "old", "--output", "table"], "WyJ9")).toBe(
      "bentolabs traces list --limit 5 --output table --cursor WyJ9",
    );
    expect(nextPageCommand(["traces", "list", "--cursor=old"], "n")).toBe("bentolabs traces list --cursor n");
  });

  it("never repeats an --api-key, and quotes words the shell would split", () => {
    expect(nextPageCommand(["traces", "list", "--api-key", "bl_pk_secret_key_1", "--api-key=bl_pk_x_2", "--q", "it's broken"], "c")).toBe(
      "bentolabs traces list --q 'it'\\''s broken' --cursor c",
    );
    expect(shellWord("plain-word_1.2")).toBe("plain-word_1.2");
  });
});
