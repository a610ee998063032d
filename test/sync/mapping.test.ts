import { describe, expect, it } from "vitest";
import { fromV1Observation, fromV1Trace } from "../../src/sync/langfuse/wire.js";
import { fromV2Observation, traceFromV2Rows } from "../../src/sync/langfuse/wire-v2.js";
import { deriveProvider } from "../../src/sync/mapping/provider.js";
import { mapTrace } from "../../src/sync/mapping/trace.js";
import type { ImportedSpan } from "../../src/sync/types.js";
import { dataset, FIXTURE_BASE_URL, loadFixture, type RawRecord } from "./fixtures.js";

type Expected = Omit<ImportedSpan, "attributes"> & { attributes: Record<string, unknown> };
const expected = loadFixture<{ spans_by_langfuse_trace_id: Record<string, Expected[]> }>("expected_spans.json").spans_by_langfuse_trace_id;

/** The fixture speaks the notes' spelling (LLM, TOOL…); this project stores kinds lowercase. */
function toProjectConventions(span: Expected): Expected {
  const kind = span.attributes["openinference.span.kind"];
  return { ...span, attributes: { ...span.attributes, "openinference.span.kind": String(kind).toLowerCase() } };
}

/** The fixture keeps a few null / [] values the notes say to drop; compare without them. */
function withoutEmpty(o: Record<string, unknown>) {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && !(Array.isArray(v) && v.length === 0)));
}

/** Bento's migration properties (metadata keys, `score_<name>`) sit beside the fixture's attributes; tested below. */
function withoutProperties(traceId: string, span: ImportedSpan, attributes: Record<string, unknown>) {
  const { traces, observations } = dataset();
  const obs = (observations[traceId] ?? []).find((o) => span.attributes_json["langfuse.observation.id"] === o.id);
  const keys = new Set([
    ...Object.keys((obs?.metadata ?? {}) as object),
    ...(span.parent_span_id === null ? Object.keys((traces.find((t) => t.id === traceId)!.metadata ?? {}) as object) : []),
  ]);
  return Object.fromEntries(Object.entries(attributes).filter(([k]) => !keys.has(k) && !k.startsWith("score_")));
}

function mapV1(traceId: string): ImportedSpan[] {
  const { traces, observations, scores } = dataset();
  const raw = traces.find((t) => t.id === traceId)!;
  const trace = fromV1Trace({ ...raw, scores: scores[traceId] ?? [] });
  return mapTrace(trace, (observations[traceId] ?? []).map(fromV1Observation), { baseUrl: FIXTURE_BASE_URL });
}

describe("Langfuse → span mapping", () => {
  for (const traceId of Object.keys(expected)) {
    it(`maps trace ${traceId} as expected_spans.json says (kinds lowercase, langfuse.tags on the root)`, () => {
      const spans = mapV1(traceId);
      const want = expected[traceId]!.map(toProjectConventions);
      expect(spans.map((s) => s.span_id).sort()).toEqual(want.map((s) => s.span_id).sort());
      for (const w of want) {
        const got = spans.find((s) => s.span_id === w.span_id)!;
        const { attributes, attributes_json, ...rest } = got;
        const { "langfuse.tags": tags, ...otherAttributes } = attributes;
        expect(rest).toEqual({
          trace_id: w.trace_id,
          span_id: w.span_id,
          parent_span_id: w.parent_span_id,
          name: w.name,
          kind: w.kind,
          start_time: w.start_time,
          end_time: w.end_time,
          status: w.status,
          resource: w.resource,
        });
        expect(withoutProperties(traceId, got, otherAttributes)).toEqual(w.attributes);
        if (tags !== undefined) {
          expect(w.parent_span_id).toBeNull();
          expect(tags).toEqual(w.attributes_json["langfuse.trace.tags"]);
        }
        expect(withoutEmpty(attributes_json)).toEqual(withoutEmpty(w.attributes_json));
      }
    });
  }

  it("maps v2 rows of a trace to the same span attributes as v1", () => {
    const traceId = "4f1c2a9e8b7d6c5e3a2f1b0c9d8e7f6a";
    const page1 = loadFixture<{ data: RawRecord[] }>("observations_v2_page1.json").data;
    const v1 = mapV1(traceId);
    const obs = page1.map(fromV2Observation);
    const spans = mapTrace(traceFromV2Rows(traceId, page1, obs), obs, { baseUrl: FIXTURE_BASE_URL });
    for (const s of spans) {
      if (s.parent_span_id === null || s.span_id === "a7f3c91e2b6d4058") continue;
      const twin = v1.find((x) => x.span_id === s.span_id)!;
      expect(s.attributes).toEqual(twin.attributes);
    }
  });

  it("uses the project's provider values, never inferring beyond evidence", () => {
    expect(deriveProvider("anthropic.claude-3-sonnet-20240229-v1:0", undefined)).toBe("aws_bedrock");
    expect(deriveProvider("eu.anthropic.claude-3-5-sonnet-20240620-v1:0", undefined)).toBe("aws_bedrock");
    expect(deriveProvider("gemini-2.0-flash", undefined)).toBe("google");
    expect(deriveProvider("claude-3-5-sonnet@20240620", undefined)).toBe("google");
    expect(deriveProvider("mistral-large-latest", undefined)).toBe("mistral");
    expect(deriveProvider("gpt-4o", { "gen_ai.system": "langchain", "llm.provider": "azure" })).toBe("azure_openai");
    expect(deriveProvider("my-finetune", undefined)).toBeUndefined();
    expect(deriveProvider(null, { "gen_ai.provider.name": "aws.bedrock" })).toBe("aws_bedrock");
  });
});
