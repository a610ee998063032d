import { describe, expect, it } from "vitest";
import { fromV1Observation, fromV1Trace } from "../../src/sync/langfuse/wire.js";
import { metadataProperties, scoreProperties } from "../../src/sync/mapping/properties.js";
import { mapTrace } from "../../src/sync/mapping/trace.js";
import { dataset, FIXTURE_BASE_URL } from "./fixtures.js";

const T1 = "4f1c2a9e8b7d6c5e3a2f1b0c9d8e7f6a";

function mapT1(patch: { trace?: Record<string, unknown>; root?: Record<string, unknown> } = {}) {
  const { traces, observations, scores } = dataset();
  const trace = fromV1Trace({ ...traces.find((t) => t.id === T1)!, scores: scores[T1], ...patch.trace });
  const obs = observations[T1]!.map((o) => fromV1Observation(o.parentObservationId ? o : { ...o, ...patch.root }));
  return mapTrace(trace, obs, { baseUrl: FIXTURE_BASE_URL });
}
const rootOf = (spans: ReturnType<typeof mapT1>) => spans.find((s) => s.parent_span_id === null)!;

describe("Bento's migration rules for imported Langfuse data", () => {
  it("turns metadata keys into top-level attributes with their scalar types, objects as JSON strings", () => {
    expect(
      metadataProperties({
        plan: "pro",
        seats: 17,
        ratio: 0.5,
        beta: true,
        regions: ["eu", "us"],
        limits: { rpm: 60 },
        mixed: [1, "a"],
        gone: null,
      }),
    ).toEqual({
      plan: "pro",
      seats: 17,
      ratio: 0.5,
      beta: true,
      regions: ["eu", "us"],
      limits: '{"rpm":60}',
      mixed: '[1,"a"]',
    });
  });

  it("leaves out what Langfuse itself keeps in metadata for OpenTelemetry spans", () => {
    expect(
      metadataProperties({ resourceAttributes: { "service.name": "x" }, scope: { name: "s" }, attributes: { a: 1 }, kept: "yes" }),
    ).toEqual({ kept: "yes" });
  });

  it("puts the trace's metadata and every score on the root, keeping the whole metadata losslessly too", () => {
    const root = rootOf(mapT1({ trace: { metadata: { customer_tier: "gold", order_count: 3, flags: { vip: true } } } }));
    expect(root.attributes).toMatchObject({
      customer_tier: "gold",
      order_count: 3,
      flags: '{"vip":true}',
      score_helpfulness: 0.9,
      score_user_thumbs_up: 1,
    });
    expect(root.attributes_json["langfuse.trace.metadata"]).toMatchObject({ customer_tier: "gold", flags: { vip: true } });
  });

  it("never lets a metadata key overwrite a column or a key the mapping wrote", () => {
    const spans = mapT1({
      root: {
        metadata: {
          "gen_ai.user.id": "intruder",
          "input.value": "fake",
          "langfuse.trace.id": "x",
          "openinference.span.kind": "tool",
          note: "ok",
        },
      },
    });
    const root = rootOf(spans);
    expect(root.attributes["gen_ai.user.id"]).toBe("user_8841");
    expect(root.attributes["input.value"]).not.toBe("fake");
    expect(root.attributes["openinference.span.kind"]).toBe("chain");
    expect(root.attributes).not.toHaveProperty(["langfuse.trace.id"]);
    expect(root.attributes.note).toBe("ok");
  });

  it("maps scores of each data type, from v1 and v3 shapes alike; the latest of a name wins", () => {
    const v1 = [
      { name: "accuracy", dataType: "NUMERIC", value: 0.75, stringValue: null, timestamp: "2026-08-20T10:00:00Z" },
      { name: "accuracy", dataType: "NUMERIC", value: 0.8, stringValue: null, timestamp: "2026-08-20T11:00:00Z" },
      { name: "resolved", dataType: "BOOLEAN", value: 0, stringValue: "False", timestamp: "2026-08-20T10:00:00Z" },
      { name: "topic", dataType: "CATEGORICAL", value: 2, stringValue: "billing", timestamp: "2026-08-20T10:00:00Z" },
      { name: "review", dataType: "TEXT", value: 0, stringValue: "fine answer", timestamp: "2026-08-20T10:00:00Z" },
    ];
    const v3 = [
      { name: "accuracy", dataType: "NUMERIC", value: 0.8, timestamp: "2026-08-20T11:00:00Z" },
      { name: "resolved", dataType: "BOOLEAN", value: false, timestamp: "2026-08-20T10:00:00Z" },
      { name: "topic", dataType: "CATEGORICAL", value: "billing", timestamp: "2026-08-20T10:00:00Z" },
      { name: "review", dataType: "TEXT", value: "fine answer", timestamp: "2026-08-20T10:00:00Z" },
    ];
    const want = { score_accuracy: 0.8, score_resolved: 0, score_topic: "billing", score_review: "fine answer" };
    expect(scoreProperties(v1)).toEqual(want);
    expect(scoreProperties(v3)).toEqual(want);
  });
});
