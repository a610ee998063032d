import { describe, expect, it } from "vitest";
import { toSpanRow } from "../../src/dev/sync-sink.js";
import { fromV1Observation, fromV1Trace } from "../../src/sync/langfuse/wire.js";
import { mapTrace } from "../../src/sync/mapping/trace.js";
import { dataset, FIXTURE_BASE_URL } from "./fixtures.js";

function spansOf(traceId: string) {
  const { traces, observations } = dataset();
  return mapTrace(fromV1Trace(traces.find((t) => t.id === traceId)!), observations[traceId]!.map(fromV1Observation), {
    baseUrl: FIXTURE_BASE_URL,
  });
}

describe("imported span → dev server row", () => {
  it("lifts the SPEC §2 keys into columns and keeps Langfuse's extras in attributes", () => {
    const row = toSpanRow(spansOf("4f1c2a9e8b7d6c5e3a2f1b0c9d8e7f6a").find((s) => s.span_id === "f20d6b8e3a95c147")!);
    expect(row).toMatchObject({
      otel_kind: 3,
      span_kind: "llm",
      status_code: "unset",
      model: "gpt-4o-2024-08-06",
      provider: "openai",
      user_id: "user_8841",
      session_id: "sess_8841_20260820a",
      input_tokens: 1502,
      output_tokens: 61,
      start_ns: "1787217245301000000",
      end_ns: "1787217247688000000",
    });
    expect(row.attributes).toMatchObject({ "llm.cost.total": 0.002765, "langfuse.observation.id": "f20d6b8e3a95c147" });
    expect(row.attributes).not.toHaveProperty(["gen_ai.request.model"]);
    expect(row.scope).toMatchObject({ name: "langfuse-sdk" });
  });

  it("stores an open span with end = start and says so", () => {
    const root = toSpanRow(spansOf("3b9f2c6e-71d4-4a85-b0e2-9c4d7f1a6e53").find((s) => s.parent_span_id === null)!);
    expect(root.end_ns).toBe(root.start_ns);
    expect(root.attributes["langfuse.span_open"]).toBe(true);
  });

  it("keeps the error status and message", () => {
    const root = toSpanRow(spansOf("c1a7e5930bd24f68a9e3517d2c0b8f46").find((s) => s.parent_span_id === null)!);
    expect(root.status_code).toBe("error");
    expect(root.status_message).toContain("RateLimitError");
    expect(root.tags).toEqual(["production", "support"]);
  });
});
